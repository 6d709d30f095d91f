import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { TrackVote, type TrackSighting, type TrackVoteOptions } from './track-vote';

// threshold 0.4: distance 0 → score 1, 0.2 → 0.75, 0.4 → 0.5.
const m = (personId: string, distance = 0, quality = 1): TrackSighting => ({ personId, distance, quality, threshold: 0.4 });
const u = (quality = 1): TrackSighting => ({ personId: null, distance: 0, quality });

function vote(sightings: TrackSighting[], options?: TrackVoteOptions) {
  const v = new TrackVote();
  for (const s of sightings) v.add(s);
  return v.decide(options);
}

describe('TrackVote.decide', () => {
  const cases: Array<{ name: string; sightings: TrackSighting[]; options?: TrackVoteOptions; expected: Record<string, unknown> }> = [
    { name: 'clear majority', sightings: [m('a'), m('a'), m('b', 0.4)], expected: { kind: 'match', personId: 'a', share: 2 / 2.5 } },
    { name: 'tie → unknown', sightings: [m('a'), m('b'), m('a', 0, 0.5), m('b', 0, 0.5)], expected: { kind: 'unknown', reason: 'tie' } },
    { name: 'fewer than minSightings → pending', sightings: [m('a'), m('a')], expected: { kind: 'pending', sightings: 2 } },
    { name: 'minSightings is configurable', sightings: [m('a')], options: { minSightings: 1 }, expected: { kind: 'match', personId: 'a' } },
    {
      name: 'low-quality sightings are outweighed',
      sightings: [m('b', 0, 0.1), m('b', 0, 0.1), m('b', 0, 0.1), m('a', 0, 0.9)],
      expected: { kind: 'match', personId: 'a', share: 0.75 },
    },
    {
      name: 'borderline matches count half of confident ones',
      // a: 3 × 0.5 = 1.5, b: 1 × 1 = 1 → share 0.6, exactly minShare.
      sightings: [m('a', 0.4), m('a', 0.4), m('a', 0.4), m('b')],
      expected: { kind: 'match', personId: 'a', share: 0.6 },
    },
    { name: 'unknowns dominating → unknown', sightings: [u(), u(), m('a')], expected: { kind: 'unknown', reason: 'unknown_majority' } },
    {
      name: 'plurality without majority → unknown',
      sightings: [m('a'), m('a'), m('b'), u()],
      // a 2, b 1, unknown 0.75: share 0.53 < 0.6.
      expected: { kind: 'unknown', reason: 'no_majority' },
    },
    {
      name: 'a few unknowns do not veto a strong match',
      sightings: [m('a'), m('a'), m('a'), u(), u()],
      expected: { kind: 'match', personId: 'a', share: 3 / 4.5 },
    },
    {
      name: 'unknownWeight 0 ignores unknown sightings',
      sightings: [u(), u(), u(), m('a', 0.2)],
      options: { unknownWeight: 0 },
      expected: { kind: 'match', personId: 'a', share: 1 },
    },
    { name: 'all quality 0 stays pending', sightings: [m('a', 0, 0), m('a', 0, 0), u(0)], expected: { kind: 'pending', sightings: 3 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = vote(c.sightings, c.options) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(c.expected)) {
        if (typeof value === 'number') assert.ok(Math.abs((d[key] as number) - value) < 1e-9, `${key}: ${String(d[key])}`);
        else assert.equal(d[key], value, key);
      }
    });
  }
});

describe('TrackVote lifecycle', () => {
  it('decides once; later sightings are ignored', () => {
    const v = new TrackVote();
    v.add({ ...m('a'), list: 'watchlist' });
    v.add(m('a'));
    assert.equal(v.decision(), null);
    assert.equal(v.decide().kind, 'pending');
    assert.equal(v.isDecided, false);
    v.add(m('a'));
    const first = v.decide();
    assert.deepEqual(first, { kind: 'match', personId: 'a', share: 1, sightings: 3, list: 'watchlist' });
    assert.equal(v.add(m('b')), false);
    assert.equal(v.add(m('b')), false);
    assert.equal(v.sightingCount, 3);
    assert.equal(v.decide(), first);
    assert.equal(v.decision(), first);
  });
  it('an unknown decision is final too', () => {
    const v = new TrackVote();
    for (const s of [u(), u(), u()]) v.add(s);
    assert.equal(v.decide().kind, 'unknown');
    v.add(m('a'));
    assert.equal(v.decide().kind, 'unknown');
  });
  const bad: Array<[string, () => unknown]> = [
    ['quality above 1', () => new TrackVote().add(m('a', 0, 1.1))],
    ['negative distance', () => new TrackVote().add(m('a', -0.1))],
    ['threshold out of bounds', () => new TrackVote().add({ ...m('a'), threshold: 2 })],
    ['empty personId', () => new TrackVote().add(m(''))],
    ['minShare 0.5 (would allow ties)', () => new TrackVote().decide({ minShare: 0.5 })],
    ['minSightings 0', () => new TrackVote().decide({ minSightings: 0 })],
    ['negative unknownWeight', () => new TrackVote().decide({ unknownWeight: -1 })],
  ];
  for (const [name, fn] of bad) it(`rejects ${name}`, () => assert.throws(fn, InvalidInputError));
});
