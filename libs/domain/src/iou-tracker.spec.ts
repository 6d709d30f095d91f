import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { IouTracker, iou, type Box } from './iou-tracker';

const box = (x: number, y: number, width = 10, height = 10): Box => ({ x, y, width, height });
const det = (x: number, y: number, width = 10, height = 10) => ({ box: box(x, y, width, height) });

describe('iou', () => {
  const cases = [
    { name: 'identical', a: box(0, 0), b: box(0, 0), expected: 1 },
    { name: 'disjoint', a: box(0, 0), b: box(20, 20), expected: 0 },
    { name: 'touching edges', a: box(0, 0), b: box(10, 0), expected: 0 },
    { name: 'half overlap', a: box(0, 0), b: box(5, 0), expected: 50 / 150 },
    { name: 'contained', a: box(0, 0, 10, 10), b: box(0, 0, 5, 5), expected: 0.25 },
    { name: 'zero-area', a: box(0, 0, 0, 0), b: box(0, 0, 0, 0), expected: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.ok(Math.abs(iou(c.a, c.b) - c.expected) < 1e-12);
      assert.ok(Math.abs(iou(c.b, c.a) - c.expected) < 1e-12, 'symmetric');
    });
  }
});

describe('IouTracker', () => {
  it('opens tracks, then continues them while boxes overlap', () => {
    const tr = new IouTracker();
    assert.deepEqual(tr.update([det(0, 0), det(100, 100)], 0), {
      assignments: [
        { trackId: 't1', detectionIndex: 0, isNew: true },
        { trackId: 't2', detectionIndex: 1, isNew: true },
      ],
      ended: [],
    });
    // Detections listed in the other order, both moved a little.
    assert.deepEqual(tr.update([det(102, 101), det(2, 1)], 500), {
      assignments: [
        { trackId: 't2', detectionIndex: 0, isNew: false },
        { trackId: 't1', detectionIndex: 1, isNew: false },
      ],
      ended: [],
    });
  });

  it('a jump below minIou starts a new track', () => {
    const tr = new IouTracker({ minIou: 0.5 });
    tr.update([det(0, 0)], 0);
    // IoU of a 5 px shift is 1/3 < 0.5.
    assert.deepEqual(tr.update([det(5, 0)], 100).assignments, [{ trackId: 't2', detectionIndex: 0, isNew: true }]);
  });

  describe('centre-shift fallback (frames analysed seconds apart)', () => {
    // [name, maxCenterShift, second detection, expected isNew]
    const cases: Array<[string, number, ReturnType<typeof det>, boolean]> = [
      ['off by default: a face that walked one box width is a new track', 0, det(10, 0), true],
      ['on: one box width away continues the track', 1.5, det(10, 0), false],
      ['on: 1.5 widths is the limit (inclusive)', 1.5, det(15, 0), false],
      ['on: further than the limit opens a new track', 1.5, det(16, 0), true],
      ['on: a box more than twice as large is someone else', 1.5, det(0, 0, 21, 21), true],
      ['on: exactly twice as large (the limit) and near continues', 1.5, det(0, 0, 20, 20), false],
    ];
    for (const [name, maxCenterShift, second, isNew] of cases) {
      it(name, () => {
        const tr = new IouTracker({ maxCenterShift });
        tr.update([det(0, 0)], 0);
        assert.equal(tr.update([second], 1000).assignments[0]!.isNew, isNew);
      });
    }
    it('IoU pairs are made first; the fallback only takes what is left', () => {
      const tr = new IouTracker({ maxCenterShift: 1.5 });
      tr.update([det(0, 0), det(100, 0)], 0);
      // d0 overlaps t1; d1 is one width from t2 and nothing else is near it.
      const { assignments } = tr.update([det(2, 0), det(110, 0)], 1000);
      assert.deepEqual(assignments, [
        { trackId: 't1', detectionIndex: 0, isNew: false },
        { trackId: 't2', detectionIndex: 1, isNew: false },
      ]);
    });
    it('ambiguous (two detections within reach of a track) → new tracks, never a guess', () => {
      const tr = new IouTracker({ maxCenterShift: 3 });
      tr.update([det(100, 0)], 0);
      const { assignments } = tr.update([det(80, 0), det(120, 0)], 1000);
      assert.deepEqual(assignments.map((a) => a.isNew), [true, true]);
    });
    it('ambiguous (two tracks within reach of a detection) → a new track (a crowd panning past)', () => {
      const tr = new IouTracker({ maxCenterShift: 1.5 });
      tr.update([det(0, 0), det(20, 0)], 0);
      const { assignments } = tr.update([det(10, 0)], 1000);
      assert.deepEqual(assignments, [{ trackId: 't3', detectionIndex: 0, isNew: true }]);
    });
    it('rejects a negative maxCenterShift', () => assert.throws(() => new IouTracker({ maxCenterShift: -1 }), InvalidInputError));
  });

  it('greedy: the best overlap wins, the loser opens a new track', () => {
    const tr = new IouTracker();
    tr.update([det(0, 0)], 0);
    const { assignments } = tr.update([det(4, 0), det(1, 0)], 100);
    assert.deepEqual(assignments, [
      { trackId: 't2', detectionIndex: 0, isNew: true },
      { trackId: 't1', detectionIndex: 1, isNew: false },
    ]);
  });

  const ageCases = [
    { name: 'survives a gap of exactly maxAgeMs', gap: 2000, ended: [], isNew: false },
    { name: 'ends after more than maxAgeMs', gap: 2001, ended: ['t1'], isNew: true },
  ];
  for (const c of ageCases) {
    it(c.name, () => {
      const tr = new IouTracker();
      tr.update([det(0, 0)], 1000);
      const u = tr.update([det(0, 0)], 1000 + c.gap);
      assert.deepEqual(u.ended, c.ended);
      assert.equal(u.assignments[0].isNew, c.isNew);
    });
  }

  it('empty updates age tracks out; ages count from the last sighting', () => {
    const tr = new IouTracker({ maxAgeMs: 1000 });
    tr.update([det(0, 0), det(50, 50)], 0);
    tr.update([det(0, 0)], 800);
    assert.deepEqual(tr.update([], 1500).ended, ['t2']);
    assert.deepEqual(tr.update([], 1900).ended, ['t1']);
    assert.deepEqual(tr.activeTracks, []);
  });

  it('uses the injected id generator and reports active tracks', () => {
    let n = 100;
    const tr = new IouTracker({ nextId: () => `cam7-${n++}` });
    tr.update([det(0, 0)], 10);
    tr.update([det(1, 0)], 20);
    assert.deepEqual(tr.activeTracks, [{ trackId: 'cam7-100', box: box(1, 0), firstSeenAt: 10, lastSeenAt: 20 }]);
    assert.deepEqual(tr.endAll(), ['cam7-100']);
    assert.equal(tr.activeTracks.length, 0);
  });

  it('default ids are per tracker', () => {
    const a = new IouTracker();
    const b = new IouTracker();
    a.update([det(0, 0)], 0);
    assert.equal(b.update([det(0, 0)], 0).assignments[0].trackId, 't1');
  });

  const bad: Array<[string, () => unknown]> = [
    ['negative width', () => new IouTracker().update([det(0, 0, -1, 5)], 0)],
    ['NaN coordinate', () => new IouTracker().update([det(Number.NaN, 0)], 0)],
    ['non-finite time', () => new IouTracker().update([], Number.NaN)],
    ['minIou 0', () => new IouTracker({ minIou: 0 })],
    ['negative maxAgeMs', () => new IouTracker({ maxAgeMs: -1 })],
    [
      'time going backwards',
      () => {
        const tr = new IouTracker();
        tr.update([], 100);
        tr.update([], 99);
      },
    ],
  ];
  for (const [name, fn] of bad) it(`rejects ${name}`, () => assert.throws(fn, InvalidInputError));
});
