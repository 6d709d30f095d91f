import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { GalleryIndex, type GalleryReference } from './gallery-index';
import { HybridGalleryIndex, type HybridGalleryOptions } from './hybrid-gallery-index';
import type { PersonList } from './person-list';
import { BruteForceNeighbours } from './testing/brute-force-neighbours';
import { syntheticGallery } from './testing/synthetic-gallery';

// 2-D embeddings keep the expected distances readable (as in gallery-index.spec).
const ref = (referenceId: string, personId: string, x: number, y: number, weight?: number, list: PersonList = 'employee'): GalleryReference => ({
  referenceId,
  personId,
  list,
  embedding: [x, y],
  weight,
});
const q = (x: number, y: number): Float32Array => Float32Array.of(x, y);

function exactOf(refs: readonly GalleryReference[], dimension = 2): GalleryIndex {
  const index = new GalleryIndex(dimension);
  index.replaceAll(refs);
  return index;
}

/** A hybrid that is approximate from the first reference on, over an exact fake neighbour index. */
async function hybridOf(refs: readonly GalleryReference[], options: HybridGalleryOptions = {}): Promise<{ index: HybridGalleryIndex; made: BruteForceNeighbours[] }> {
  const made: BruteForceNeighbours[] = [];
  const index = new HybridGalleryIndex({
    dimension: 2,
    annMinReferences: 0,
    candidates: 2,
    maxCandidates: 8,
    createNeighbourIndex: (d) => {
      const n = new BruteForceNeighbours(d);
      made.push(n);
      return n;
    },
    ...options,
  });
  index.replaceAll(refs);
  await index.whenIndexed();
  return { index, made };
}

describe('HybridGalleryIndex keeps GalleryIndex semantics on approximate candidates', () => {
  const cases: Array<{ name: string; refs: GalleryReference[]; query: Float32Array; persons: string[]; widened: boolean; candidates?: number }> = [
    {
      name: 'all weights 1: the first candidates prove the result',
      candidates: 3,
      refs: [ref('a1', 'alice', 0, 0), ref('b1', 'bob', 1, 0), ref('c1', 'carol', 2, 0), ref('d1', 'dave', 3, 0)],
      query: q(0, 0),
      persons: ['alice', 'bob'],
      widened: false,
    },
    {
      name: 'a down-weighted nearest person loses to a farther trusted one',
      refs: [ref('m1', 'mallory', 0.1, 0, 0.2), ref('m2', 'mallory', 0.12, 0, 0.2), ref('a1', 'alice', 0.45, 0), ref('b1', 'bob', 0.7, 0), ref('c1', 'carol', 3, 0)],
      query: q(0, 0),
      persons: ['alice', 'mallory'],
      widened: true,
    },
    {
      name: 'disabled references among the nearest are skipped',
      refs: [ref('d1', 'dave', 0, 0, 0), ref('d2', 'dave', 0.01, 0, 0), ref('a1', 'alice', 1, 0), ref('b1', 'bob', 2, 0), ref('c1', 'carol', 4, 0)],
      query: q(0, 0),
      persons: ['alice', 'bob'],
      widened: true,
    },
    {
      name: 'the runner-up person lies beyond the first candidates',
      refs: [ref('a1', 'alice', 0, 0), ref('a2', 'alice', 0.1, 0), ref('a3', 'alice', 0, 0.1), ref('b1', 'bob', 2, 0), ref('c1', 'carol', 3, 0, 1, 'watchlist')],
      query: q(0, 0),
      persons: ['alice', 'bob'],
      widened: true,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { index } = await hybridOf(c.refs, { candidates: c.candidates ?? 2 });
      const exact = exactOf(c.refs);
      const best = index.bestPerPerson(c.query, 2);
      assert.deepEqual(best, exact.bestPerPerson(c.query, 2));
      assert.deepEqual(best.map((h) => h.personId), c.persons);
      assert.equal(index.stats().mode, 'approximate');
      assert.equal(index.stats().widenedSearches > 0, c.widened);
      assert.deepEqual(index.search(c.query, 3), exact.search(c.query, 3));
      assert.equal(index.stats().exactFallbacks, 0);
    });
  }

  it('answers exactly when even the widest candidate set leaves the result unproven', async () => {
    const { index } = await hybridOf(cases[2].refs, { maxCandidates: 2 });
    assert.deepEqual(index.bestPerPerson(q(0, 0), 2), exactOf(cases[2].refs).bestPerPerson(q(0, 0), 2));
    assert.equal(index.stats().exactFallbacks, 1);
  });

  it('equals exact search on a seeded clustered gallery with down-weighted and disabled references', async () => {
    const { refs, queries } = syntheticGallery({ kind: 'clustered', persons: 60, queries: 60, dimension: 8, downWeighted: 0.1, disabled: 0.05, seed: 7 });
    const { index } = await hybridOf(refs, { dimension: 8, candidates: 4, maxCandidates: 1024 });
    const exact = exactOf(refs, 8);
    for (const { descriptor } of queries) {
      assert.deepEqual(index.bestPerPerson(descriptor, 2), exact.bestPerPerson(descriptor, 2));
      assert.deepEqual(index.search(descriptor, 5), exact.search(descriptor, 5));
    }
    assert.equal(index.stats().exactFallbacks, 0);
  });
});

describe('HybridGalleryIndex switches between exact and approximate search', () => {
  const line = (n: number, from = 0): GalleryReference[] => Array.from({ length: n }, (_, i) => ref(`r${from + i}`, `p${from + i}`, from + i, 0));

  it('is exact below annMinReferences, approximate from it on, exact again below half of it', async () => {
    const { index, made } = await hybridOf(line(9), { annMinReferences: 10 });
    assert.equal(index.stats().mode, 'exact');
    assert.equal(made.length, 0);
    index.add(ref('r9', 'p9', 9, 0));
    await index.whenIndexed();
    assert.deepEqual([index.stats().mode, index.stats().indexed, made.length], ['approximate', 10, 1]);
    for (let i = 9; i >= 5; i--) index.remove(`r${i}`);
    assert.equal(index.stats().mode, 'approximate', 'kept between half the switch size and the switch size');
    index.remove('r4');
    assert.equal(index.stats().mode, 'exact');
  });

  it('is always exact without a neighbour index factory', () => {
    const index = new HybridGalleryIndex({ dimension: 2, annMinReferences: 0 });
    index.replaceAll(line(5));
    assert.equal(index.stats().mode, 'exact');
    assert.equal(index.bestPerPerson(q(0, 0), 1)[0].personId, 'p0');
  });

  it('serves exactly while too many references wait to be indexed, then approximately', async () => {
    const index = new HybridGalleryIndex({ dimension: 2, annMinReferences: 0, maxWaitingScanned: 3, createNeighbourIndex: (d) => new BruteForceNeighbours(d) });
    index.replaceAll(line(20));
    assert.deepEqual([index.stats().mode, index.stats().waiting], ['exact', 20]);
    assert.equal(index.bestPerPerson(q(0, 0), 1)[0].personId, 'p0', 'a build does not stop matching');
    await index.whenIndexed();
    assert.deepEqual([index.stats().mode, index.stats().waiting, index.stats().indexed], ['approximate', 0, 20]);
  });

  it('finds a reference added a moment ago, before it is indexed', async () => {
    const { index } = await hybridOf(line(20));
    index.add(ref('new', 'newcomer', 0.5, 0.01));
    assert.deepEqual([index.stats().mode, index.stats().waiting], ['approximate', 1]);
    assert.equal(index.bestPerPerson(q(0.5, 0), 1)[0].personId, 'newcomer');
  });
});

describe('HybridGalleryIndex updates', () => {
  const refs = [ref('a1', 'alice', 0, 0), ref('a2', 'alice', 0, 1), ref('b1', 'bob', 5, 0), ref('c1', 'carol', 9, 0), ref('d1', 'dave', 12, 0)];

  it('re-enrolment with a new embedding moves the reference in the neighbour index', async () => {
    const { index, made } = await hybridOf(refs);
    index.add(ref('b1', 'bob', 0, 0.2));
    await index.whenIndexed();
    assert.equal(made[0].size, 5);
    assert.deepEqual(index.bestPerPerson(q(0, 0.3), 2).map((h) => h.personId), ['bob', 'alice']);
  });

  it('removePerson takes every reference out of the neighbour index', async () => {
    const { index, made } = await hybridOf(refs);
    assert.equal(index.removePerson('alice'), 2);
    assert.equal(made[0].size, 3);
    assert.equal(index.bestPerPerson(q(0, 0), 1)[0].personId, 'bob');
  });

  it('weight changes apply at once; weight 0 disables until re-weighted', async () => {
    const { index } = await hybridOf(refs);
    index.setWeight('a1', 0);
    index.setWeight('a2', 0);
    assert.equal(index.bestPerPerson(q(0, 0), 1)[0].personId, 'bob');
    index.setWeight('a1', 1);
    assert.deepEqual(index.bestPerPerson(q(0, 0), 1)[0], { personId: 'alice', list: 'employee', distance: 0, referenceId: 'a1' });
  });

  it('rebuilds alongside after many removals and swaps the fresh index in', async () => {
    const many = Array.from({ length: 20 }, (_, i) => ref(`r${i}`, `p${i % 7}`, i, i % 3));
    const { index, made } = await hybridOf(many, { rebuildRemovedShare: 0.25 });
    for (let i = 0; i < 6; i++) index.remove(`r${i}`);
    assert.equal(index.stats().rebuilding, true);
    assert.equal(index.stats().mode, 'approximate', 'the old index serves meanwhile');
    await index.whenIndexed();
    assert.deepEqual([index.stats().rebuilding, made.length, made[1].size], [false, 2, 14]);
    assert.deepEqual(index.bestPerPerson(q(3, 0), 2), exactOf(many.slice(6)).bestPerPerson(q(3, 0), 2));
  });

  it('a failing neighbour index leaves exact search serving and reports the error', async () => {
    const index = new HybridGalleryIndex({
      dimension: 2,
      annMinReferences: 0,
      createNeighbourIndex: (d) => new BruteForceNeighbours(d, () => { throw new Error('out of memory'); }),
    });
    index.replaceAll(refs);
    await index.whenIndexed();
    assert.deepEqual([index.stats().mode, index.stats().lastError], ['exact', 'out of memory']);
    assert.equal(index.bestPerPerson(q(5, 0), 1)[0].personId, 'bob');
  });

  it('feeds the neighbour index in slices of about sliceMs, yielding between them', async () => {
    let clock = 0;
    let yields = 0;
    const made: BruteForceNeighbours[] = [];
    const index = new HybridGalleryIndex({
      dimension: 2,
      annMinReferences: 0,
      sliceMs: 4,
      now: () => clock,
      yieldToEventLoop: () => {
        yields++;
        return Promise.resolve();
      },
      createNeighbourIndex: (d) => {
        const n = new BruteForceNeighbours(d, () => (clock += 0.5)); // 0.5 ms per vector
        made.push(n);
        return n;
      },
    });
    index.replaceAll(Array.from({ length: 200 }, (_, i) => ref(`r${i}`, `p${i}`, i, 0)));
    await index.whenIndexed();
    assert.equal(made[0].size, 200);
    assert.ok(Math.max(...made[0].batches) <= 8, `batches ${made[0].batches.join(',')} exceed a 4 ms slice`);
    assert.ok(yields >= 200 / 8, `${yields} yields`);
  });
});

describe('HybridGalleryIndex.sync', () => {
  const before = [
    ref('a1', 'alice', 0, 0), ref('a2', 'alice', 0, 1), ref('b1', 'bob', 5, 0), ref('c1', 'carol', 9, 0),
    ref('d1', 'dave', 12, 0), ref('e1', 'erin', 15, 0), ref('g1', 'gina', 20, 0), ref('h1', 'hal', 25, 0),
  ];

  it('applies only the differences and keeps the neighbour index', async () => {
    // 2 tombstones (e1 removed, b1 re-added) in 8 would trigger the rebuild this test is not about.
    const { index, made } = await hybridOf(before, { rebuildRemovedShare: 0.5 });
    const after = [
      before[0],
      { ...before[1], weight: 0.5 }, // re-weighted
      { ...before[2], list: 'watchlist' as const }, // bob moved to the watchlist
      before[3],
      before[4], // e1 removed
      ref('f1', 'frank', 1, 1), // enrolled
      before[6],
      before[7],
    ];
    const result = await index.sync(after);
    assert.deepEqual(result, { added: 2, removed: 1, reweighted: 1, replaced: false });
    assert.equal(made.length, 1);
    await index.whenIndexed();
    const exact = exactOf(after);
    for (const query of [q(0, 0), q(0, 1), q(5, 0), q(1, 1), q(15, 0)]) assert.deepEqual(index.bestPerPerson(query, 2), exact.bestPerPerson(query, 2));
    assert.equal(index.has('e1'), false);
  });

  it('replaces wholesale when most references changed (first load)', async () => {
    const index = new HybridGalleryIndex({ dimension: 2 });
    assert.deepEqual(await index.sync(before), { added: 8, removed: 0, reweighted: 0, replaced: true });
    assert.deepEqual(await index.sync(before), { added: 0, removed: 0, reweighted: 0, replaced: false });
  });

  const bad: Array<[string, GalleryReference[]]> = [
    ['an invalid reference', [...before, ref('x', 'xavier', Number.NaN, 0)]],
    ['a duplicate referenceId', [...before, ref('a1', 'alice', 3, 3)]],
  ];
  for (const [name, wanted] of bad) {
    it(`rejects ${name} and changes nothing`, async () => {
      const { index } = await hybridOf(before);
      await assert.rejects(index.sync([ref('z', 'zoe', 1, 1), ...wanted]), InvalidInputError);
      assert.deepEqual([index.size, index.has('z')], [8, false]);
    });
  }
});
