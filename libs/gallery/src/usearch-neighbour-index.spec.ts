import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GalleryIndex, HybridGalleryIndex } from '@vigil/domain';
// Test support, deliberately not part of @vigil/domain's public API.
import { syntheticGallery } from '../../domain/src/testing/synthetic-gallery';
import { loadUsearch } from './usearch-neighbour-index';

const usearch = loadUsearch();

describe('usearch neighbour index', () => {
  it('loads on this platform (the prebuilt addon from the npm package)', () => assert.equal(usearch.ok, true, usearch.ok ? '' : usearch.reason));

  it('adds, searches by euclidean distance and removes', () => {
    if (!usearch.ok) return;
    const index = usearch.factory(2);
    index.add([7, 8, 9], Float32Array.of(0, 0, 3, 4, 6, 8));
    const found = index.search(Float32Array.of(0, 0), 2);
    assert.deepEqual(found.keys, [7, 8]);
    assert.ok(Math.abs(found.distances[1] - 5) < 0.01, `distance ${found.distances[1]}`);
    index.remove(7);
    assert.equal(index.size, 2);
    assert.deepEqual(index.search(Float32Array.of(0, 0), 1).keys, [8]);
  });

  it('an empty index finds nothing', () => {
    if (!usearch.ok) return;
    assert.deepEqual(usearch.factory(4).search(new Float32Array(4), 3), { keys: [], distances: [] });
  });
});

describe('HybridGalleryIndex on usearch against exact search (seeded clustered gallery)', () => {
  it('finds the exact nearest person and runner-up for >= 99% of sightings and strangers', async () => {
    if (!usearch.ok) return;
    // 2 000 people x 5 references, 2 % down-weighted and 1 % disabled, half the queries strangers.
    const { refs, queries } = syntheticGallery({ kind: 'clustered', persons: 2_000, queries: 200, downWeighted: 0.02, disabled: 0.01, seed: 42 });
    const exact = new GalleryIndex();
    exact.replaceAll(refs);
    const hybrid = new HybridGalleryIndex({ annMinReferences: 0, createNeighbourIndex: usearch.factory });
    hybrid.replaceAll(refs);
    await hybrid.whenIndexed();
    assert.equal(hybrid.stats().mode, 'approximate');
    let top = 0;
    let runnerUp = 0;
    for (const { descriptor } of queries) {
      const want = exact.bestPerPerson(descriptor, 2);
      const got = hybrid.bestPerPerson(descriptor, 2);
      if (got[0]?.personId === want[0].personId && got[0].distance === want[0].distance) top++;
      if (got[1]?.personId === want[1].personId && got[1].distance === want[1].distance) runnerUp++;
    }
    assert.ok(top / queries.length >= 0.99, `recall@1 ${top / queries.length}`);
    assert.ok(runnerUp / queries.length >= 0.99, `runner-up recall ${runnerUp / queries.length}`);
  });
});
