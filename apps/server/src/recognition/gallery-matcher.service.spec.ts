import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { VigilConfig } from '@vigil/config';
import { DEFAULT_MATCH_POLICY, decideMatch, GalleryIndex, type GalleryReference } from '@vigil/domain';
import type { Database } from '@vigil/persistence';
// Test support, deliberately not part of @vigil/domain's public API.
// eslint-disable-next-line no-restricted-imports
import { syntheticGallery } from '../../../../libs/domain/src/testing/synthetic-gallery';
import { AppEvents } from '../core/app-events';
import type { ActiveModelVersion } from '../model-versions/active-model-version.service';
import { GalleryMatcher } from './gallery-matcher.service';

/** The repository calls the matcher makes, over an in-memory list of current references. */
function fakeDatabase(state: { stamp: string; refs: GalleryReference[] }): Database {
  const faceReferences = {
    galleryStamp: () => Promise.resolve(state.stamp),
    currentWithList: () =>
      Promise.resolve(state.refs.map((r) => ({ id: r.referenceId, personId: r.personId, list: r.list, embedding: Float32Array.from(r.embedding), modelId: 'm', weight: r.weight ?? 1 }))),
  };
  return { repos: { faceReferences } } as unknown as Database;
}

const active = { policy: DEFAULT_MATCH_POLICY, id: 1 } as unknown as ActiveModelVersion;

describe('GalleryMatcher', () => {
  it('matches exactly below VIGIL_GALLERY_ANN_MIN_REFERENCES and approximately from it on', async () => {
    const { refs, queries } = syntheticGallery({ kind: 'clustered', persons: 12, queries: 12, seed: 3 });
    const state = { stamp: '1', refs: refs.slice(0, 30) };
    const events = new AppEvents();
    const matcher = new GalleryMatcher(fakeDatabase(state), events, active, { galleryAnnMinReferences: 40 } as VigilConfig);
    await matcher.onApplicationBootstrap();
    try {
      await matcher.indexed();
      assert.deepEqual([matcher.size, matcher.searchStats().mode], [30, 'exact']);
      const first = matcher.match(refs[7].embedding as Float32Array);
      assert.equal(first.kind === 'match' && first.personId, refs[7].personId);

      state.refs = refs; // 60 references: above the switch size
      state.stamp = '2';
      events.emit('gallery.changed');
      await matcher.indexed();
      assert.deepEqual([matcher.size, matcher.searchStats().mode, matcher.searchStats().indexed], [60, 'approximate', 60]);
      const exact = new GalleryIndex();
      exact.replaceAll(refs);
      for (const { descriptor } of queries) assert.deepEqual(matcher.match(descriptor), decideMatch(exact.bestPerPerson(descriptor, 2), DEFAULT_MATCH_POLICY));
      const late = matcher.match(refs[55].embedding as Float32Array);
      assert.equal(late.kind === 'match' && late.personId, refs[55].personId);
      assert.ok(matcher.searchStats().approximateSearches > 0);
    } finally {
      matcher.onApplicationShutdown();
    }
  });
});
