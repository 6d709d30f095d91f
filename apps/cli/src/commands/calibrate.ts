import { mkdir, realpath, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { VigilConfig } from '@vigil/config';
import { DEFAULT_MATCH_POLICY, DomainError, InvalidInputError } from '@vigil/domain';
import {
  aggregationRows,
  decideVariantAndThresholds,
  DESCRIPTOR_VARIANTS,
  CALIBRATION_MODEL_ID,
  extractCalibrationSamples,
  formatCalibrationTables,
  identityOf,
  openSetRows,
  readPairsFile,
  resolveInside,
  thresholdFile,
  verificationRows,
  WATCHLIST_GALLERY_PEOPLE,
  DESCRIPTOR_PARTS,
  variantsWithParts,
  type CalibrationResult,
  type DescriptorPart,
  type ImageSample,
} from '@vigil/vision';

export const CALIBRATE_USAGE = `vigil calibrate --lfw <dir> [--out <dir>] [--detector tiny|ssd] [--workers n] [--cache <file>] [--impostors n] [--full-folds k] [--json]
  Calibrates thresholds and descriptor choices on LFW (or any folder in its layout): <dir> holds
  pairs.txt and images_deepfunneled/ (or give --pairs <file> --images <dir>). Every image named by
  the pairs is embedded clean and as a degraded copy (face ~40 px between the eyes, blur, JPEG 30),
  with each descriptor variant (--full-folds k: every variant for the first k folds' photos, only the
  flip variants for the rest — a third of the time); results are cached (--cache, default ~/.cache/vigil/calibration/
  <detector>.ndjson) so a re-run only computes the tables. Writes to --out (default ./calibration):
  lfw-tables.md (the tables docs/performance.md shows), lfw-thresholds.json (the threshold file the
  product's defaults come from: copy it to libs/domain/src/calibration/) and lfw-calibration.json
  (every figure). Downloads nothing.`;

type Out = (text: string) => void;

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function calibrateCommand(args: string[], config: VigilConfig, out: Out, err: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      lfw: { type: 'string' },
      pairs: { type: 'string' },
      images: { type: 'string' },
      out: { type: 'string' },
      detector: { type: 'string' },
      workers: { type: 'string' },
      cache: { type: 'string' },
      impostors: { type: 'string' },
      'gallery-draws': { type: 'string' },
      'full-folds': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const pairsPath = values.pairs ?? (values.lfw ? path.join(values.lfw, 'pairs.txt') : undefined);
  const imagesArg = values.images ?? (values.lfw ? path.join(values.lfw, 'images_deepfunneled') : undefined);
  if (!pairsPath || !imagesArg) {
    err(`calibrate needs --lfw <dir> (or --pairs and --images).\n\n${CALIBRATE_USAGE}\n`);
    return 1;
  }
  const detector = values.detector ?? 'tiny';
  if (detector !== 'ssd' && detector !== 'tiny') throw new InvalidInputError('--detector must be ssd or tiny');
  const workers = values.workers === undefined ? Math.max(1, os.availableParallelism()) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new InvalidInputError('--workers must be an integer from 1 to 64');
  const impostors = values.impostors === undefined ? 2_000_000 : Number(values.impostors);
  if (!Number.isInteger(impostors) || impostors < 1000 || impostors > 100_000_000) throw new InvalidInputError('--impostors must be an integer from 1000 to 100000000');
  const draws = values['gallery-draws'] === undefined ? 3 : Number(values['gallery-draws']);
  if (!Number.isInteger(draws) || draws < 1 || draws > 20) throw new InvalidInputError('--gallery-draws must be an integer from 1 to 20');
  const fullFolds = values['full-folds'] === undefined ? undefined : Number(values['full-folds']);
  if (fullFolds !== undefined && (!Number.isInteger(fullFolds) || fullFolds < 0)) throw new InvalidInputError('--full-folds must be a non-negative integer');
  if (!(await isDir(imagesArg))) throw new InvalidInputError(`images folder not found: ${imagesArg}`);
  const imagesDir = await realpath(imagesArg);
  const outDir = path.resolve(values.out ?? 'calibration');
  const cacheFile = values.cache ?? path.join(os.homedir(), '.cache', 'vigil', 'calibration', `${detector}.ndjson`);

  try {
    const file = await readPairsFile(pairsPath);
    if (file.folds === null) throw new InvalidInputError('calibration needs LFW\'s pairs.txt (with folds), not a CSV');
    for (const row of file.rows) {
      await resolveInside(imagesDir, row.imageA, row.line, file.label);
      await resolveInside(imagesDir, row.imageB, row.line, file.label);
    }
    const images = [...new Set(file.rows.flatMap((r) => [r.imageA, r.imageB]))];
    let lastShown = 0;
    const extract = (subset: string[], parts?: DescriptorPart[]) =>
      extractCalibrationSamples({
        imagesDir,
        images: subset,
        detector,
        workers,
        backend: config.tfBackend,
        cacheFile,
        parts,
        onProgress: (done, total) => {
          if (done === total || Date.now() - lastShown > 10_000) {
            lastShown = Date.now();
            err(`calibrate: ${done}/${total} images embedded${parts ? ` (${parts.join(', ')})` : ''}\n`);
          }
        },
      });
    if (fullFolds !== undefined && fullFolds < file.folds) {
      // Every part for the first folds' photos; only the mirrored crop (flip variants) for the rest.
      await extract([...new Set(file.rows.filter((r) => (r.fold ?? 0) < fullFolds).flatMap((r) => [r.imageA, r.imageB]))]);
    }
    const samples = await extract(images, fullFolds !== undefined && fullFolds < file.folds ? ['cropFlip'] : undefined);
    const partial = fullFolds !== undefined && fullFolds < file.folds;
    const data = { pairs: file.rows.map((r) => ({ imageA: r.imageA, imageB: r.imageB, same: r.same, fold: r.fold ?? 0 })), folds: file.folds, samples };
    const policy = DEFAULT_MATCH_POLICY;
    const allVariants = partial ? variantsWithParts(new Set<DescriptorPart>(['faceapi', 'cropFlip'])) : [...DESCRIPTOR_VARIANTS];
    const verification = verificationRows(data, { impostorSamples: impostors, policy, variants: allVariants });
    let verificationSubset: CalibrationResult['verificationSubset'] = null;
    if (partial) {
      const complete = (s: ImageSample) => [s.clean, s.degraded].every((f) => !f || DESCRIPTOR_PARTS.every((p) => f.descriptors[p]));
      const subsetSamples = new Map([...samples].filter(([, s]) => complete(s)));
      const subset = { pairs: data.pairs.filter((p) => p.fold < (fullFolds as number)), folds: fullFolds as number, samples: subsetSamples };
      verificationSubset = { folds: `folds 1–${fullFolds as number}`, rows: verificationRows(subset, { impostorSamples: impostors, policy }) };
    }
    const openSet = openSetRows(samples, { galleryPeople: WATCHLIST_GALLERY_PEOPLE, draws, threshold: policy.thresholds.watchlist });
    const aggregation = aggregationRows(samples, { variants: allVariants.filter((v) => v.id === 'faceapi' || v.id === 'flip') });
    const decision = decideVariantAndThresholds({ all: verification, subset: verificationSubset?.rows ?? verification, openSet });
    const all = [...samples.values()];
    const cpus = os.cpus();
    const result: CalibrationResult = {
      meta: {
        dataset: `${path.basename(path.dirname(path.resolve(pairsPath)))}/${path.basename(pairsPath)} + ${path.basename(imagesDir)}/`,
        command: `vigil calibrate ${args.map((a) => (path.isAbsolute(a) ? `<${path.basename(a)}>` : a)).join(' ')}`.trim(),
        detector,
        model: CALIBRATION_MODEL_ID,
        images: samples.size,
        identities: new Set([...samples.keys()].map(identityOf)).size,
        cleanFaces: all.filter((s) => s.clean).length,
        degradedFaces: all.filter((s) => s.degraded).length,
        pairs: file.rows.length,
        folds: file.folds,
        machine: `${cpus[0]?.model ?? 'unknown cpu'}, ${os.availableParallelism()} cores`,
        date: new Date().toISOString().slice(0, 10),
      },
      policyBefore: { watchlist: policy.thresholds.watchlist, employee: policy.thresholds.employee, margin: policy.margin },
      verification,
      verificationSubset,
      openSet,
      aggregation,
      decision,
    };
    await mkdir(outDir, { recursive: true });
    const tables = formatCalibrationTables(result);
    const thresholds = thresholdFile(result);
    await writeFile(path.join(outDir, 'lfw-tables.md'), tables);
    await writeFile(path.join(outDir, 'lfw-thresholds.json'), JSON.stringify(thresholds, null, 2) + '\n');
    await writeFile(path.join(outDir, 'lfw-calibration.json'), JSON.stringify(result) + '\n');
    out(values.json ? `${JSON.stringify(thresholds)}\n` : `${tables}\nWrote ${path.join(outDir, 'lfw-tables.md')}, lfw-thresholds.json and lfw-calibration.json.\n`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      err(`vigil calibrate: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
