import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { confusionAt, DEFAULT_MATCH_POLICY } from '@vigil/domain';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';

const BIN = path.resolve(__dirname, '../../../bin/vigil.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-eval-'));

function vigil(args: string[]) {
  const env = { ...process.env, VIGIL_TF_BACKEND: 'wasm' };
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vigil evaluate end to end', { timeout: 300_000 }, () => {
  before(async () => {
    for (const i of [1, 3]) copyFileSync(samplePhotoPath(i), path.join(dir, `s${i}.jpg`));
    await sharp(samplePhotoPath(1)).flop().jpeg({ quality: 92 }).toFile(path.join(dir, 's1-flip.jpg'));
    await sharp(samplePhotoPath(1)).modulate({ brightness: 1.2 }).jpeg({ quality: 92 }).toFile(path.join(dir, 's1-bright.jpg'));
    await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 128, g: 128, b: 128 } } }).png().toFile(path.join(dir, 'blank.png'));
    writeFileSync(
      path.join(dir, 'pairs.csv'),
      ['a,b,same', 's1.jpg,s1-flip.jpg,Yes', 's1.jpg,s1-bright.jpg,true', 's1.jpg,s3.jpg,No', 's1-flip.jpg,s3.jpg,0', 's3.jpg,blank.png,1'].join('\n') + '\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints one object with the contract fields', () => {
    const r = vigil(['evaluate', '--pairs', path.join(dir, 'pairs.csv'), '--images', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as Record<string, any>;
    for (const key of ['pairs', 'positives', 'negatives', 'auc', 'threshold', 'accuracy', 'far', 'frr', 'bestThreshold', 'bestAccuracy', 'tarAtFar', 'noFace']) {
      assert.ok(key in result, `missing ${key}`);
    }
    for (const key of ['format', 'folds', 'thresholdSource', 'confusion', 'tarAtFarThreshold', 'listThresholds', 'crossValidation', 'noFacePairs', 'scores', 'degraded']) {
      assert.ok(key in result, `missing ${key}`);
    }
    assert.equal(result.format, 'csv');
    assert.equal(result.crossValidation, null, 'a CSV has no folds');
    assert.equal(result.degraded, null);
    assert.equal(result.pairs, 4);
    assert.equal(result.positives, 2);
    assert.equal(result.negatives, 2);
    assert.deepEqual(result.noFace, ['blank.png']);
    assert.equal(result.auc, 1, 'flipped/brightened copies are closer than another photo\'s largest face');
    // The default threshold is the product's employee threshold; both list thresholds are reported.
    assert.equal(result.threshold, DEFAULT_MATCH_POLICY.thresholds.employee);
    assert.equal(result.listThresholds.watchlist.threshold, DEFAULT_MATCH_POLICY.thresholds.watchlist);
    assert.deepEqual(
      result.scores.map((s: any) => [s.line, s.fold, s.imageA, s.imageB, s.same]),
      [[2, null, 's1.jpg', 's1-flip.jpg', true], [3, null, 's1.jpg', 's1-bright.jpg', true], [4, null, 's1.jpg', 's3.jpg', false], [5, null, 's1-flip.jpg', 's3.jpg', false]],
    );
    assert.deepEqual(result.confusion, confusionAt(result.scores, result.threshold));
    assert.equal(result.far, result.confusion.fp / 2);
    assert.equal(result.frr, result.confusion.fn / 2);
    assert.deepEqual(result.tarAtFar, { '1e-2': null, '1e-3': null, '1e-4': null }, 'two negatives cannot resolve FAR 1e-2');
  });

  it('prints a readable report, honours --threshold, and explains bad input', () => {
    const r = vigil(['evaluate', '--pairs', path.join(dir, 'pairs.csv'), '--images', dir, '--threshold', '0.2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /AUC:\s+1\.0000/);
    assert.match(r.stdout, /At threshold 0\.200/);
    assert.match(r.stdout, /FAR 0\.00 %\s+FRR \d/);
    const outOfBounds = vigil(['evaluate', '--pairs', path.join(dir, 'pairs.csv'), '--images', dir, '--threshold', '5']);
    assert.notEqual(outOfBounds.code, 0);
    assert.match(outOfBounds.stderr, /threshold must be between/);
    assert.match(r.stdout, /blank\.png/);

    const missing = vigil(['evaluate', '--pairs', path.join(dir, 'nope.csv'), '--images', dir]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /nope\.csv/);
    const noArgs = vigil(['evaluate']);
    assert.equal(noArgs.code, 1);
    assert.match(noArgs.stderr, /needs --pairs and --images/);
  });
});
