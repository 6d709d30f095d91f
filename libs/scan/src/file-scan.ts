import { CameraRecogniser, resolveQualityThresholds, type RecognitionDecision } from '@vigil/domain';
import { PoolJobError, type DetectedFace, type DetectOptions } from '@vigil/vision';
import { faceCropJpeg } from './face-crop';
import { FileTally, type FileCounts } from './file-tally';
import { decodeImage, decodeVideo, type SourceFrame } from './frame-source';
import { ScanCancelledError } from './scan-errors';
import type { MediaProbe, ScanDetector, ScanListChoice, ScanMatch, ScanMatcher } from './scan-types';

/** A match before the report numbers it and names the person. */
export type FileMatch = Omit<ScanMatch, 'index' | 'name'>;

export interface FileScanContext {
  list: ScanListChoice;
  engine: ScanDetector;
  matcher: ScanMatcher;
  fps: number;
  concurrency: number;
  detector: 'ssd' | 'tiny';
  signal?: AbortSignal;
  onFrame(): void;
  onMatch(): void;
}

export interface FileScanOutcome {
  counts: FileCounts;
  framesAnalysed: number;
  matches: FileMatch[];
  /** The error that ended the file early (its frames until then are analysed and counted). */
  error: unknown;
}

/** The live path's gate: the same quality thresholds decide which sightings count. */
const QUALITY = resolveQualityThresholds('recognition');
/** A frame refused by a full pool queue (the server's cameras share it) is retried, never skipped. */
const DROP_RETRIES = 20;

/**
 * One file, its own stream: a fresh CameraRecogniser (the class the live path runs per camera,
 * with its tracks, votes and thresholds) fed the file's frames in order at their video times.
 * Detection runs `concurrency` frames ahead on the engine; results are consumed in frame order.
 * Never throws for the file's own problems: they come back as `error` with what was done.
 */
export async function scanFile(probe: MediaProbe, ctx: FileScanContext): Promise<FileScanOutcome> {
  const recogniser = new CameraRecogniser({ quality: QUALITY });
  const tally = new FileTally(ctx.list);
  const matches: FileMatch[] = [];
  const byTrack = new Map<string, FileMatch[]>();
  const options: DetectOptions = { detector: ctx.detector, descriptors: true };
  let framesAnalysed = 0;

  const consume = async (source: SourceFrame, faces: DetectedFace[]): Promise<void> => {
    const result = recogniser.analyse(
      source.atMs,
      faces.map((f) => ({ box: f.box, descriptor: f.descriptor ?? null, quality: f.quality })),
      ctx.matcher,
    );
    for (const a of result.attempts) {
      tally.face(a.trackId);
      for (const m of byTrack.get(a.trackId) ?? []) m.lastSeenSeconds = source.atMs / 1000;
    }
    for (const d of result.decisions) {
      if (d.kind !== 'match') {
        tally.decision({ kind: 'unknown', trackId: d.trackId });
        continue;
      }
      if (!tally.decision({ kind: 'match', trackId: d.trackId, list: d.list })) continue;
      const match = await toMatch(probe.file, source, faces, d);
      matches.push(match);
      byTrack.set(d.trackId, [...(byTrack.get(d.trackId) ?? []), match]);
      ctx.onMatch();
    }
    framesAnalysed++;
    ctx.onFrame();
  };

  const pending: Array<{ source: SourceFrame; faces: Promise<DetectedFace[]> }> = [];
  try {
    const frames: AsyncIterable<SourceFrame> = probe.kind === 'image' ? single(await decodeImage(probe)) : decodeVideo(probe, ctx.fps, ctx.signal);
    for await (const source of frames) {
      const faces = detectRetrying(ctx.engine, source.frame, options, ctx.signal);
      faces.catch(() => undefined); // awaited in order below; an abandoned one must not be unhandled
      pending.push({ source, faces });
      while (pending.length >= ctx.concurrency) {
        const head = pending.shift()!;
        await consume(head.source, await head.faces);
      }
    }
    while (pending.length > 0) {
      const head = pending.shift()!;
      await consume(head.source, await head.faces);
    }
    return { counts: tally.counts(), framesAnalysed, matches, error: null };
  } catch (error) {
    if (error instanceof ScanCancelledError || ctx.signal?.aborted) throw error instanceof ScanCancelledError ? error : new ScanCancelledError();
    return { counts: tally.counts(), framesAnalysed, matches, error };
  }
}

async function* single(frame: SourceFrame): AsyncGenerator<SourceFrame> {
  yield frame;
}

async function detectRetrying(engine: ScanDetector, frame: SourceFrame['frame'], options: DetectOptions, signal?: AbortSignal): Promise<DetectedFace[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      // A copy goes to the engine (a pool moves, i.e. detaches, what it is given); the original stays for crops.
      return await engine.detect({ ...frame, data: Buffer.from(frame.data) }, options);
    } catch (error) {
      const refused = error instanceof PoolJobError && (error.reason === 'dropped' || error.reason === 'busy');
      if (!refused || attempt >= DROP_RETRIES || signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

async function toMatch(file: string, source: SourceFrame, faces: DetectedFace[], d: Extract<RecognitionDecision, { kind: 'match' }>): Promise<FileMatch> {
  const box = faces[d.faceIndex]!.box;
  return {
    file,
    personId: d.personId,
    list: d.list,
    firstSeenSeconds: d.trackStartedAt / 1000,
    decidedSeconds: source.atMs / 1000,
    lastSeenSeconds: source.atMs / 1000,
    score: d.score,
    distance: d.distance,
    sightings: d.sightings,
    box: { ...box },
    crop: await faceCropJpeg(source.frame, box),
  };
}
