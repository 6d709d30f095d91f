import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fpirFromFar, openSetAt, thresholdForFpir } from './open-set';

const strangers = (ds: number[]) => ds.map((nearest) => ({ nearest }));

describe('open-set identification rates', () => {
  const mated = [
    { nearest: 0.3, nearestIsSelf: true },
    { nearest: 0.45, nearestIsSelf: true },
    { nearest: 0.35, nearestIsSelf: false }, // nearest is someone else: never a hit
    { nearest: 0.7, nearestIsSelf: true },
  ];
  const table: Array<{ threshold: number; fpir: number; tpir: number }> = [
    { threshold: 0.2, fpir: 0, tpir: 0 },
    { threshold: 0.3, fpir: 0, tpir: 0.25 },
    { threshold: 0.5, fpir: 0.25, tpir: 0.5 },
    { threshold: 0.9, fpir: 1, tpir: 0.75 },
  ];
  for (const c of table) {
    it(`at ${c.threshold}: FPIR ${c.fpir}, TPIR ${c.tpir}`, () => {
      const p = openSetAt(strangers([0.5, 0.6, 0.8, 0.9]), mated, c.threshold);
      assert.deepEqual([p.fpir, p.tpir], [c.fpir, c.tpir]);
    });
  }

  const fpirCases: Array<{ name: string; ds: number[]; fpir: number; expected: number | null }> = [
    { name: 'one of four may pass at 0.25: half-way to the second', ds: [0.6, 0.4, 0.8, 0.9], fpir: 0.25, expected: 0.5 },
    { name: 'none may pass: half the nearest', ds: [0.6, 0.8, 0.9, 1.0, 1.1], fpir: 0.1, expected: null },
    { name: 'none of ten may pass at 0.05: too few strangers', ds: Array(10).fill(1), fpir: 0.05, expected: null },
    { name: 'none of ten may pass at 0.1 → half the nearest', ds: [0.6, ...Array(9).fill(1)], fpir: 0.1, expected: 0.8 },
  ];
  for (const c of fpirCases) it(c.name, () => assert.equal(thresholdForFpir(strangers(c.ds), c.fpir), c.expected));

  it('extrapolates FPIR from the 1:1 FAR over the gallery size', () => {
    assert.equal(fpirFromFar(0, 1000), 0);
    assert.ok(Math.abs(fpirFromFar(1e-5, 1000) - 0.00995) < 1e-4);
    assert.ok(Math.abs(fpirFromFar(0.5, 2) - 0.75) < 1e-12);
    assert.throws(() => fpirFromFar(0.1, 0), /positive integer/);
    assert.throws(() => openSetAt([], [], 0.5), /at least one stranger/);
  });
});
