import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { VigilConfig } from '@vigil/config';
import { InvalidInputError } from '@vigil/domain';
import { loadUsearch, MediaStore } from '@vigil/gallery';
import {
  databasePeople,
  DEFAULT_ANALYSIS_FPS,
  formatVideoTime,
  listMedia,
  loadGallerySnapshot,
  parseListChoice,
  reportJson,
  scanMedia,
  ScanCancelledError,
  validateAnalysisFps,
  writeReports,
  type ScanDetector,
  type ScanReport,
} from '@vigil/scan';
import { FaceEngine, InferencePool } from '@vigil/vision';
import { DATABASE_IN_USE, openCommandDatabase } from '../open-database';
import { createProgress, type Progress } from '../progress';

export const SCAN_USAGE = `vigil scan <video | image | folder> [--list watchlist|employee|all] [--out <dir>] [--fps n] [--workers n] [--detector ssd|tiny] [--quiet] [--json]
  Looks for enrolled people in recorded footage (a file, or every video and image in a folder and
  its sub-folders) with the live recogniser: the same tracks, votes, quality gate and the active
  model version's thresholds, decoding as fast as the machine allows. Writes report.json,
  report.csv, report.html (self-contained: crops beside the enrolled photos) and crops/ to --out
  (default ./scan-<UTC time>). Strangers are counted per file, never stored.
  --list     whose matches are reported (default watchlist); faces are always matched against the
             whole gallery, as live.
  --fps      frames analysed per second of video (default ${DEFAULT_ANALYSIS_FPS}; 5 = the live rate).
  --workers  inference worker threads (default 1).
  --quiet    no progress bar and no summary (errors still go to stderr); --json prints the report
             (without images) on stdout.
  Exit code: 0 every file scanned, 1 some files failed (truncated, not a video: named in the report
  and on stderr), 2 usage error, 3 database in use by a running server, 130 cancelled (Ctrl+C).
  docs/scan.md has the report's fields and measured speed.`;

type Out = (text: string) => void;

const SOME_FAILED = 1;
const USAGE_ERROR = 2;
const CANCELLED = 130;

function defaultOutDir(now = new Date()): string {
  return path.resolve(`scan-${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z`);
}

export async function scanCommand(args: string[], config: VigilConfig, out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      list: { type: 'string' },
      out: { type: 'string' },
      fps: { type: 'string' },
      workers: { type: 'string' },
      detector: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) {
    err(`vigil scan: give exactly one video, image or folder to scan.\n\n${SCAN_USAGE}\n`);
    return USAGE_ERROR;
  }
  const list = parseListChoice(values.list, 'watchlist');
  const fps = validateAnalysisFps(values.fps === undefined ? DEFAULT_ANALYSIS_FPS : Number(values.fps));
  const workers = values.workers === undefined ? 1 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new InvalidInputError('--workers must be an integer from 1 to 64');
  const detector = values.detector ?? 'ssd';
  if (detector !== 'ssd' && detector !== 'tiny') throw new InvalidInputError('--detector must be ssd or tiny');
  const outDir = values.out ? path.resolve(values.out) : defaultOutDir();
  if (existsSync(path.join(outDir, 'report.json'))) throw new InvalidInputError(`${outDir} already holds a scan report: choose another --out`);
  const quiet = values.quiet ?? false;
  const { files, skipped } = await listMedia(positionals[0]!);
  if (skipped.length > 0 && !quiet) err(`Skipping ${skipped.length} file(s) that are not video or images (e.g. ${skipped[0]}).\n`);

  const db = await openCommandDatabase(config, 'scan', 'Stop the server and scan again, or run both against PostgreSQL with DATABASE_URL.', err);
  if (!db) return DATABASE_IN_USE;
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  let engine: (ScanDetector & { close(): Promise<void> }) | undefined;
  // Drawn from the first report on, when the files are probed and the total is known.
  let progress: Progress | undefined;
  try {
    const usearch = loadUsearch();
    const matcher = await loadGallerySnapshot(db, { annMinReferences: config.galleryAnnMinReferences, createNeighbourIndex: usearch.ok ? usearch.factory : undefined });
    if (matcher.size === 0) throw new InvalidInputError('the gallery is empty: enrol the people to look for first (vigil enroll), then scan');
    engine = workers > 1 ? await InferencePool.create({ workers, engine: { backend: config.tfBackend } }) : await closable(FaceEngine.create({ backend: config.tfBackend }));
    let shown = 0;
    const report = await scanMedia({
      files,
      list,
      engine,
      matcher,
      people: databasePeople(db, new MediaStore(config.dataDir)),
      analysisFps: fps,
      concurrency: workers,
      detector,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'probing') return; // ffprobe takes ~50 ms a file: the bar starts once the total is known
        progress ??= createProgress({ label: 'Scanning', unit: 'frames', total: p.framesEstimated, quiet });
        progress.setTotal(Math.max(p.framesEstimated, p.framesAnalysed));
        const file = p.currentFile ? ` file ${Math.min(p.filesDone + 1, p.filesTotal)}/${p.filesTotal} ${path.basename(p.currentFile)}` : '';
        progress.tick(p.framesAnalysed - shown, `${file} | ${p.matches} match(es)`);
        shown = p.framesAnalysed;
      },
    });
    progress?.stop();
    await writeReports(report, outDir);
    for (const f of report.files) if (f.status === 'failed') err(`vigil scan: ${f.error}\n`);
    if (values.json) out(`${JSON.stringify({ out: outDir, ...reportJson(report) })}\n`);
    else if (!quiet) out(summary(report, outDir));
    return report.status === 'completed' ? 0 : SOME_FAILED;
  } catch (error) {
    progress?.stop();
    if (error instanceof ScanCancelledError) {
      err('vigil scan: cancelled; no report written.\n');
      return CANCELLED;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await engine?.close();
    await db.close();
  }
}

/** A single in-process engine (nothing to close: it lives as long as the process). */
async function closable(engine: Promise<FaceEngine>): Promise<ScanDetector & { close(): Promise<void> }> {
  const ready = await engine;
  return { detect: (frame, options) => ready.detect(frame, options), close: () => Promise.resolve() };
}

/** The human summary: totals, speed, each match and each failed file. */
export function summary(report: ScanReport, outDir: string): string {
  const frames = report.files.reduce((n, f) => n + f.framesAnalysed, 0);
  const video = report.files.reduce((n, f) => n + f.analysedSeconds, 0);
  const failed = report.files.filter((f) => f.status === 'failed');
  const seconds = Math.max(report.elapsedSeconds, 0.001);
  const lines = [
    `Scanned ${report.files.length} file(s)${failed.length ? `, ${failed.length} FAILED` : ''}: ${frames} frames (${formatVideoTime(video)} of video) in ${report.elapsedSeconds.toFixed(1)} s — ${(frames / seconds).toFixed(1)} frames/s, ${(video / seconds).toFixed(1)}x realtime.`,
    `Matches (${report.list}): ${report.matches.length}; strangers counted: ${report.files.reduce((n, f) => n + f.strangers, 0)}.`,
    ...report.matches.map((m) => `  ${m.name} (${m.list}) in ${m.file} at ${formatVideoTime(m.firstSeenSeconds)}, score ${m.score.toFixed(2)}`),
    ...failed.map((f) => `  FAILED ${f.file}: ${f.error}`),
    `Report: ${path.join(outDir, 'report.html')} (and report.json, report.csv)`,
  ];
  return `${lines.join('\n')}\n`;
}
