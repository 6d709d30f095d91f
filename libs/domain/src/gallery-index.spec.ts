import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { GalleryIndex, MIN_REFERENCE_WEIGHT, effectiveDistance, type GalleryReference } from './gallery-index';
import type { PersonList } from './person-list';

// 2-D embeddings keep the expected distances readable.
const ref = (referenceId: string, personId: string, x: number, y: number, weight?: number, list: PersonList = 'employee'): GalleryReference => ({
  referenceId,
  personId,
  list,
  embedding: [x, y],
  weight,
});
const q = (x: number, y: number): Float32Array => Float32Array.of(x, y);

function build(refs: GalleryReference[]): GalleryIndex {
  const index = new GalleryIndex(2, 1);
  for (const r of refs) index.add(r);
  return index;
}

const refs = [
  ref('a1', 'alice', 0, 0),
  ref('a2', 'alice', 1, 0),
  ref('b1', 'bob', 3, 4),
  ref('c1', 'carol', 0, 2, 1, 'watchlist'),
];

describe('GalleryIndex.search', () => {
  const cases = [
    { name: 'nearest first', query: q(0, 0), k: 2, expected: ['a1', 'a2'] },
    { name: 'k larger than size returns all', query: q(0, 0), k: 10, expected: ['a1', 'a2', 'c1', 'b1'] },
    { name: 'ties ordered by referenceId', query: q(0.5, 0), k: 2, expected: ['a1', 'a2'] },
    { name: 'far query', query: q(3, 3), k: 1, expected: ['b1'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        build(refs)
          .search(c.query, c.k)
          .map((h) => h.referenceId),
        c.expected,
      );
    });
  }
  it('reports effective and raw distance', () => {
    const [hit] = build([ref('x', 'p', 3, 4, 0.5)]).search(q(0, 0), 1);
    assert.deepEqual(hit, { referenceId: 'x', personId: 'p', list: 'employee', distance: 10, rawDistance: 5, weight: 0.5 });
  });
});

describe('reference weight', () => {
  const cases = [
    { name: 'weight 1 leaves the distance', raw: 0.4, weight: 1, expected: 0.4 },
    { name: 'weight 0.5 doubles it', raw: 0.4, weight: 0.5, expected: 0.8 },
    { name: 'tiny weights are floored', raw: 0.1, weight: 0.001, expected: 0.1 / MIN_REFERENCE_WEIGHT },
    { name: 'a perfect hit stays perfect', raw: 0, weight: 0.2, expected: 0 },
  ];
  for (const c of cases) it(c.name, () => assert.ok(Math.abs(effectiveDistance(c.raw, c.weight) - c.expected) < 1e-12));

  it('a down-weighted reference loses to a farther trusted one', () => {
    const index = build([ref('bad', 'mallory', 0.3, 0, 0.5), ref('good', 'alice', 0.5, 0)]);
    assert.deepEqual(
      index.search(q(0, 0), 2).map((h) => h.referenceId),
      ['good', 'bad'],
    );
  });
  it('weight 0 disables a reference until re-weighted', () => {
    const index = build([ref('off', 'p', 0, 0, 0), ref('on', 'q', 1, 0)]);
    assert.deepEqual(
      index.search(q(0, 0), 5).map((h) => h.referenceId),
      ['on'],
    );
    assert.equal(index.setWeight('off', 1), true);
    assert.equal(index.search(q(0, 0), 1)[0].referenceId, 'off');
  });
});

describe('GalleryIndex.bestPerPerson', () => {
  it('keeps only the best reference of each person, persons ascending', () => {
    assert.deepEqual(build(refs).bestPerPerson(q(1, 0), 5), [
      { personId: 'alice', list: 'employee', distance: 0, referenceId: 'a2' },
      { personId: 'carol', list: 'watchlist', distance: Math.hypot(1, 2), referenceId: 'c1' },
      { personId: 'bob', list: 'employee', distance: Math.hypot(2, 4), referenceId: 'b1' },
    ]);
  });
  it('limits to k persons', () => {
    assert.deepEqual(
      build(refs)
        .bestPerPerson(q(0, 0), 2)
        .map((h) => h.personId),
      ['alice', 'carol'],
    );
  });
  it('an empty index yields nothing', () => assert.deepEqual(new GalleryIndex(2).bestPerPerson(q(0, 0), 3), []));
});

describe('GalleryIndex ranking among candidates', () => {
  const cases = [
    { name: 'ranks only the given references', among: ['b1', 'c1'], search: ['c1', 'b1'], persons: ['carol', 'bob'] },
    { name: 'ignores unknown and repeated ids', among: ['zz', 'a2', 'a2', 'b1'], search: ['a2', 'b1'], persons: ['alice', 'bob'] },
    { name: 'an empty candidate list yields nothing', among: [], search: [], persons: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const index = build(refs);
      assert.deepEqual(index.search(q(0, 0), 5, c.among).map((h) => h.referenceId), c.search);
      assert.deepEqual(index.bestPerPerson(q(0, 0), 5, c.among).map((h) => h.personId), c.persons);
    });
  }
  it('weights and disabled references apply among candidates too', () => {
    const index = build([ref('off', 'p', 0, 0, 0), ref('half', 'q', 1, 0, 0.5), ref('full', 'r', 1.5, 0)]);
    assert.deepEqual(index.bestPerPerson(q(0, 0), 3, ['off', 'half', 'full']), [
      { personId: 'r', list: 'employee', distance: 1.5, referenceId: 'full' },
      { personId: 'q', list: 'employee', distance: 2, referenceId: 'half' },
    ]);
  });
  it('entry and copyEmbedding read a reference back', () => {
    const index = build(refs);
    assert.deepEqual(index.entry('c1'), { personId: 'carol', list: 'watchlist', weight: 1 });
    assert.equal(index.entry('nope'), undefined);
    const out = new Float32Array(4);
    assert.equal(index.copyEmbedding('b1', out, 2), true);
    assert.deepEqual([...out], [0, 0, 3, 4]);
    assert.deepEqual(index.referenceIdsOf('alice'), ['a1', 'a2']);
  });
});

describe('GalleryIndex mutation', () => {
  it('swap-removes and keeps every other reference findable', () => {
    const index = build(refs);
    assert.equal(index.remove('a1'), true);
    assert.equal(index.remove('a1'), false);
    assert.equal(index.size, 3);
    assert.equal(index.has('a1'), false);
    // c1 was the last slot and moved into a1's hole: it must still carry its own embedding.
    assert.equal(index.search(q(0, 2), 1)[0].referenceId, 'c1');
    assert.equal(index.search(q(3, 4), 1)[0].distance, 0);
  });
  it('removes all references of a person', () => {
    const index = build(refs);
    assert.equal(index.removePerson('alice'), 2);
    assert.equal(index.removePerson('nobody'), 0);
    assert.deepEqual(
      index.search(q(0, 0), 5).map((h) => h.personId),
      ['carol', 'bob'],
    );
  });
  it('re-adding a referenceId replaces it in place', () => {
    const index = build(refs);
    index.add(ref('b1', 'bob', 0, 0.1));
    assert.equal(index.size, 4);
    assert.equal(index.search(q(0, 0.1), 1)[0].referenceId, 'b1');
  });
  it('grows past its initial capacity', () => {
    const index = new GalleryIndex(2, 1);
    for (let i = 0; i < 100; i++) index.add(ref(`r${i}`, `p${i}`, i, 0));
    assert.equal(index.size, 100);
    assert.equal(index.search(q(57, 0), 1)[0].referenceId, 'r57');
  });
  it('replaceAll swaps the contents, and leaves them untouched on bad input', () => {
    const index = build(refs);
    index.replaceAll([ref('z', 'zed', 9, 9)]);
    assert.equal(index.size, 1);
    assert.equal(index.has('a1'), false);
    assert.throws(() => index.replaceAll([ref('y', 'p', 1, 1), ref('y', 'p', 2, 2)]), InvalidInputError);
    assert.throws(() => index.replaceAll([ref('y', 'p', 1, 1), { ...ref('w', 'p', 0, 0), embedding: [1] }]), InvalidInputError);
    assert.deepEqual(
      index.search(q(0, 0), 5).map((h) => h.referenceId),
      ['z'],
    );
  });
});

describe('GalleryIndex validation', () => {
  const index = new GalleryIndex();
  const good = { referenceId: 'r', personId: 'p', list: 'employee' as const, embedding: new Float32Array(128) };
  const bad: Array<[string, () => unknown]> = [
    ['wrong embedding length', () => index.add({ ...good, embedding: new Float32Array(127) })],
    ['non-finite embedding', () => index.add({ ...good, embedding: new Float32Array(128).fill(Number.NaN) })],
    ['weight above 1', () => index.add({ ...good, weight: 1.5 })],
    ['negative weight', () => index.add({ ...good, weight: -0.1 })],
    ['unknown list', () => index.add({ ...good, list: 'vip' as PersonList })],
    ['empty referenceId', () => index.add({ ...good, referenceId: '' })],
    ['wrong query length', () => index.search(new Float32Array(2), 1)],
    ['k = 0', () => index.search(new Float32Array(128), 0)],
    ['fractional k', () => index.bestPerPerson(new Float32Array(128), 1.5)],
    ['zero dimension', () => new GalleryIndex(0)],
  ];
  for (const [name, fn] of bad) it(`rejects ${name}`, () => assert.throws(fn, InvalidInputError));
  it('defaults to 128 dimensions', () => {
    assert.equal(index.dimension, 128);
    index.add(good);
    assert.equal(index.search(new Float32Array(128), 1)[0].distance, 0);
  });
});
