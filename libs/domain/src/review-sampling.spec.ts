import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { decideSample, retentionExpiry, sampleDraw, type SampleInput } from './review-sampling';

const base: SampleInput = { seed: 7, key: 'unknown:cam:2026-11-27T08:00:00.000Z', rate: 0.5, takenToday: 0, dailyCap: 10 };

describe('sampleDraw', () => {
  it('is deterministic for a seed and key, in [0, 1)', () => {
    const a = sampleDraw(1, 'k');
    assert.equal(sampleDraw(1, 'k'), a);
    assert.ok(a >= 0 && a < 1);
  });

  it('changes with the seed and with the key', () => {
    const keys = Array.from({ length: 50 }, (_, i) => `attendance:cam:${i}`);
    const one = keys.map((k) => sampleDraw(1, k));
    const two = keys.map((k) => sampleDraw(2, k));
    assert.notDeepEqual(one, two);
    assert.equal(new Set(one).size, keys.length);
  });
});

describe('decideSample', () => {
  // Draws of this seed/key, so the table's expectations are visible rather than magic.
  const draw = sampleDraw(base.seed, base.key);
  const cases: Array<{ name: string; input: Partial<SampleInput>; keep: boolean; reason?: string }> = [
    { name: 'rate 0 never keeps', input: { rate: 0 }, keep: false, reason: 'rate_zero' },
    { name: 'rate 1 always keeps under the cap', input: { rate: 1 }, keep: true },
    { name: 'the cap wins over rate 1', input: { rate: 1, takenToday: 10 }, keep: false, reason: 'daily_cap' },
    { name: 'cap 0 keeps nothing', input: { rate: 1, dailyCap: 0 }, keep: false, reason: 'daily_cap' },
    { name: 'one below the cap still keeps', input: { rate: 1, takenToday: 9 }, keep: true },
    { name: 'rate just above the draw keeps', input: { rate: Math.min(1, draw + 1e-9) }, keep: true },
    { name: 'rate equal to the draw does not keep', input: { rate: draw }, keep: false, reason: 'not_drawn' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decideSample({ ...base, ...c.input });
      assert.equal(d.keep, c.keep);
      if (!d.keep) assert.equal(d.reason, c.reason);
    });
  }

  const rates = [0.01, 0.05, 0.1, 0.25, 0.5, 0.9];
  for (const rate of rates) {
    it(`keeps close to ${rate} of 20,000 decisions`, () => {
      const n = 20_000;
      let kept = 0;
      for (let i = 0; i < n; i++) if (decideSample({ ...base, rate, key: `attendance:cam-1:${i}`, dailyCap: n }).keep) kept++;
      // 5 standard deviations of a binomial: a sampler that ignored the rate would be far outside.
      const sd = Math.sqrt(n * rate * (1 - rate));
      assert.ok(Math.abs(kept - n * rate) < 5 * sd, `kept ${kept} of ${n} at rate ${rate}`);
    });
  }

  const invalid: Array<[string, Partial<SampleInput>]> = [
    ['rate above 1', { rate: 1.5 }],
    ['negative rate', { rate: -0.1 }],
    ['NaN rate', { rate: NaN }],
    ['negative count', { takenToday: -1 }],
    ['fractional cap', { dailyCap: 1.5 }],
  ];
  for (const [name, input] of invalid) {
    it(`refuses ${name}`, () => assert.throws(() => decideSample({ ...base, ...input }), InvalidInputError));
  }
});

describe('retentionExpiry', () => {
  it('adds whole days', () => {
    assert.equal(retentionExpiry(new Date('2026-11-01T10:00:00Z'), 30).toISOString(), '2026-12-01T10:00:00.000Z');
  });
  it('refuses zero or fractional days', () => {
    assert.throws(() => retentionExpiry(new Date(), 0), InvalidInputError);
    assert.throws(() => retentionExpiry(new Date(), 1.5), InvalidInputError);
  });
});
