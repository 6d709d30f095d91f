import { InvalidInputError } from '@vigil/domain';
import { scanFile, type FileMatch } from './file-scan';
import { probeMedia } from './media-probe';
import { MediaUnreadableError, ScanCancelledError } from './scan-errors';
import { DEFAULT_ANALYSIS_FPS, expectedFrames, formatVideoTime, scanStatus, validateAnalysisFps } from './scan-rules';
import type { MediaProbe, ScanFileResult, ScanMatch, ScanOptions, ScanProgress, ScanReport } from './scan-types';

/**
 * Scans recorded media for enrolled people with the live recogniser (see scanFile), file after
 * file, as fast as the engine allows. A file that cannot be read, is cut short or fails to decode
 * does not stop the scan: it is reported `failed` with the reason (matches found before a cut are
 * kept, the file is still not complete), and the report's status is `completed_with_errors`.
 * Cancelling (signal) kills ffmpeg and rejects with ScanCancelledError: no report at all.
 * Strangers are counted per file; their faces and embeddings are never kept.
 */
export async function scanMedia(options: ScanOptions): Promise<ScanReport> {
  const fps = validateAnalysisFps(options.analysisFps ?? DEFAULT_ANALYSIS_FPS);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidInputError('concurrency must be a positive integer');
  if (options.files.length === 0) throw new InvalidInputError('nothing to scan: no files given');
  if (options.matcher.size === 0) throw new InvalidInputError('the gallery is empty: enrol the people to look for first (vigil enroll), then scan');
  const detector = options.detector ?? 'ssd';
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const checkCancelled = (): void => {
    if (options.signal?.aborted) throw new ScanCancelledError();
  };

  const progress: ScanProgress = { phase: 'probing', filesTotal: options.files.length, filesDone: 0, currentFile: null, framesAnalysed: 0, framesEstimated: 0, matches: 0, elapsedMs: 0 };
  const report = (): void => options.onProgress?.({ ...progress, elapsedMs: Date.now() - started });

  // Probe everything first: the progress estimate (ETA) needs every file's duration.
  const probes: Array<MediaProbe | MediaUnreadableError> = [];
  for (const file of options.files) {
    checkCancelled();
    progress.currentFile = file;
    report();
    const probe = await probeMedia(file).catch((error: unknown) => {
      if (error instanceof MediaUnreadableError) return error;
      throw error;
    });
    probes.push(probe);
    progress.framesEstimated += probe instanceof MediaUnreadableError ? 0 : probe.kind === 'image' ? 1 : expectedFrames(probe.durationSeconds, fps);
    progress.filesDone++;
  }
  progress.phase = 'scanning';
  progress.filesDone = 0;

  const files: ScanFileResult[] = [];
  const found: FileMatch[] = [];
  for (const [i, probe] of probes.entries()) {
    checkCancelled();
    const file = options.files[i]!;
    progress.currentFile = file;
    report();
    if (probe instanceof MediaUnreadableError) {
      files.push(failedFile(file, probe.message));
    } else {
      const outcome = await scanFile(probe, {
        list: options.list,
        engine: options.engine,
        matcher: options.matcher,
        fps,
        concurrency,
        detector,
        signal: options.signal,
        onFrame: () => {
          progress.framesAnalysed++;
          report();
        },
        onMatch: () => progress.matches++,
      });
      found.push(...outcome.matches);
      const analysedSeconds = probe.kind === 'image' ? 0 : Math.min(probe.durationSeconds, outcome.framesAnalysed / fps);
      files.push({
        file,
        kind: probe.kind,
        status: outcome.error ? 'failed' : 'ok',
        error: outcome.error ? failureOf(file, outcome.error, outcome.framesAnalysed / fps) : null,
        durationSeconds: probe.durationSeconds,
        analysedSeconds,
        framesAnalysed: outcome.framesAnalysed,
        ...outcome.counts,
      });
    }
    progress.filesDone++;
  }
  progress.currentFile = null;
  report();

  const personIds = [...new Set(found.map((m) => m.personId))];
  const people = await options.people.describe(personIds);
  const matches: ScanMatch[] = found.map((m, i) => ({ index: i + 1, name: people.get(m.personId)?.name ?? '(erased person)', ...m }));
  const finished = Date.now();
  return {
    status: scanStatus(files),
    list: options.list,
    analysisFps: fps,
    detector,
    modelVersionId: options.matcher.modelVersionId,
    modelVersionLabel: options.matcher.modelVersionLabel,
    startedAt,
    finishedAt: new Date(finished).toISOString(),
    elapsedSeconds: (finished - started) / 1000,
    files,
    matches,
    people: personIds.map((id) => people.get(id)).filter((p) => p !== undefined),
  };
}

function failedFile(file: string, error: string): ScanFileResult {
  return { file, kind: null, status: 'failed', error, durationSeconds: 0, analysedSeconds: 0, framesAnalysed: 0, facesSeen: 0, tracks: 0, matches: 0, otherListMatches: 0, strangers: 0, undecided: 0 };
}

/** The reason a file failed, naming it (a decoding error already does; an engine failure does not). */
function failureOf(file: string, error: unknown, atSeconds: number): string {
  if (error instanceof MediaUnreadableError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `${file} could not be analysed after ${formatVideoTime(atSeconds)}: ${message}`;
}
