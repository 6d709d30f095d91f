import { parseArgs } from 'node:util';
import type { VigilConfig } from '@vigil/config';
import { DomainError, InvalidInputError } from '@vigil/domain';
import { evaluatePairs, FaceEngine, formatEvaluationReport, InferencePool, type EvaluationResult, type ImageFaceDetector } from '@vigil/vision';

export const EVALUATE_USAGE = `vigil evaluate --pairs <csv> --images <dir> [--threshold t] [--detector ssd|tiny] [--workers n] [--json]
  Offline verification on a labelled pairs CSV (header row; first two columns are image paths
  relative to --images, the third the label Yes/No, true/false or 1/0). The largest face of each
  image is embedded once. --workers n > 1 embeds on an inference pool of n worker threads.`;

type Out = (text: string) => void;

/** The JSON document `--json` prints: contract fields plus detail. `noFace` lists image paths. */
export function evaluationJson(result: EvaluationResult) {
  const images = [...new Set(result.noFace.flatMap((p) => p.missing))].sort();
  return { ...result, noFace: images, noFacePairs: result.noFace };
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
      json: { type: 'boolean' },
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
  try {
    const result = await evaluatePairs({
      pairsCsvPath: values.pairs,
      imagesDir: values.images,
      threshold,
      engine,
      detectOptions: { detector },
      concurrency: workers,
    });
    out(values.json ? `${JSON.stringify(evaluationJson(result))}\n` : formatEvaluationReport(result));
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      err(`vigil evaluate: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await engine.close?.();
  }
}
