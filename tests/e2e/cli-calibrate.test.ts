import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeLfwFixture } from '../support/lfw-fixture';

const BIN = path.resolve(__dirname, '../../../bin/vigil.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-calibrate-'));

function vigil(args: string[]) {
  const env = { ...process.env, VIGIL_TF_BACKEND: 'wasm' };
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 400_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

// The calibration that makes the product's default thresholds, on the committed LFW-format fixture.
describe('vigil calibrate end to end', { timeout: 900_000 }, () => {
  let fixture: { imagesDir: string; pairsPath: string };
  const cache = path.join(dir, 'cache.ndjson');
  before(async () => {
    fixture = await makeLfwFixture(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('turns an LFW-format folder into the tables and the threshold file, every variant on the first folds only with --full-folds', () => {
    const out = path.join(dir, 'partial');
    const common = ['--pairs', fixture.pairsPath, '--images', fixture.imagesDir, '--cache', cache, '--workers', '1', '--impostors', '20000', '--gallery-draws', '1'];
    const r = vigil(['calibrate', ...common, '--out', out, '--full-folds', '2']);
    assert.equal(r.code, 0, r.stderr);
    const tables = readFileSync(path.join(out, 'lfw-tables.md'), 'utf8');
    for (const section of ['**Verification, clean**', '**Verification, degraded**', '**Verification, mixed**', 'folds 1–2 (every variant)', '**Open set', '**Several references per person**', '**Descriptor changes, one at a time**', '**Defaults**']) {
      assert.ok(tables.includes(section), `tables lack ${section}`);
    }
    const all = JSON.parse(readFileSync(path.join(out, 'lfw-calibration.json'), 'utf8')) as Record<string, any>;
    // 28 images: 27 photos of 9 people and a blank one.
    assert.equal(all.meta.images, 28);
    assert.equal(all.meta.identities, 10);
    assert.equal(all.meta.pairs, 600);
    assert.equal(all.meta.folds, 10);
    assert.equal(all.meta.cleanFaces < 28, true, 'the blank photo has no face');
    // Variants needing the eye-levelled crop were computed on folds 1–2's photos only.
    assert.deepEqual([...new Set(all.verification.map((v: { variant: string }) => v.variant))], ['faceapi', 'flip', 'norm', 'flip+norm']);
    assert.ok(all.verificationSubset.rows.some((v: { variant: string }) => v.variant === 'level+flip+norm'));
    for (const row of all.verification) {
      assert.equal(row.protocol.folds.length, 10);
      assert.ok(row.pairs > 0 && row.pairs + row.noFace === 600);
    }
    assert.deepEqual(all.decision.verdicts.map((v: { change: string }) => v.change), ['level', 'flip', 'norm']);
    const thresholds = JSON.parse(readFileSync(path.join(out, 'lfw-thresholds.json'), 'utf8')) as Record<string, any>;
    assert.equal(thresholds.descriptor, all.decision.variant);
    // 20,000 sampled impostor pairs resolve FAR 1e-3; a handful of strangers cannot resolve FPIR 1e-2,
    // and the file says so rather than inventing a watchlist threshold.
    assert.ok(thresholds.employee.threshold >= 0.2 && thresholds.employee.threshold <= 0.8);
    assert.match(thresholds.employee.rule, /FAR 1e-3/);
    assert.equal(thresholds.watchlist, null);
    assert.equal(cacheLines(cache), 28);
  });

  it('a second run computes only what the cache lacks, and refuses a CSV without folds', () => {
    const out = path.join(dir, 'full');
    const r = vigil(['calibrate', '--pairs', fixture.pairsPath, '--images', fixture.imagesDir, '--cache', cache, '--workers', '1', '--impostors', '20000', '--gallery-draws', '1', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const thresholds = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, any>;
    assert.ok('descriptor' in thresholds && 'employee' in thresholds);
    const all = JSON.parse(readFileSync(path.join(out, 'lfw-calibration.json'), 'utf8')) as Record<string, any>;
    assert.ok(all.verification.some((v: { variant: string }) => v.variant === 'level'), 'a full run computes every variant on every photo');
    assert.equal(all.verificationSubset, null);
    // Photos of folds 1–2 already had every part: the progress starts past them.
    const first = /calibrate: (\d+)\/28 images embedded/.exec(r.stderr);
    assert.ok(first && Number(first[1]) > 0, r.stderr);
    const csv = path.join(dir, 'pairs.csv');
    writeFileSync(csv, 'a,b,same\nSample5_Face1/Sample5_Face1_0001.jpg,Sample5_Face1/Sample5_Face1_0002.jpg,1\n');
    const bad = vigil(['calibrate', '--pairs', csv, '--images', fixture.imagesDir, '--cache', cache]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /needs LFW's pairs\.txt \(with folds\)/);
  });
});
