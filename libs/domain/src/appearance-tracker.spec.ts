import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppearanceTracker, type TrackableFace } from './appearance-tracker';
import { InvalidInputError } from './errors';
import { box, face } from './testing/faces';

const f = (x: number, person: number | null, distance = 0, identity: string | null = null): TrackableFace => ({
  box: box(x),
  descriptor: person === null ? null : face(person, distance),
  identity,
});

/** Runs updates 1 s apart and returns, per update, the track id of each face and the ended ids. */
function run(steps: TrackableFace[][], identities: Record<string, string> = {}) {
  const tracker = new AppearanceTracker();
  return steps.map((faces, i) => {
    const u = tracker.update(faces, i * 1000, (id) => identities[id] ?? null);
    return { ids: u.assignments.map((a) => a.trackId), ended: u.ended, replaced: u.assignments.map((a) => a.replaced) };
  });
}

describe('AppearanceTracker: geometry proposes, appearance confirms', () => {
  const cases: Array<{ name: string; steps: TrackableFace[][]; identities?: Record<string, string>; ids: string[][]; ended?: string[][]; replaced?: Array<Array<string | null>> }> = [
    { name: 'the same face standing still is one track', steps: [[f(100, 1)], [f(102, 1, 0.1)], [f(104, 1, 0.2)]], ids: [['t1'], ['t1'], ['t1']] },
    {
      name: 'queue at a door: the next person at the same spot opens a new track and ends the old one',
      steps: [[f(100, 1)], [f(100, 1)], [f(100, 2)], [f(100, 2)], [f(100, 3)]],
      ids: [['t1'], ['t1'], ['t2'], ['t2'], ['t3']],
      ended: [[], [], ['t1'], [], ['t2']],
      replaced: [[null], [null], ['t1'], [null], ['t2']],
    },
    { name: 'a walking face (no overlap, 1 width per analysis) keeps its track', steps: [[f(100, 1)], [f(300, 1, 0.2)], [f(500, 1, 0.2)]], ids: [['t1'], ['t1'], ['t1']] },
    { name: 'a face farther than 1.5 widths is someone new', steps: [[f(100, 1)], [f(450, 1)]], ids: [['t1'], ['t2']] },
    { name: 'appearance drift within the gate (0.5) continues', steps: [[f(100, 1)], [f(100, 1, 0.5)]], ids: [['t1'], ['t1']] },
    { name: 'a face 0.6 away at the same spot is someone else', steps: [[f(100, 1)], [f(100, 1, 0.6)]], ids: [['t1'], ['t2']] },
    {
      name: 'identity veto: a face matched to B never continues a track decided for A, however close',
      steps: [[f(100, 1)], [f(100, 1, 0.3, 'B')]],
      identities: { t1: 'A' },
      ids: [['t1'], ['t2']],
    },
    {
      name: 'two people side by side swap places: each keeps their own track',
      steps: [[f(100, 1), f(350, 2)], [f(350, 1), f(100, 2)], [f(100, 1), f(350, 2)]],
      ids: [['t1', 't2'], ['t1', 't2'], ['t1', 't2']],
    },
    {
      name: 'without descriptors only a clear overlap continues (no guessing across a move)',
      steps: [[f(100, null)], [f(110, null)], [f(300, null)]],
      ids: [['t1'], ['t1'], ['t2']],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = run(c.steps, c.identities);
      assert.deepEqual(got.map((g) => g.ids), c.ids);
      if (c.ended) assert.deepEqual(got.map((g) => g.ended), c.ended);
      if (c.replaced) assert.deepEqual(got.map((g) => g.replaced), c.replaced);
    });
  }

  it('tracks age out after maxAgeMs without sightings (occlusion shorter than that keeps the track)', () => {
    const tracker = new AppearanceTracker({ maxAgeMs: 3000 });
    assert.equal(tracker.update([f(100, 1)], 0).assignments[0]!.trackId, 't1');
    assert.deepEqual(tracker.update([], 2000).ended, []);
    assert.equal(tracker.update([f(100, 1, 0.1)], 3000).assignments[0]!.trackId, 't1', 'back after 3 s: same track');
    assert.deepEqual(tracker.update([], 6001).ended, ['t1']);
    assert.equal(tracker.update([f(100, 1)], 6002).assignments[0]!.trackId, 't2');
  });

  const bad: Array<[string, () => unknown]> = [
    ['negative maxAgeMs', () => new AppearanceTracker({ maxAgeMs: -1 })],
    ['minIou 0', () => new AppearanceTracker({ minIou: 0 })],
    ['negative maxCenterShift', () => new AppearanceTracker({ maxCenterShift: -1 })],
    ['maxAppearanceDistance 0', () => new AppearanceTracker({ maxAppearanceDistance: 0 })],
    ['appearanceMemory 0', () => new AppearanceTracker({ appearanceMemory: 0 })],
    ['time going back', () => { const t = new AppearanceTracker(); t.update([], 10); t.update([], 5); }],
    ['an invalid box', () => new AppearanceTracker().update([{ box: { x: 0, y: 0, width: -1, height: 1 } }], 0)],
  ];
  for (const [name, fn] of bad) it(`rejects ${name}`, () => assert.throws(fn, InvalidInputError));
});
