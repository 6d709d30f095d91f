import * as fs from 'node:fs/promises';
import { DomainError } from '@vigil/domain';
import { degradeImage } from './degrade';
import { largestFace, type DetectedFace, type DetectOptions } from './face-engine';
import { estimatePose } from './face-measures';

/** Anything that finds faces in an encoded image: FaceEngine in-process, or InferencePool. */
export interface ImageFaceDetector {
  detectImage(encoded: Uint8Array, options?: DetectOptions): Promise<DetectedFace[]>;
}

/** An image of the pairs file: its resolved path and where the file first names it (for errors). */
export interface PairImage {
  file: string;
  relative: string;
  line: number;
}

export interface ImageEmbedding {
  /** Descriptor of the largest face, or null when none was found. */
  clean: Float32Array | null;
  /**
   * The same for the degraded copy (degradeImage, eyes measured on the clean face); null when
   * the clean image has no face or the copy has none. Undefined when degradation was not asked for.
   */
  degraded?: Float32Array | null;
}

export interface EmbedOptions {
  engine: ImageFaceDetector;
  detectOptions?: DetectOptions;
  /** Images embedded at once. */
  concurrency: number;
  /** Also embed a degraded copy of each image, made in memory. */
  degrade: boolean;
  /** How errors name the pairs file ("pairs CSV"). */
  label: string;
  /** Called after each image (its copy included) with the count done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(runners);
}

/**
 * Embeds each image once (its largest face) and, with `degrade`, a CCTV-like copy of it. Engine
 * errors keep their class (same HTTP status) but name the image and the line that lists it.
 */
export async function embedPairImages(images: readonly PairImage[], options: EmbedOptions): Promise<Map<string, ImageEmbedding>> {
  const out = new Map<string, ImageEmbedding>();
  const detect = async (image: PairImage, encoded: Uint8Array, what: string): Promise<DetectedFace | undefined> => {
    try {
      return largestFace(await options.engine.detectImage(encoded, { ...options.detectOptions, descriptors: true }));
    } catch (err) {
      if (err instanceof DomainError) {
        const Ctor = err.constructor as new (m: string, d?: Record<string, unknown>) => DomainError;
        throw new Ctor(`${options.label} line ${image.line}: ${what} '${image.relative}': ${err.message}`, err.details);
      }
      throw err;
    }
  };
  await mapLimit(images, options.concurrency, async (image) => {
    const encoded = await fs.readFile(image.file);
    // An InferencePool may move (detach) the buffer it is given; the degraded copy needs the bytes.
    const face = await detect(image, options.degrade ? new Uint8Array(encoded) : encoded, 'image');
    const embedding: ImageEmbedding = { clean: face?.descriptor ?? null };
    if (options.degrade) {
      embedding.degraded = null;
      const eyeDistancePx = face ? estimatePose(face.landmarks).interOcularPx : 0;
      if (face && eyeDistancePx > 0) {
        const copy = await degradeImage(encoded, { eyeDistancePx });
        embedding.degraded = (await detect(image, copy.jpeg, 'degraded copy of image'))?.descriptor ?? null;
      }
    }
    out.set(image.file, embedding);
    options.onProgress?.(out.size, images.length);
  });
  return out;
}
