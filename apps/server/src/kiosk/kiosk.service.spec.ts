import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '@vigil/auth';
import { decideMatch, UnavailableError, type MatchCandidate, type MatchDecision, type MatchPolicy } from '@vigil/domain';
import type { Database } from '@vigil/persistence';
import { PoolJobError, type DetectedFace, type ImageScheduling } from '@vigil/vision';
import type { InferenceService } from '../inference/inference.service';
import { Metrics } from '../metrics/metrics';
import type { DecisionDispatcher, MatchToDispatch } from '../recognition/decision-dispatcher';
import type { GalleryMatcher } from '../recognition/gallery-matcher.service';
import type { KioskLivenessService } from './kiosk-liveness.service';
import { KioskService } from './kiosk.service';

const POLICY: MatchPolicy = { thresholds: { watchlist: 0.44, employee: 0.53 }, margin: 0.05 };
const KIOSK: Principal = { tokenId: '00000000-0000-4000-8000-00000000000k', sessionId: null, userId: null, role: 'kiosk', name: 'Lobby' };
const PEOPLE: Record<string, string> = { ana: 'Ana Silva', bea: 'Bea Costa', walt: 'Walt Banned' };

/** One clear face, as the engine reports it (passes the recognition quality gate). */
const FACE: DetectedFace = {
  box: { x: 100, y: 100, width: 200, height: 200 },
  score: 0.95,
  landmarks: [],
  descriptor: new Float32Array(128),
  quality: { boxSizePx: 200, interOcularPx: 70, sharpness: 0.2, meanLuminance: 120, clippedFraction: 0, yawDeg: 0, rollDeg: 0, detectorScore: 0.95 },
};

function kiosk(options: { match?: MatchDecision; detect?: () => Promise<DetectedFace[]>; livenessRequired?: boolean; live?: boolean }) {
  const dispatched: MatchToDispatch[] = [];
  const lanes: Array<ImageScheduling['lane']> = [];
  const pool = {
    detectImage: (_image: Uint8Array, _options: unknown, scheduling: ImageScheduling = {}) => {
      lanes.push(scheduling.lane);
      return options.detect ? options.detect() : Promise.resolve([FACE]);
    },
  };
  const inference = { acquire: () => Promise.resolve(pool) } as unknown as InferenceService;
  const matcher = { settled: () => Promise.resolve(), match: () => options.match, policy: POLICY, modelVersionId: 1 } as unknown as GalleryMatcher;
  const decisions = {
    match: (m: MatchToDispatch) => {
      dispatched.push(m);
      return Promise.resolve(m.list === 'employee' ? { kind: 'attendance', decision: { kind: 'in' }, event: { at: m.at } } : { kind: 'alert', alert: {} });
    },
  } as unknown as DecisionDispatcher;
  const db = { repos: { persons: { findById: (id: string) => Promise.resolve(PEOPLE[id] ? { id, name: PEOPLE[id] } : null) } } } as unknown as Database;
  const metrics = new Metrics();
  const matched: string[] = [];
  const countingMatcher = { ...matcher, match: () => (matched.push('match'), options.match) } as unknown as GalleryMatcher;
  const liveness = {
    required: () => Promise.resolve(options.livenessRequired ?? false),
    challengeRequired: () => ({ decision: 'liveness_required', message: 'run the challenge' }),
    consume: () => Promise.resolve('turn_left'),
    assess: () => Promise.resolve(options.live ? { live: true, frontalIndex: 1, turnedIndex: 2, turnDeg: 25, parallax: 0.2, yawsDeg: [] } : { live: false, reason: 'flat' }),
  } as unknown as KioskLivenessService;
  return { service: new KioskService(db, inference, countingMatcher, decisions, metrics, liveness), dispatched, lanes, metrics, matched };
}

const c = (personId: string, distance: number, list: MatchCandidate['list'] = 'employee'): MatchCandidate => ({ personId, list, distance });
const image = { buffer: Buffer.from('a jpeg') };

describe('KioskService: a name (and a booking) only on a confident employee match', () => {
  const cases: Array<{ name: string; candidates: MatchCandidate[]; decision: string; booked: boolean; alerted: boolean }> = [
    { name: 'a clear employee is checked in by name', candidates: [c('ana', 0.2), c('bea', 0.7)], decision: 'checked_in', booked: true, alerted: false },
    { name: 'an employee matched just under the threshold is "not recognised", not booked', candidates: [c('ana', 0.51)], decision: 'not_recognised', booked: false, alerted: false },
    { name: 'an employee with a look-alike within 0.10 is "not recognised", not booked', candidates: [c('ana', 0.3), c('bea', 0.37)], decision: 'not_recognised', booked: false, alerted: false },
    { name: 'a watchlist person is "not recognised" and raises an alert', candidates: [c('walt', 0.2, 'watchlist')], decision: 'not_recognised', booked: false, alerted: true },
    { name: 'a stranger is "not recognised"', candidates: [c('ana', 0.7)], decision: 'not_recognised', booked: false, alerted: false },
  ];
  for (const t of cases) {
    it(t.name, async () => {
      const k = kiosk({ match: decideMatch(t.candidates, POLICY) });
      const answer = await k.service.check(KIOSK, [image]);
      assert.equal(answer.decision, t.decision);
      if (answer.decision === 'not_recognised') {
        assert.deepEqual(answer, { decision: 'not_recognised', message: 'Not recognised. Please ask at the front desk.' }, 'the same answer, whoever it was');
      } else {
        assert.equal('person' in answer && answer.person.name, 'Ana Silva');
      }
      assert.equal(k.dispatched.some((m) => m.list === 'employee'), t.booked, 'booked');
      assert.equal(k.dispatched.some((m) => m.list === 'watchlist'), t.alerted, 'alerted');
      assert.deepEqual(k.lanes, ['kiosk'], 'analysed in the kiosk lane');
    });
  }

  it('counts what it withheld, by reason', async () => {
    const k = kiosk({ match: decideMatch([c('ana', 0.51)], POLICY) });
    await k.service.check(KIOSK, [image]);
    const withheld = await k.metrics.kioskWithheld.get();
    assert.deepEqual(withheld.values.map((v) => [v.labels.reason, v.value]), [['near_threshold', 1]]);
  });

  it('a full kiosk lane is a 503 with a retry hint, counted', async () => {
    const k = kiosk({ detect: () => Promise.reject(new PoolJobError('inference busy: 2 kiosk images are already waiting', 'busy')) });
    await assert.rejects(k.service.check(KIOSK, [image]), (err: unknown) => {
      assert.ok(err instanceof UnavailableError);
      assert.match(err.message, /busy right now; try again in a moment/);
      assert.deepEqual(err.details, { retryAfterSeconds: 1 });
      return true;
    });
    const refused = await k.metrics.kioskRefused.get();
    assert.deepEqual(refused.values.map((v) => [v.labels.reason, v.value]), [['busy', 1]]);
  });
});

describe('KioskService with liveness', () => {
  const clear = decideMatch([c('ana', 0.2)], POLICY);
  it('a kiosk that must run the challenge and sends one frame without a nonce is told so; nothing is matched or booked', async () => {
    const k = kiosk({ match: clear, livenessRequired: true });
    assert.equal((await k.service.check(KIOSK, [image])).decision, 'liveness_required');
    assert.deepEqual(k.matched, []);
    assert.deepEqual(k.dispatched, []);
  });

  it('a failed challenge matches nothing, books nothing, alerts nothing, and says not_live', async () => {
    const k = kiosk({ match: decideMatch([c('walt', 0.2, 'watchlist')], POLICY), livenessRequired: true, live: false });
    const answer = await k.service.check(KIOSK, [image, image, image], 'n'.repeat(43));
    assert.deepEqual(answer, { decision: 'not_live', reason: 'flat', message: 'Could not confirm a live person — please try again and turn your head as shown.' });
    assert.deepEqual(k.matched, []);
    assert.deepEqual(k.dispatched, []);
    assert.deepEqual(k.lanes, ['kiosk', 'kiosk', 'kiosk'], 'every frame analysed in the kiosk lane');
  });

  it('a passed challenge books through the one-frame path', async () => {
    const k = kiosk({ match: clear, livenessRequired: true, live: true });
    const answer = await k.service.check(KIOSK, [image, image, image], 'n'.repeat(43));
    assert.equal(answer.decision, 'checked_in');
    assert.equal(k.dispatched.length, 1);
  });

  it('several frames without a nonce are refused (400)', async () => {
    const k = kiosk({ match: clear });
    await assert.rejects(k.service.check(KIOSK, [image, image]), /send the challenge's nonce/);
  });
});
