import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { l2Normalize, mulberry32, NORMALISED_DESCRIPTOR_LENGTH } from '@vigil/domain';
import { evaluateHeadOnLfw, lfwPerson } from './head-lfw-evaluation';
import type { PairRow } from './pairs-csv';

describe('learned head on LFW folds', () => {
  it('trains without anyone who appears in the test fold, and scores both spaces on the test fold only', async () => {
    const random = mulberry32(3);
    const descriptors = new Map<string, Float32Array | null>();
    const img = (p: string, n: number) => {
      const path = `${p}/${p}_000${n}.jpg`;
      if (!descriptors.has(path)) descriptors.set(path, l2Normalize(Float32Array.from({ length: 128 }, (_, i) => (i === p.charCodeAt(0) % 128 ? 5 : 0) + random() - 0.5), NORMALISED_DESCRIPTOR_LENGTH));
      return path;
    };
    const rows: PairRow[] = [];
    let line = 1;
    const pair = (fold: number, a: string, b: string) => rows.push({ line: line++, fold, imageA: a, imageB: b, same: lfwPerson(a) === lfwPerson(b) });
    // Fold 0 (test): Ann, Bob. Fold 1 (train): Cid, Dee, Eve, and Ann again, who must not train.
    pair(0, img('Ann', 1), img('Ann', 2));
    pair(0, img('Ann', 1), img('Bob', 1));
    pair(0, img('Bob', 1), img('Bob', 2));
    for (const p of ['Cid', 'Dee', 'Eve']) pair(1, img(p, 1), img(p, 2));
    pair(1, img('Ann', 3), img('Ann', 4));
    pair(1, img('Cid', 1), img('Dee', 1));
    descriptors.set(img('Eve', 3), null); // no face: sits out
    pair(1, img('Eve', 3), img('Cid', 2));
    const r = await evaluateHeadOnLfw({ rows, descriptors, testFolds: [0], training: { epochs: 2 } });
    const [f] = r.folds;
    assert.equal(f!.fold, 0);
    assert.equal(f!.trainSamples, 6, 'Cid, Dee and Eve ×2; Ann\'s fold-1 photos and the faceless one are left out');
    assert.equal(f!.testPhotos, 4);
    assert.deepEqual(f!.testPairs, { same: 2, different: 4 });
    assert.ok(f!.base.auc !== null && f!.head.auc !== null);
    assert.equal(f!.base.tarAtFar1e3, null, 'four impostor pairs cannot resolve a FAR of 1e-3');
    await assert.rejects(evaluateHeadOnLfw({ rows, descriptors, testFolds: [5], training: { epochs: 1 } }), /fold 6 is not in the pairs file/);
  });
});
