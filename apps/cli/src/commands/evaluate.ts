import { parseArgs } from 'node:util';
import type { VigilConfig } from '@vigil/config';
import { DomainError, InvalidInputError } from '@vigil/domain';
import { createProgress } from '../progress';
import {
  evaluatePairs,
  FaceEngine,
  formatEvaluationReport,
  InferencePool,
  type EvaluationFigures,
  type EvaluationResult,
  type ImageFaceDetector,
  type NoFacePair,
} from '@vigil/vision';

export const EVALUATE_USAGE = `vigil evaluate --pairs <file> --images <dir> [--threshold t] [--degrade] [--detector ssd|tiny] [--workers n] [--json] [--quiet]
  Offline verification on a labelled pairs file: LFW's pairs.txt (first line "<folds> <pairs per
  fold>", e.g. "10 300"; --images is then the folder holding <Name>/<Name>_0001.jpg, such as
  images_deepfunneled) or a CSV (header row; first two columns are image paths relative to
  --images, the third the label Yes/No, true/false or 1/0). The largest face of each image is
  embedded once. Reports AUC, accuracy/FAR/FRR at the threshold (default: the product's employee
  threshold) and at both list thresholds, the best-accuracy threshold, TAR at FAR 1e-2/1e-3/1e-4
  with their thresholds and, for pairs.txt, LFW's k-fold accuracy (mean ± std).
  --degrade also evaluates a CCTV-like copy of each image made in memory (face ~40 px between the
  eyes, blur, JPEG 30) and reports both. --workers n > 1 embeds on a pool of n worker threads.
  --json prints one object, per-pair distances included. On a terminal a progress bar (images,
  rate, ETA) is drawn on stderr; --quiet hides it.`;

type Out = (text: string) => void;

type Figures = Omit<EvaluationFigures, 'noFace'> & { noFace: NoFacePair[] };

/** noFace as the image paths (contract), noFacePairs as the pairs. */
function figuresJson<T extends Figures>(figures: T) {
  const images = [...new Set(figures.noFace.flatMap((p) => p.missing))].sort();
  return { ...figures, noFace: images, noFacePairs: figures.noFace };
}

/** The JSON document `--json` prints: contract fields plus detail. `noFace` lists image paths. */
export function evaluationJson(result: EvaluationResult) {
  return { ...figuresJson(result), degraded: result.degraded ? figuresJson(result.degraded) : null };
}

export async function evaluateCommand(args: string[], config: VigilConfig, out: Out, err: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      pairs: { type: 'string' },
      images: { type: 'string' },
      threshold: { type: 'string' },
      detector: { type: 'string' },
      workers: { type: 'string' },
      degrade: { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  if (!values.pairs || !values.images) {
    err(`evaluate needs --pairs and --images.\n\n${EVALUATE_USAGE}\n`);
    return 1;
  }
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !Number.isFinite(threshold)) throw new InvalidInputError('--threshold must be a number, e.g. 0.45');
  const detector = values.detector ?? 'ssd';
  if (detector !== 'ssd' && detector !== 'tiny') throw new InvalidInputError('--detector must be ssd or tiny');
  const workers = values.workers === undefined ? 1 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new InvalidInputError('--workers must be an integer from 1 to 64');

  let engine: ImageFaceDetector & { close?(): Promise<void> };
  if (workers > 1) engine = await InferencePool.create({ workers, engine: { backend: config.tfBackend } });
  else engine = await FaceEngine.create({ backend: config.tfBackend });
  const progress = createProgress({ label: 'Embedding', unit: 'images', total: 0, quiet: values.quiet });
  try {
    const result = await evaluatePairs({
      pairsPath: values.pairs,
      imagesDir: values.images,
      threshold,
      engine,
      detectOptions: { detector },
      concurrency: workers,
      degrade: values.degrade ?? false,
      onProgress: (done, total) => {
        if (done === 1) progress.setTotal(total);
        progress.tick();
      },
    });
    progress.stop();
    out(values.json ? `${JSON.stringify(evaluationJson(result))}\n` : formatEvaluationReport(result));
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      err(`vigil evaluate: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    progress.stop();
    await engine.close?.();
  }
}
