import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyHead, euclideanDistance, l2Normalize, mulberry32, NORMALISED_DESCRIPTOR_LENGTH } from '@vigil/domain';
import { trainHead, type HeadSample } from './head-training';

/**
 * A toy set a linear head can separate and the raw distance cannot: each person is a point in the
 * first 16 coordinates, while a large nuisance (lighting, pose…) varies along the next 16
 * independently of the person. Raw distances are dominated by the nuisance.
 */
function toy(persons: number, perPerson: number, seed: number): HeadSample[] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const out: HeadSample[] = [];
  for (let p = 0; p < persons; p++) {
    const centre = Array.from({ length: 16 }, () => gauss());
    for (let k = 0; k < perPerson; k++) {
      const d = new Float32Array(128);
      for (let i = 0; i < 16; i++) d[i] = centre[i]! + 0.1 * gauss();
      for (let i = 16; i < 32; i++) d[i] = 2 * gauss();
      for (let i = 32; i < 128; i++) d[i] = 0.05 * gauss();
      out.push({ person: `p${seed}-${p}`, descriptor: l2Normalize(d, NORMALISED_DESCRIPTOR_LENGTH) });
    }
  }
  return out;
}

/** Share of (same-person pair, different-person pair) orderings the distance gets right. */
function ranking(samples: readonly HeadSample[], project: (d: Float32Array) => Float32Array): number {
  const ys = samples.map((s) => project(s.descriptor));
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < ys.length; i++) for (let j = i + 1; j < ys.length; j++) (samples[i]!.person === samples[j]!.person ? pos : neg).push(euclideanDistance(ys[i]!, ys[j]!));
  let right = 0;
  for (const p of pos) for (const n of neg) right += p < n ? 1 : 0;
  return right / (pos.length * neg.length);
}

describe('head training (tfjs)', () => {
  it('lowers the loss on a separable toy set and generalises to persons it never saw', async () => {
    const train = toy(24, 4, 1);
    const heldOut = toy(10, 3, 2);
    const epochs: number[] = [];
    const r = await trainHead(train, { epochs: 30, personsPerBatch: 8, learningRate: 0.02, onEpoch: (e) => epochs.push(e) });
    assert.deepEqual(epochs, Array.from({ length: 30 }, (_, i) => i + 1));
    assert.equal(r.losses.length, 31);
    assert.ok(r.losses.at(-1)! < r.losses[0]! * 0.5, `loss ${r.losses[0]} → ${r.losses.at(-1)}`);
    const before = ranking(heldOut, (d) => d);
    const after = ranking(heldOut, (d) => applyHead(r.head, d));
    assert.ok(after > before + 0.15 && after > 0.9, `held-out ranking ${before.toFixed(3)} → ${after.toFixed(3)}`);
  });

  it('with no steps to take stays the identity, and refuses data without positive pairs', async () => {
    const r = await trainHead(toy(3, 2, 3), { epochs: 1, learningRate: 1e-9 });
    const x = toy(1, 1, 4)[0]!.descriptor;
    assert.ok(euclideanDistance(applyHead(r.head, x), x) < 1e-4);
    await assert.rejects(trainHead(toy(5, 1, 5), { epochs: 1 }), /at least 2 persons with 2 or more samples/);
  });
});
