import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { euclideanDistance } from './descriptor';
import { l2Normalize, NORMALISED_DESCRIPTOR_LENGTH } from './descriptor-ops';
import { InvalidInputError } from './errors';
import { applyHead, decodeHead, encodeHead, identityHead, makeHead, personBatches, splitByPerson } from './projection-head';
import { mulberry32 } from './seeded-random';

const random = mulberry32(5);
const descriptor = () => l2Normalize(Float32Array.from({ length: 128 }, () => random() - 0.5), NORMALISED_DESCRIPTOR_LENGTH);

describe('projection head', () => {
  it('at the identity gives the base model\'s distances on normalised descriptors', () => {
    const head = identityHead();
    const xs = Array.from({ length: 6 }, descriptor);
    for (const a of xs) {
      for (const b of xs) {
        assert.ok(Math.abs(euclideanDistance(applyHead(head, a), applyHead(head, b)) - euclideanDistance(a, b)) < 1e-5);
      }
    }
  });

  it('projects (row-major matrix × descriptor) and scales to the product\'s descriptor length', () => {
    const w = new Float32Array(128 * 128);
    for (let i = 0; i < 128; i++) w[i * 128 + i] = i === 0 ? 3 : 1; // stretch coordinate 0
    w[1 * 128 + 0] = 2; // out[1] = 2·in[0] + in[1]
    const x = new Float32Array(128);
    x[0] = 1;
    x[1] = 1;
    const y = applyHead(makeHead(w, 128), x);
    const norm = Math.hypot(3, 3);
    assert.ok(Math.abs(y[0]! - (3 / norm) * NORMALISED_DESCRIPTOR_LENGTH) < 1e-6);
    assert.ok(Math.abs(y[1]! - (3 / norm) * NORMALISED_DESCRIPTOR_LENGTH) < 1e-6);
    assert.ok(Math.abs(Math.hypot(...y) - NORMALISED_DESCRIPTOR_LENGTH) < 1e-5);
    assert.equal(applyHead(makeHead(new Float32Array(128 * 128), 128), x).every((v) => v === 0), true, 'a head that maps to zero matches nobody');
  });

  it('round-trips through its stored form, with a key that follows the weights', () => {
    const w = identityHead().weights.slice();
    w[5] = 0.25;
    const head = makeHead(w, 128);
    const back = decodeHead(JSON.parse(JSON.stringify(encodeHead(head, { epochs: 3 }))));
    assert.deepEqual(back.weights, head.weights);
    assert.equal(back.key, head.key);
    assert.notEqual(head.key, identityHead().key);
    assert.throws(() => decodeHead({ v: 1, inputDims: 128, dims: 128, weights: 'AAAA' }), InvalidInputError);
    assert.throws(() => decodeHead(null), InvalidInputError);
    assert.throws(() => makeHead(new Float32Array(10), 128), InvalidInputError);
  });

  it('splits by person: nobody is on both sides, and the split is reproducible', () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ id: i, person: `p${i % 37}` }));
    const [train, test] = splitByPerson(items, (x) => x.person, [80, 20], 11);
    const trainPersons = new Set(train!.map((x) => x.person));
    assert.ok(test!.length > 0 && train!.length > 0);
    for (const x of test!) assert.equal(trainPersons.has(x.person), false, `${x.person} is on both sides`);
    assert.equal(train!.length + test!.length, items.length);
    assert.deepEqual(splitByPerson([...items].reverse(), (x) => x.person, [80, 20], 11)[1]!.map((x) => x.id).sort(), test!.map((x) => x.id).sort());
  });

  it('batches persons with at least two samples, P×K, each batch holding positives and negatives', () => {
    const persons = ['a', 'a', 'a', 'b', 'b', 'c', 'd', 'd', 'd', 'd', 'd', 'e', 'e'];
    const batches = personBatches(persons, { personsPerBatch: 2, perPerson: 3, seed: 1 });
    const used = batches.flat().map((i) => persons[i]);
    assert.equal(used.includes('c'), false, 'a person with one sample makes no positive pair');
    for (const b of batches) {
      const ps = b.map((i) => persons[i]);
      assert.ok(new Set(ps).size >= 2);
      for (const p of new Set(ps)) assert.ok(ps.filter((x) => x === p).length >= 2 && ps.filter((x) => x === p).length <= 3);
    }
    assert.deepEqual(personBatches(persons, { personsPerBatch: 2, perPerson: 3, seed: 1 }), batches, 'seeded');
  });
});
