import { appendFile, mkdir, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InvalidInputError } from '@vigil/domain';
import type { BackendPreference } from './backend';
import { EMBEDDING_MODEL_ID } from './descriptor-method';
import type { DetectorKind } from './face-engine';
import { cacheKeyMatches, readNdjsonCache, type ImageCacheKey } from './ndjson-cache';

/** Bump when what a cached descriptor means changes (detector settings, crop…). */
export const DESCRIPTOR_CACHE_VERSION = 1;

/** Where `vigil train-head --lfw` keeps the product's descriptors of LFW's photos by default. */
export function defaultDescriptorCacheFile(modelId: string = EMBEDDING_MODEL_ID): string {
  return path.join(os.homedir(), '.cache', 'vigil', `lfw-descriptors-${modelId.replace(/[^A-Za-z0-9._-]+/g, '_')}.ndjson`);
}

export interface EmbedCachedOptions {
  /** Folder the relative image paths are under. */
  imagesDir: string;
  images: readonly string[];
  /** NDJSON cache: photos there (same size, mtime, detector, model, version) are not embedded again; new ones are appended as they come. */
  cacheFile: string;
  detector?: DetectorKind;
  backend?: BackendPreference;
  onProgress?(done: number, total: number): void;
}

interface CacheLine extends ImageCacheKey {
  detector: DetectorKind;
  /** base64 of the Float32Array, or null when no face was found. */
  d: string | null;
}

const readCache = (file: string): Promise<Map<string, CacheLine>> => readNdjsonCache<CacheLine>(file);

const decode = (b64: string | null): Float32Array | null => {
  if (b64 === null) return null;
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};

/**
 * The product's descriptor (EMBEDDING_MODEL_ID: its engine and descriptor method) of the largest
 * face of each photo, null where none was found. Embeds on one worker thread, reusing and
 * extending the cache, so an interrupted run resumes where it stopped.
 */
export async function embedImagesCached(options: EmbedCachedOptions): Promise<Map<string, Float32Array | null>> {
  const detector = options.detector ?? 'tiny';
  const out = new Map<string, Float32Array | null>();
  const cache = await readCache(options.cacheFile);
  await mkdir(path.dirname(options.cacheFile), { recursive: true });
  const todo: Array<{ image: string; size: number; mtimeMs: number }> = [];
  for (const image of new Set(options.images)) {
    let s;
    try {
      s = await stat(path.join(options.imagesDir, image));
    } catch {
      throw new InvalidInputError(`image not found: ${path.join(options.imagesDir, image)}`);
    }
    const hit = cache.get(image);
    if (hit && cacheKeyMatches(hit, { v: DESCRIPTOR_CACHE_VERSION, model: EMBEDDING_MODEL_ID, detector, image, size: s.size, mtimeMs: s.mtimeMs })) {
      out.set(image, decode(hit.d));
    } else {
      todo.push({ image, size: s.size, mtimeMs: s.mtimeMs });
    }
  }
  const total = out.size + todo.length;
  options.onProgress?.(out.size, total);
  if (todo.length === 0) return out;

  const worker = new Worker(path.join(__dirname, 'descriptor.worker.js'), { workerData: { backend: options.backend, detector } });
  let next = 0;
  let pendingWrite = Promise.resolve();
  try {
    await new Promise<void>((resolve, reject) => {
      let current: (typeof todo)[number] | undefined;
      const send = (): void => {
        current = todo[next++];
        if (!current) return resolve();
        worker.postMessage({ id: next, file: path.join(options.imagesDir, current.image) });
      };
      worker.on('error', reject);
      worker.on('exit', (code) => (current ? reject(new Error(`descriptor worker exited (${code}) on ${current.image}`)) : resolve()));
      worker.on('message', (msg: { type: string; descriptor?: Float32Array | null; message?: string }) => {
        if (msg.type === 'ready') return send();
        const done = current as (typeof todo)[number];
        const descriptor = msg.type === 'result' && msg.descriptor ? new Float32Array(msg.descriptor) : null;
        if (msg.type === 'error') process.emitWarning(`descriptors: ${done.image}: ${msg.message}`);
        out.set(done.image, descriptor);
        // An engine error is not cached: the photo is tried again next run.
        if (msg.type === 'result') {
          const line: CacheLine = { v: DESCRIPTOR_CACHE_VERSION, model: EMBEDDING_MODEL_ID, detector, image: done.image, size: done.size, mtimeMs: done.mtimeMs, d: descriptor && Buffer.from(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength).toString('base64') };
          pendingWrite = pendingWrite.then(() => appendFile(options.cacheFile, JSON.stringify(line) + '\n'));
        }
        options.onProgress?.(out.size, total);
        send();
      });
    });
  } finally {
    await pendingWrite;
    await worker.terminate();
  }
  return out;
}
