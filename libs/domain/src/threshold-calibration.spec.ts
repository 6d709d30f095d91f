import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { calibrateThreshold } from './threshold-calibration';
import { mulberry32 } from './testing/mulberry32';

/** Seeded normal samples (Box–Muller), clamped to non-negative distances. */
function normals(n: number, mean: number, sd: number, seed: number): number[] {
  const rnd = mulberry32(seed);
  const out: number[] = [];
  while (out.length < n) {
    const u = 1 - rnd();
    const v = rnd();
    out.push(Math.max(0, mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
  }
  return out;
}

describe('calibrateThreshold lands on the requested FAR (synthetic genuine/impostor distributions)', () => {
  // z = Φ⁻¹(far): the impostor-distance quantile a perfect calibration would pick.
  const cases = [
    { far: 1e-2, z: -2.3263, impostor: { mean: 0.85, sd: 0.1 }, genuine: { mean: 0.35, sd: 0.07 }, n: 50_000 },
    { far: 1e-3, z: -3.0902, impostor: { mean: 0.85, sd: 0.1 }, genuine: { mean: 0.35, sd: 0.07 }, n: 100_000 },
    { far: 1e-4, z: -3.719, impostor: { mean: 0.85, sd: 0.08 }, genuine: { mean: 0.3, sd: 0.06 }, n: 400_000 },
    { far: 5e-3, z: -2.5758, impostor: { mean: 0.7, sd: 0.06 }, genuine: { mean: 0.45, sd: 0.08 }, n: 60_000 },
  ];
  for (const c of cases) {
    it(`FAR ${c.far}: impostors N(${c.impostor.mean}, ${c.impostor.sd}), ${c.n} pairs`, () => {
      const impostor = normals(c.n, c.impostor.mean, c.impostor.sd, 11);
      const genuine = normals(20_000, c.genuine.mean, c.genuine.sd, 12);
      const result = calibrateThreshold({ genuine, impostor, maxFar: c.far, current: 0.45 });
      assert.equal(result.basis, 'target');
      assert.equal(result.clamped, false);
      // On the calibration data: exactly the allowed number of false accepts (continuous data, no ties).
      assert.equal(result.far, Math.floor(c.far * c.n) / c.n);
      // Near the analytic quantile of the impostor distribution.
      const quantile = c.impostor.mean + c.impostor.sd * c.z;
      assert.ok(Math.abs(result.threshold - quantile) < 0.01, `threshold ${result.threshold} vs quantile ${quantile.toFixed(4)}`);
      // On fresh data from the same distribution the FAR is the target, within binomial noise (4 σ).
      const fresh = normals(c.n, c.impostor.mean, c.impostor.sd, 99);
      const accepted = fresh.filter((d) => d <= result.threshold).length;
      const expected = c.far * c.n;
      assert.ok(Math.abs(accepted - expected) <= 4 * Math.sqrt(expected) + 1, `fresh data accepted ${accepted}, expected ${expected}`);
    });
  }
});

describe('calibrateThreshold with little data is conservative and says so', () => {
  const cases: Array<{ name: string; genuine: number[]; impostor: number[]; current: number; maxFar: number; expected: number; basis: string; note: RegExp }> = [
    { name: 'no impostors: keeps the current threshold', genuine: [0.2, 0.3], impostor: [], current: 0.45, maxFar: 1e-4, expected: 0.45, basis: 'insufficient_impostors', note: /only 0 impostor pairs.*kept.*never loosened/ },
    { name: 'far impostors: never loosens', genuine: [0.2, 0.3], impostor: [0.7, 0.9], current: 0.4, maxFar: 1e-4, expected: 0.4, basis: 'insufficient_impostors', note: /needs at least 10000/ },
    { name: 'an accepted impostor: tightens half-way below it', genuine: [0.2, 0.3], impostor: [0.38, 0.7], current: 0.45, maxFar: 1e-4, expected: 0.34, basis: 'insufficient_impostors', note: /tightened below the nearest impostor/ },
    { name: 'an impostor inside a loose threshold: half-way between it and the genuine below', genuine: [0.5], impostor: [0.6], current: 0.8, maxFar: 0.01, expected: 0.55, basis: 'insufficient_impostors', note: /tightened/ },
    { name: 'clamped to the lowest allowed threshold', genuine: [], impostor: [0.1], current: 0.45, maxFar: 1e-4, expected: 0.2, basis: 'insufficient_impostors', note: /clamped to 0.2/ },
    { name: 'enough impostors at a loose target: may loosen, to the data', genuine: [0.3], impostor: [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4], current: 0.4, maxFar: 0.1, expected: 0.55, basis: 'target', note: /resolve FAR 0.1; at most 1 accepted/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = calibrateThreshold({ genuine: c.genuine, impostor: c.impostor, maxFar: c.maxFar, current: c.current });
      assert.equal(r.threshold, c.expected);
      assert.equal(r.basis, c.basis);
      assert.match(r.note, c.note);
      assert.ok(r.threshold <= c.current || r.basis === 'target', 'conservative mode never loosens');
    });
  }

  it('reports the observed rates at the chosen threshold', () => {
    const r = calibrateThreshold({ genuine: [0.1, 0.2, 0.5], impostor: [0.38, 0.7], current: 0.45, maxFar: 1e-4 });
    assert.deepEqual({ far: r.far, frr: r.frr, impostors: r.impostors, genuine: r.genuine, needed: r.impostorsNeeded }, { far: 0, frr: 1 / 3, impostors: 2, genuine: 3, needed: 10_000 });
  });

  it('refuses impossible targets and bad distances', () => {
    assert.throws(() => calibrateThreshold({ genuine: [], impostor: [], maxFar: 0, current: 0.4 }), InvalidInputError);
    assert.throws(() => calibrateThreshold({ genuine: [], impostor: [], maxFar: 1, current: 0.4 }), InvalidInputError);
    assert.throws(() => calibrateThreshold({ genuine: [-0.1], impostor: [], maxFar: 0.01, current: 0.4 }), InvalidInputError);
    assert.throws(() => calibrateThreshold({ genuine: [], impostor: [Number.NaN], maxFar: 0.01, current: 0.4 }), InvalidInputError);
  });
});
