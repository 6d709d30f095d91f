import { appendFile, mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InvalidInputError } from '@vigil/domain';
import type { BackendPreference } from './backend';
import { DESCRIPTOR_PARTS, type DescriptorPart, type FaceSample, type ImageSample } from './calibration-sample';
import { descriptorMethod, embeddingModelId } from './descriptor-method';
import type { DetectorKind } from './face-engine';
import { cacheKeyMatches, readNdjsonCache, type ImageCacheKey } from './ndjson-cache';

/** Samples hold face-api's own descriptor and the crops' parts: the base model, whatever the product's method. */
export const CALIBRATION_MODEL_ID = embeddingModelId(descriptorMethod('faceapi'));

/** Bump when extraction changes what a cached sample means (crop geometry, degradation…). */
export const CALIBRATION_SAMPLE_VERSION = 2;

export interface ExtractOptions {
  /** Folder the relative image paths are under (already resolved and checked by the caller). */
  imagesDir: string;
  images: readonly string[];
  detector: DetectorKind;
  workers: number;
  backend?: BackendPreference;
  /** Descriptor parts to compute (default all); a cached photo is reused when it has at least these. */
  parts?: readonly DescriptorPart[];
  /**
   * NDJSON file of earlier results: photos already there (same size, mtime, detector, model and
   * sample version) are not embedded again, and new results are appended as they come, so an
   * interrupted run resumes. Omit for no cache.
   */
  cacheFile?: string;
  onProgress?(done: number, total: number): void;
}

interface CachedLine extends ImageCacheKey {
  detector: DetectorKind;
  sample: { clean: unknown; degraded: unknown; degradeScale: number | null };
}

const encodeFace = (f: FaceSample | null) =>
  f && {
    score: f.score,
    quality: f.quality,
    descriptors: Object.fromEntries(
      Object.entries(f.descriptors).map(([p, d]) => [p, Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64')]),
    ),
  };

function decodeFace(raw: unknown): FaceSample | null {
  if (!raw) return null;
  const f = raw as { score: number; quality: FaceSample['quality']; descriptors: Record<string, string> };
  const descriptors = {} as FaceSample['descriptors'];
  for (const p of DESCRIPTOR_PARTS) {
    if (!f.descriptors[p]) continue;
    const buf = Buffer.from(f.descriptors[p], 'base64');
    descriptors[p] = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  }
  return { score: f.score, quality: f.quality, descriptors };
}

/** A cached photo serves when every face it has carries the parts asked for. */
function hasParts(line: CachedLine, parts: readonly DescriptorPart[]): boolean {
  for (const face of [line.sample.clean, line.sample.degraded] as Array<{ descriptors: Record<string, string> } | null>) {
    if (face && parts.some((p) => !face.descriptors[p])) return false;
  }
  return true;
}

const readCache = (file: string): Promise<Map<string, CachedLine>> => readNdjsonCache<CachedLine>(file);

/**
 * Embeds every photo (clean and degraded) on `workers` worker threads, one FaceEngine each,
 * reusing and extending the cache. Returns samples keyed by the relative path given.
 */
export async function extractCalibrationSamples(options: ExtractOptions): Promise<Map<string, ImageSample>> {
  if (!Number.isInteger(options.workers) || options.workers < 1 || options.workers > 64) throw new InvalidInputError('workers must be an integer from 1 to 64');
  const parts = options.parts ?? DESCRIPTOR_PARTS;
  const out = new Map<string, ImageSample>();
  const cache = options.cacheFile ? await readCache(options.cacheFile) : new Map<string, CachedLine>();
  if (options.cacheFile) await mkdir(path.dirname(options.cacheFile), { recursive: true });
  const todo: Array<{ image: string; size: number; mtimeMs: number }> = [];
  for (const image of new Set(options.images)) {
    const s = await stat(path.join(options.imagesDir, image));
    const hit = cache.get(image);
    if (hit && hasParts(hit, parts) && cacheKeyMatches(hit, { v: CALIBRATION_SAMPLE_VERSION, model: CALIBRATION_MODEL_ID, detector: options.detector, image, size: s.size, mtimeMs: s.mtimeMs })) {
      out.set(image, { clean: decodeFace(hit.sample.clean), degraded: decodeFace(hit.sample.degraded), degradeScale: hit.sample.degradeScale });
    } else {
      todo.push({ image, size: s.size, mtimeMs: s.mtimeMs });
    }
  }
  const total = out.size + todo.length;
  options.onProgress?.(out.size, total);
  if (todo.length === 0) return out;

  const script = path.join(__dirname, 'calibration.worker.js');
  const workers = Array.from({ length: Math.min(options.workers, todo.length) }, () => new Worker(script, { workerData: { backend: options.backend, detector: options.detector, parts: [...parts] } }));
  let next = 0;
  let pendingWrite = Promise.resolve();
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let current: (typeof todo)[number] | undefined;
            const send = (): void => {
              current = todo[next++];
              if (!current) {
                resolve();
                return;
              }
              worker.postMessage({ id: next, file: path.join(options.imagesDir, current.image) });
            };
            worker.on('error', reject);
            worker.on('exit', (code) => (current ? reject(new Error(`calibration worker exited (${code}) on ${current.image}`)) : resolve()));
            worker.on('message', (msg: { type: string; sample?: ImageSample; message?: string }) => {
              if (msg.type === 'ready') return send();
              const done = current as (typeof todo)[number];
              const sample: ImageSample = msg.type === 'result' && msg.sample ? msg.sample : { clean: null, degraded: null, degradeScale: null };
              if (msg.type === 'error') process.emitWarning(`calibration: ${done.image}: ${msg.message}`);
              out.set(done.image, sample);
              if (options.cacheFile) {
                const line: CachedLine = { v: CALIBRATION_SAMPLE_VERSION, model: CALIBRATION_MODEL_ID, detector: options.detector, image: done.image, size: done.size, mtimeMs: done.mtimeMs, sample: { clean: encodeFace(sample.clean), degraded: encodeFace(sample.degraded), degradeScale: sample.degradeScale } };
                const file = options.cacheFile;
                pendingWrite = pendingWrite.then(() => appendFile(file, JSON.stringify(line) + '\n'));
              }
              options.onProgress?.(out.size, total);
              send();
            });
          }),
      ),
    );
  } finally {
    await pendingWrite;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
