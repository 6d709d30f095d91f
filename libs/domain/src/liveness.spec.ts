// @engine-independent
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assessLiveness, DEFAULT_LIVENESS_THRESHOLDS, planarYawDeg, withTexturePlanarity, type LivenessAction, type LivenessFailure, type LivenessFrame } from './liveness';
import { planarResidual, type PlanePoint } from './planar-geometry';

/**
 * Landmarks and descriptors the face engine measured on tests/fixtures/liveness (LFW photos of
 * one person at increasing yaw, a second person, and warped copies of the frontal photo);
 * regenerate with `node dist/tests/support/liveness-fixtures.js`.
 */
const root = resolve(__dirname, __dirname.includes(join('dist', 'libs')) ? '../../../..' : '../../..');
const measured = JSON.parse(readFileSync(join(root, 'tests/fixtures/liveness/measured.json'), 'utf8')) as {
  photos: Record<string, LivenessFrame & { landmarks: PlanePoint[] }>;
  warpedFrontal: Record<string, LivenessFrame & { landmarks: PlanePoint[] }>;
};
const P = measured.photos;
const W = measured.warpedFrontal;
const T = { ...DEFAULT_LIVENESS_THRESHOLDS, maxIdentityDistance: 0.53 };
const noFace: LivenessFrame = { faces: 0 };
const twoFaces: LivenessFrame = { ...P['colin-left-19']!, faces: 2 };
/** The frontal frame with only its nose tip pushed 20 px to the right: a yaw of ~25° but no 3-D turn of the rest. */
const noseOnly: LivenessFrame = { ...P['colin-frontal']!, landmarks: P['colin-frontal']!.landmarks!.map((p, i) => (i === 30 ? { x: p.x + 20, y: p.y } : p)) };

describe('planarYawDeg: nose tip in the outline quadrilateral\'s projective coordinates', () => {
  it('orders the fixture photos by how far the head is turned (positive: to the person\'s left)', () => {
    const yaw = (n: string) => planarYawDeg(P[n]!.landmarks);
    assert.ok(Math.abs(yaw('colin-frontal')) < 5);
    assert.ok(yaw('colin-left-19') > 15 && yaw('colin-left-28') > yaw('colin-left-19'));
    assert.ok(yaw('colin-right-22') < -15 && yaw('colin-right-29') < yaw('colin-right-22'));
  });

  it('is exactly unchanged by any homography of the landmarks (a flat picture moved in front of the lens)', () => {
    const lm = P['colin-left-19']!.landmarks;
    const warps: Array<(p: PlanePoint) => PlanePoint> = [
      (p) => ({ x: 1.3 * p.x + 0.5 * p.y + 7, y: -0.2 * p.x + 0.8 * p.y - 3 }),
      (p) => {
        const w = 1 + 0.002 * p.x - 0.001 * p.y;
        return { x: (0.9 * p.x + 0.1 * p.y + 20) / w, y: (0.05 * p.x + 1.1 * p.y) / w };
      },
    ];
    for (const warp of warps) assert.ok(Math.abs(planarYawDeg(lm.map(warp)) - planarYawDeg(lm)) < 1e-6);
  });

  it('planarResidual is ~0 for a homography of the same points and clearly not for a real turn', () => {
    const lm = P['colin-frontal']!.landmarks;
    const tilted = lm.map((p) => {
      const w = 1 + 0.003 * p.x;
      return { x: (p.x + 0.3 * p.y) / w, y: p.y / w };
    });
    assert.ok(planarResidual(lm, tilted) < 1e-6);
    assert.ok(planarResidual(lm, P['colin-left-28']!.landmarks) >= T.minParallax);
  });
});

describe('assessLiveness (table): the asked turn, by the same person, in 3-D, in order', () => {
  const cases: Array<{ name: string; action: LivenessAction; frames: LivenessFrame[]; expected: 'live' | LivenessFailure; minTurnDeg?: number }> = [
    { name: 'photos of one person at 0°, 19°, 28° to the left, asked left', action: 'turn_left', frames: [P['colin-frontal']!, P['colin-left-19']!, P['colin-left-28']!], expected: 'live' },
    { name: 'photos at 0°, 22°, 29° to the right, asked right', action: 'turn_right', frames: [P['colin-frontal']!, P['colin-right-22']!, P['colin-right-29']!], expected: 'live' },
    { name: 'a frontal frame repeated after the turn is fine', action: 'turn_left', frames: [P['colin-frontal']!, P['colin-left-28']!, P['colin-frontal']!], expected: 'live' },
    { name: 'one still photo repeated', action: 'turn_left', frames: [P['colin-frontal']!, P['colin-frontal']!, P['colin-frontal']!], expected: 'too_little_turn' },
    { name: 'a turned still photo repeated', action: 'turn_left', frames: [P['colin-left-28']!, P['colin-left-28']!, P['colin-left-28']!], expected: 'not_frontal' },
    { name: 'turned the wrong way', action: 'turn_right', frames: [P['colin-frontal']!, P['colin-left-19']!, P['colin-left-28']!], expected: 'wrong_direction' },
    { name: 'turned too little (20.6° < 25°)', action: 'turn_left', frames: [P['colin-frontal']!, P['colin-left-19']!, P['colin-frontal']!], expected: 'too_little_turn', minTurnDeg: 25 },
    { name: 'the same turn is enough at the default 20°', action: 'turn_left', frames: [P['colin-frontal']!, P['colin-left-19']!, P['colin-frontal']!], expected: 'live' },
    { name: 'the identity changes mid-challenge', action: 'turn_left', frames: [P['colin-frontal']!, P['bush-frontal']!, P['colin-left-28']!], expected: 'identity_changed' },
    { name: 'another person\'s frontal photo, then the turned one', action: 'turn_left', frames: [P['bush-frontal']!, P['colin-left-19']!, P['colin-left-28']!], expected: 'identity_changed' },
    { name: 'out of order: turned first, frontal last', action: 'turn_left', frames: [P['colin-left-28']!, P['colin-left-19']!, P['colin-frontal']!], expected: 'out_of_order' },
    { name: 'only the nose tip moved (landmark jitter, not a head turning)', action: 'turn_left', frames: [P['colin-frontal']!, P['colin-frontal']!, noseOnly], expected: 'flat' },
    { name: 'no face in the first frame (the server analysed no further)', action: 'turn_left', frames: [noFace], expected: 'no_face' },
    { name: 'too few frames', action: 'turn_left', frames: [P['colin-frontal']!, P['colin-left-28']!], expected: 'too_few_frames' },
    { name: 'a frame without a face', action: 'turn_left', frames: [P['colin-frontal']!, noFace, P['colin-left-28']!], expected: 'no_face' },
    { name: 'a frame with two faces', action: 'turn_left', frames: [P['colin-frontal']!, twoFaces, P['colin-left-28']!], expected: 'multiple_faces' },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.expected}`, () => {
      const v = assessLiveness(c.action, c.frames, { ...T, minTurnDeg: c.minTurnDeg ?? T.minTurnDeg });
      assert.equal(v.live ? 'live' : v.reason, c.expected, JSON.stringify(v));
    });
  }
});

describe('assessLiveness: warped copies of one photo never pass (printed/phone photo rotated, sheared, tilted)', () => {
  const names = Object.keys(W);
  // The identity check is switched off: geometry alone must refuse them (some warps, e.g. a 25° roll,
  // also move the descriptor past the employee threshold, which would hide a geometric pass).
  const geometryOnly = { ...T, maxIdentityDistance: Number.POSITIVE_INFINITY };
  it(`every sequence frontal → warp A → warp B over ${names.length} warps, both directions, is refused`, () => {
    assert.ok(names.length >= 12);
    const passed: string[] = [];
    const reasons = new Set<string>();
    for (const action of ['turn_left', 'turn_right'] as const) {
      for (const a of names) {
        for (const b of names) {
          const v = assessLiveness(action, [W['identity']!, W[a]!, W[b]!], geometryOnly);
          if (v.live) passed.push(`${action}: ${a} → ${b}`);
          else reasons.add(v.reason);
        }
      }
    }
    assert.deepEqual(passed, []);
    assert.deepEqual([...reasons].sort(), ['too_little_turn']);
  });

  it('the widest fake turn among them stays under the threshold, and so does its parallax', () => {
    const yaws = names.map((n) => planarYawDeg(W[n]!.landmarks));
    const span = Math.max(...yaws) - Math.min(...yaws);
    assert.ok(span < T.minTurnDeg, `warps span ${span.toFixed(1)}° of fake yaw`);
    for (const n of names) assert.ok(planarResidual(W['identity']!.landmarks, W[n]!.landmarks) < T.minParallax, n);
  });
});

describe('withTexturePlanarity: one homography explaining the pixels means a flat picture', () => {
  const live = assessLiveness('turn_left', [P['colin-frontal']!, P['colin-left-19']!, P['colin-left-28']!], T);
  const cases: Array<{ planarity: number; expected: 'live' | LivenessFailure }> = [
    { planarity: 0.36, expected: 'live' },
    { planarity: 0.974, expected: 'live' },
    { planarity: 0.975, expected: 'flat_picture' },
    { planarity: 0.998, expected: 'flat_picture' },
    { planarity: Number.NaN, expected: 'flat_picture' },
  ];
  for (const c of cases) {
    it(`NCC ${c.planarity} → ${c.expected}`, () => {
      const v = withTexturePlanarity(live, c.planarity, T);
      assert.equal(v.live ? 'live' : v.reason, c.expected);
    });
  }
  it('an already refused sequence stays refused with its own reason', () => {
    const v = withTexturePlanarity(assessLiveness('turn_right', [P['colin-frontal']!, P['colin-left-28']!, P['colin-left-28']!], T), 0.1, T);
    assert.equal(!v.live && v.reason, 'wrong_direction');
  });
});
