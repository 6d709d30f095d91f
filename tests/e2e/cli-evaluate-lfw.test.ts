import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bestAccuracyThreshold, DEFAULT_MATCH_POLICY } from '@vigil/domain';
import { LFW_MINI_NO_FACE, makeLfwFixture } from '../support/lfw-fixture';

const BIN = path.resolve(__dirname, '../../../bin/vigil.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-eval-lfw-'));
const env = { ...process.env, VIGIL_TF_BACKEND: 'wasm' };
const TIMEOUT = 280_000;

type Score = { line: number; fold: number; imageA: string; imageB: string; same: boolean; distance: number };

const listFiles = (root: string): string[] => (readdirSync(root, { recursive: true }) as string[]).sort();

/** Checks one section of the JSON (clean or degraded) against its own per-pair scores. */
function checkFigures(f: Record<string, any>, what: string) {
  const scores = f.scores as Score[];
  assert.equal(scores.length, f.pairs, what);
  assert.ok(f.noFace.includes(LFW_MINI_NO_FACE), `${what}: an image without a face has no degraded copy either`);
  // pairs.txt order: line 1 is the header, then 60 lines per fold, 30 same-person pairs first.
  for (const s of scores) {
    assert.equal(s.fold, Math.floor((s.line - 2) / 60), `${what}: fold of line ${s.line}`);
    assert.equal(s.same, (s.line - 2) % 60 < 30, `${what}: label of line ${s.line}`);
  }
  const cv = f.crossValidation;
  assert.equal(cv.folds.length, 10, what);
  cv.folds.forEach((fold: { fold: number; pairs: number; threshold: number; accuracy: number }, k: number) => {
    assert.equal(fold.fold, k);
    const test = scores.filter((s) => s.fold === k);
    assert.equal(fold.pairs, test.length, `${what}: fold ${k} pairs`);
    // The threshold is chosen on the other nine folds, and accuracy measured on this one.
    const chosen = bestAccuracyThreshold(scores.filter((s) => s.fold !== k));
    assert.equal(fold.threshold, chosen!.threshold, `${what}: fold ${k} threshold`);
    const correct = test.filter((s) => s.same === s.distance <= fold.threshold).length;
    assert.equal(fold.accuracy, correct / test.length, `${what}: fold ${k} accuracy`);
  });
  const accuracies = cv.folds.map((x: { accuracy: number }) => x.accuracy);
  const mean = accuracies.reduce((a: number, b: number) => a + b, 0) / 10;
  assert.ok(Math.abs(cv.mean - mean) < 1e-12, `${what}: mean`);
  const std = Math.sqrt(accuracies.reduce((a: number, b: number) => a + (b - mean) ** 2, 0) / 9);
  assert.ok(Math.abs(cv.std - std) < 1e-12, `${what}: std`);
  // ~300 negatives resolve FAR 1e-2 only; its threshold accepts at most 1 % of them.
  assert.equal(f.tarAtFar['1e-3'], null, what);
  const t = f.tarAtFarThreshold['1e-2'] as number;
  const negatives = scores.filter((s) => !s.same);
  const positives = scores.filter((s) => s.same);
  assert.ok(negatives.filter((s) => s.distance <= t).length <= Math.floor(negatives.length / 100), `${what}: FAR at ${t}`);
  assert.equal(f.tarAtFar['1e-2'], positives.filter((s) => s.distance <= t).length / positives.length, what);
  for (const list of ['watchlist', 'employee'] as const) assert.equal(f.listThresholds[list].threshold, DEFAULT_MATCH_POLICY.thresholds[list], what);
}

describe('vigil evaluate on an LFW pairs.txt (lfw-mini fixture)', { timeout: 600_000 }, () => {
  let fixture: { imagesDir: string; pairsPath: string };
  before(async () => {
    fixture = await makeLfwFixture(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--degrade --json read through a pipe: the whole object (> 64 KiB), folds and both sections', () => {
    const imagesBefore = listFiles(fixture.imagesDir);
    const r = spawnSync('sh', ['-c', '"$NODE" "$BIN" evaluate --pairs "$PAIRS" --images "$IMAGES" --degrade --json | tail -1'], {
      env: { ...env, NODE: process.execPath, BIN, PAIRS: fixture.pairsPath, IMAGES: fixture.imagesDir },
      encoding: 'utf8',
      timeout: TIMEOUT,
    });
    assert.equal(r.status, 0, r.stderr);
    const bytes = Buffer.byteLength(r.stdout);
    assert.ok(bytes > 65_536, `the JSON should exceed a pipe's 64 KiB buffer, got ${bytes} bytes`);
    const result = JSON.parse(r.stdout) as Record<string, any>;

    assert.equal(result.format, 'lfw');
    assert.equal(result.folds, 10);
    assert.equal(result.thresholdSource, 'employee');
    assert.equal(result.threshold, DEFAULT_MATCH_POLICY.thresholds.employee);
    assert.equal(result.pairs, 599);
    assert.deepEqual(result.noFace, [LFW_MINI_NO_FACE]);
    assert.deepEqual(result.noFacePairs, [
      { line: 601, imageA: LFW_MINI_NO_FACE, imageB: 'Sample5_Face1/Sample5_Face1_0001.jpg', missing: [LFW_MINI_NO_FACE] },
    ]);
    checkFigures(result, 'clean');
    // Camera-style crops of one face are far closer than two faces of one photo.
    assert.ok(result.auc > 0.99, `clean AUC ${result.auc}`);
    assert.ok(result.crossValidation.mean > 0.95, `clean 10-fold accuracy ${result.crossValidation.mean}`);

    const degraded = result.degraded as Record<string, any>;
    assert.deepEqual(Object.keys(degraded).filter((k) => k !== 'degradation').sort(), Object.keys(result).filter((k) => !['format', 'folds', 'thresholdSource', 'degraded'].includes(k)).sort());
    assert.deepEqual(degraded.degradation, { targetEyeDistancePx: 40, blurSigma: 1, jpegQuality: 30 });
    checkFigures(degraded, 'degraded');
    assert.ok(degraded.pairs <= result.pairs);
    const clean = new Map((result.scores as Score[]).map((s) => [s.line, s.distance]));
    assert.ok((degraded.scores as Score[]).some((s) => s.distance !== clean.get(s.line)), 'degraded copies give other distances');

    assert.deepEqual(listFiles(fixture.imagesDir), imagesBefore, 'degraded copies stay in memory');
  });

  it('the text report names the format and shows both sections with their folds', () => {
    const r = spawnSync(process.execPath, [BIN, 'evaluate', '--pairs', fixture.pairsPath, '--images', fixture.imagesDir, '--degrade', '--threshold', '0.5'], {
      env,
      encoding: 'utf8',
      timeout: TIMEOUT,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Pairs file: LFW pairs\.txt, 10 fold\(s\)$/m);
    const clean = r.stdout.indexOf('== Clean images ==');
    const degraded = r.stdout.indexOf('== Degraded copies (face ~40 px between the eyes, blur sigma 1, JPEG quality 30) ==');
    assert.ok(clean >= 0 && degraded > clean, r.stdout);
    for (const section of [r.stdout.slice(clean, degraded), r.stdout.slice(degraded)]) {
      assert.match(section, /Pairs evaluated: \d+ \(\d+ same, \d+ different\), \d+ skipped \(no face\)/);
      assert.match(section, /At threshold 0\.500 \(given; match when distance <= threshold\)/);
      assert.match(section, /^ {2}watchlist [\d.]+: accuracy/m);
      assert.match(section, /^ {2}employee {2}[\d.]+: accuracy/m);
      assert.match(section, /TAR at FAR: +1e-2: [\d.]+ % \(threshold [\d.]+\) +1e-3: n\/a/);
      assert.match(section, /10-fold accuracy \(each fold's threshold chosen on the other 9\): [\d.]+ % ± [\d.]+ %/);
      assert.equal(section.match(/^ +\d+ +\d+ +[\d.]+ +[\d.]+ %$/gm)?.length, 10, 'one line per fold');
      assert.match(section, /Pairs without a detectable face \(excluded from the metrics\):\n {2}line \d+: /);
    }
    // The degraded section lists more no-face pairs than the report shows; the clean one has one.
    assert.match(r.stdout.slice(clean, degraded), /skipped \(no face\)[^]*line 601: Nobody_Blank\/Nobody_Blank_0001\.jpg\n\n/);
  });
});
