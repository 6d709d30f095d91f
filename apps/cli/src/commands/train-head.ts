import { realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { VigilConfig } from '@vigil/config';
import { InvalidInputError } from '@vigil/domain';
import { defaultDescriptorCacheFile, EMBEDDING_MODEL_ID, embedImagesCached, evaluateHeadOnLfw, HEAD_TRAINING_DEFAULTS, readPairsFile, type HeadLfwResult, type MeanStd } from '@vigil/vision';
import { createProgress } from '../progress';
import { trainHeadFromReviews } from './train-head-reviews';

export const TRAIN_HEAD_USAGE = `vigil train-head --lfw <dir> [--epochs n] [--folds k] [--cache <file>] [--json] [--quiet]
vigil train-head --from reviews [--epochs n] [--json]
  Learned head (docs/learned-head.md): a 128×128 projection of the descriptor trained with a
  contrastive loss. --lfw measures it honestly on LFW (<dir> holds pairs.txt and
  images_deepfunneled/): for each of the first k test folds (default 10) a head is trained on the
  other folds' people only, and the fold is scored with and without it (TAR@FAR1e-3 and AUC over
  every pair of the fold's photos, protocol accuracy on its listed pairs). The product's
  descriptors of LFW's photos are cached (--cache, default ~/.cache/vigil/lfw-descriptors-<model>.ndjson;
  an interrupted run resumes). --from reviews builds a head candidate model version from reviewed
  crops and gallery references on the running server's database, judged like a refresh
  (POST /api/model-versions/head does the same from the console).`;

type Out = (text: string) => void;

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)} %`);
const pm = (m: MeanStd, f: (x: number | null) => string) => (m.mean === null ? 'n/a' : `${f(m.mean)}${m.std === null ? '' : ` ± ${f(m.std)}`}`);
const num = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));

/** The figures as docs/performance.md shows them. */
export function formatHeadTable(r: HeadLfwResult): string {
  const lines = [
    '| test fold | train photos (persons with ≥2) | test photos (same / different pairs) | TAR@FAR1e-3 base → head | AUC base → head | protocol accuracy base → head |',
    '|---|---|---|---|---|---|',
    ...r.folds.map(
      (f) =>
        `| ${f.fold + 1} | ${f.trainSamples} (${f.trainPersons}) | ${f.testPhotos} (${f.testPairs.same} / ${f.testPairs.different}) | ${pct(f.base.tarAtFar1e3)} → ${pct(f.head.tarAtFar1e3)} | ${num(f.base.auc)} → ${num(f.head.auc)} | ${pct(f.base.accuracy)} → ${pct(f.head.accuracy)} |`,
    ),
    `| **mean ± std** | | | ${pm(r.summary.base.tarAtFar1e3, pct)} → ${pm(r.summary.head.tarAtFar1e3, pct)} | ${pm(r.summary.base.auc, num)} → ${pm(r.summary.head.auc, num)} | ${pm(r.summary.base.accuracy, pct)} → ${pm(r.summary.head.accuracy, pct)} |`,
  ];
  return lines.join('\n') + '\n';
}

function positiveInt(raw: string | undefined, fallback: number, name: string, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidInputError(`${name} must be an integer from 1 to ${max}`);
  return n;
}

export async function trainHeadCommand(args: string[], config: VigilConfig, out: Out, err: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      lfw: { type: 'string' },
      from: { type: 'string' },
      epochs: { type: 'string' },
      folds: { type: 'string' },
      cache: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  const epochs = positiveInt(values.epochs, 20, '--epochs', 1000);
  if (values.from !== undefined) {
    if (values.lfw !== undefined) throw new InvalidInputError('give --lfw or --from reviews, not both');
    if (values.from !== 'reviews') throw new InvalidInputError(`--from must be 'reviews', got '${values.from}'`);
    return trainHeadFromReviews({ epochs, json: values.json === true, quiet: values.quiet === true }, config, out, err);
  }
  if (values.lfw === undefined) {
    err(`train-head needs --lfw <dir> or --from reviews.\n\n${TRAIN_HEAD_USAGE}\n`);
    return 1;
  }
  const folds = positiveInt(values.folds, 10, '--folds', 10);
  let imagesDir: string;
  try {
    imagesDir = await realpath(path.join(values.lfw, 'images_deepfunneled'));
    if (!(await stat(imagesDir)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new InvalidInputError(`${values.lfw} has no images_deepfunneled/ folder (LFW's deep-funnelled photos)`);
  }
  const file = await readPairsFile(path.join(values.lfw, 'pairs.txt'));
  if (file.format !== 'lfw' || file.folds === null) throw new InvalidInputError(`${path.join(values.lfw, 'pairs.txt')} is not LFW's pairs.txt (folds of pairs)`);
  const images = [...new Set(file.rows.flatMap((r) => [r.imageA, r.imageB]))];
  const cacheFile = values.cache ?? defaultDescriptorCacheFile();

  const embedding = createProgress({ label: 'Embedding', unit: 'photos', total: images.length, quiet: values.quiet });
  let seen = 0;
  let descriptors: Map<string, Float32Array | null>;
  try {
    descriptors = await embedImagesCached({
      imagesDir,
      images,
      cacheFile,
      backend: config.tfBackend,
      onProgress: (done) => {
        embedding.tick(done - seen);
        seen = done;
      },
    });
  } finally {
    embedding.stop();
  }

  const testFolds = Array.from({ length: Math.min(folds, file.folds) }, (_, i) => i);
  const training = createProgress({ label: 'Training', unit: 'epochs', total: testFolds.length * epochs, quiet: values.quiet });
  let result: HeadLfwResult;
  const started = Date.now();
  try {
    result = await evaluateHeadOnLfw({
      rows: file.rows,
      descriptors,
      testFolds,
      training: { epochs },
      onEpoch: (fold, epoch, n, loss) => training.tick(1, `fold ${fold + 1} epoch ${epoch}/${n} loss ${loss.toFixed(4)}`),
    });
  } finally {
    training.stop();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const faceless = [...descriptors.values()].filter((d) => d === null).length;
  if (values.json) {
    out(JSON.stringify({ model: EMBEDDING_MODEL_ID, epochs, training: HEAD_TRAINING_DEFAULTS, photos: images.length, withoutFace: faceless, cacheFile, seconds, ...result }) + '\n');
    return 0;
  }
  out(
    `Learned head on LFW, ${testFolds.length} test fold(s), ${epochs} epochs; ${images.length} photos (${faceless} without a face), model ${EMBEDDING_MODEL_ID}; ` +
      `host ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, training ${seconds} s.\n\n${formatHeadTable(result)}`,
  );
  return 0;
}
