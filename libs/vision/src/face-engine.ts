import * as path from 'node:path';
import { InvalidInputError, l2Normalize, meanDescriptor, NORMALISED_DESCRIPTOR_LENGTH, type FaceQualityMeasures } from '@vigil/domain';
import { loadTfRuntime, type BackendPreference, type BackendSelection, type TfRuntime } from './backend';
import { decodeImage, type DecodeOptions } from './image-decoder';
import { measureFaceQuality, type Box, type Point } from './face-measures';
import { assertRgbFrame, type RgbFrame } from './rgb-frame';
import { alignedFaceCrop, DESCRIPTOR_CROP_SIZE } from './face-crop';
import { descriptorMethod, PRODUCT_DESCRIPTOR_METHOD, type DescriptorMethod } from './descriptor-method';

export type DetectorKind = 'ssd' | 'tiny';

export interface DetectOptions {
  /** 'ssd' (default): SSD MobileNet v1, accurate. 'tiny': TinyFaceDetector, ~5x faster, misses small faces. */
  detector?: DetectorKind;
  /** TinyFaceDetector input size; multiple of 32 in [128, 1024]. Default 416. */
  tinyInputSize?: number;
  /** Minimum detector confidence to report a face. Default 0.5. */
  minScore?: number;
  /** Compute the 128-d descriptor (default true); false gives detection, landmarks and quality only. */
  descriptors?: boolean;
  /**
   * Look only inside this rectangle (frame pixels, clamped to the frame; at least 16×16 must
   * overlap it). Results stay in frame pixels. Following a face already found this way is much
   * cheaper than searching the whole frame again; a face outside the region is not reported.
   */
  region?: Box;
}

type ResolvedDetectOptions = Required<Omit<DetectOptions, 'region'>>;
const MIN_REGION_SIDE = 16;

export interface DetectedFace {
  box: Box;
  score: number;
  /** 68 landmark points in frame pixels. */
  landmarks: Point[];
  /** 128-d FaceRecognitionNet descriptor; absent when descriptors were not requested. */
  descriptor?: Float32Array;
  quality: FaceQualityMeasures;
}

export interface FaceEngineOptions extends Omit<DetectOptions, 'region'> {
  backend?: BackendPreference;
  /** Descriptor variant id (default: the calibrated one, PRODUCT_DESCRIPTOR_METHOD). */
  descriptorMethod?: string;
  /** Folder holding face-api weights; default: the installed @vladmandic/face-api/model. */
  modelDir?: string;
}

export function defaultModelDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** The region in whole pixels, clamped to the frame. */
function clampRegion(region: Box, frame: RgbFrame): Box {
  const values = [region.x, region.y, region.width, region.height];
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new InvalidInputError('region must have finite x, y, width and height');
  const x0 = Math.max(0, Math.floor(region.x));
  const y0 = Math.max(0, Math.floor(region.y));
  const x1 = Math.min(frame.width, Math.ceil(region.x + region.width));
  const y1 = Math.min(frame.height, Math.ceil(region.y + region.height));
  if (x1 - x0 < MIN_REGION_SIDE || y1 - y0 < MIN_REGION_SIDE) {
    throw new InvalidInputError(`region must overlap the ${frame.width}x${frame.height} frame by at least ${MIN_REGION_SIDE}x${MIN_REGION_SIDE} pixels`);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function validateDetectOptions(o: DetectOptions): ResolvedDetectOptions {
  const detector = o.detector ?? 'ssd';
  if (detector !== 'ssd' && detector !== 'tiny') throw new InvalidInputError(`unknown detector '${String(detector)}'`);
  const tinyInputSize = o.tinyInputSize ?? 416;
  if (!Number.isInteger(tinyInputSize) || tinyInputSize % 32 !== 0 || tinyInputSize < 128 || tinyInputSize > 1024) {
    throw new InvalidInputError('tinyInputSize must be a multiple of 32 between 128 and 1024');
  }
  const minScore = o.minScore ?? 0.5;
  if (!(minScore >= 0.05 && minScore <= 0.99)) throw new InvalidInputError('minScore must be between 0.05 and 0.99');
  return { detector, tinyInputSize, minScore, descriptors: o.descriptors ?? true };
}

/**
 * In-process face engine: detection, 68-point landmarks, 128-d descriptors and quality measures.
 * face-api's nets are module singletons and TF state is per process, so create one engine per
 * process (or worker thread); InferencePool gives parallelism.
 *
 * Alignment: face-api's withFaceDescriptors() crops each face with `alignedRect`, a box re-derived
 * from the landmarks (centred and sized on the landmark hull), not the raw detector box. It does
 * not rotate the crop; FaceRecognitionNet tolerates the ±10° roll we measured (see docs).
 */
export class FaceEngine {
  private constructor(
    private readonly runtime: TfRuntime,
    private readonly defaults: ResolvedDetectOptions,
    private readonly decodeDefaults: DecodeOptions,
    readonly method: DescriptorMethod,
  ) {}

  static async create(options: FaceEngineOptions = {}, decodeOptions: DecodeOptions = {}): Promise<FaceEngine> {
    const defaults = validateDetectOptions(options);
    const runtime = await loadTfRuntime(options.backend);
    const dir = options.modelDir ?? defaultModelDir();
    const { nets } = runtime.faceapi;
    // Sequential: the loaders share the TF engine and parallel loads give no speed-up on wasm.
    for (const net of [nets.ssdMobilenetv1, nets.tinyFaceDetector, nets.faceLandmark68Net, nets.faceRecognitionNet]) {
      if (!net.isLoaded) await net.loadFromDisk(dir);
    }
    const method = options.descriptorMethod === undefined ? PRODUCT_DESCRIPTOR_METHOD : descriptorMethod(options.descriptorMethod);
    const engine = new FaceEngine(runtime, defaults, decodeOptions, method);
    await engine.warmUp();
    return engine;
  }

  get backend(): BackendSelection {
    return this.runtime.selection;
  }

  /** Live tensor count: must return to its post-warm-up value after every frame (leak check). */
  numTensors(): number {
    return this.runtime.tf.memory().numTensors;
  }

  /**
   * First inference compiles kernels and allocates; doing it at boot keeps that ~2x latency out of
   * the first real request. A synthetic grey frame runs every model (SSD and Tiny) end to end.
   */
  async warmUp(): Promise<void> {
    const size = 160;
    const frame: RgbFrame = { width: size, height: size, data: new Uint8Array(size * size * 3).fill(128) };
    await this.detect(frame, { detector: 'ssd' });
    await this.detect(frame, { detector: 'tiny' });
    // An empty frame has no face, so landmarks/descriptor nets are exercised on a fixed box.
    const { faceapi, tf } = this.runtime;
    const input = tf.zeros([150, 150, 3], 'int32') as unknown as Parameters<typeof faceapi.computeFaceDescriptor>[0];
    try {
      const lm = await faceapi.detectFaceLandmarks(input);
      void lm;
      await faceapi.computeFaceDescriptor(input);
    } finally {
      tf.dispose(input as unknown as import('@tensorflow/tfjs').Tensor);
    }
  }

  /** Detects faces in a raw RGB frame. Boxes and landmarks are in frame pixels. */
  async detect(frame: RgbFrame, options: DetectOptions = {}): Promise<DetectedFace[]> {
    assertRgbFrame(frame);
    const o = validateDetectOptions({ ...this.defaults, ...options });
    const { faceapi, tf } = this.runtime;
    const detectorOptions =
      o.detector === 'ssd'
        ? new faceapi.SsdMobilenetv1Options({ minConfidence: o.minScore, maxResults: 100 })
        : new faceapi.TinyFaceDetectorOptions({ inputSize: o.tinyInputSize, scoreThreshold: o.minScore });
    const region = options.region ? clampRegion(options.region, frame) : null;
    const input = tf.tensor3d(frame.data, [frame.height, frame.width, 3], 'int32');
    const view = region ? tf.slice(input, [region.y, region.x, 0], [region.height, region.width, 3]) : input;
    const dx = region?.x ?? 0;
    const dy = region?.y ?? 0;
    try {
      const tensorInput = view as unknown as Parameters<typeof faceapi.detectAllFaces>[0];
      const withLandmarks = faceapi.detectAllFaces(tensorInput, detectorOptions).withFaceLandmarks();
      // face-api's own descriptor is the base unless the crop is levelled (then it would be wasted).
      const results = o.descriptors && !this.method.levelEyes ? await withLandmarks.withFaceDescriptors() : await withLandmarks;
      const faces = results.map((r) => {
        const b = r.detection.box;
        const box = { x: b.x + dx, y: b.y + dy, width: b.width, height: b.height };
        const landmarks = r.landmarks.positions.map((p) => ({ x: p.x + dx, y: p.y + dy }));
        const face: DetectedFace = {
          box,
          score: r.detection.score,
          landmarks,
          quality: measureFaceQuality(frame, box, landmarks, r.detection.score),
        };
        if ('descriptor' in r) face.descriptor = (r as { descriptor: Float32Array }).descriptor;
        return face;
      });
      if (o.descriptors) for (const face of faces) face.descriptor = await this.describe(frame, face.landmarks, face.descriptor);
      return faces;
    } finally {
      if (view !== input) view.dispose();
      input.dispose();
    }
  }

  /**
   * The descriptor of a face by this engine's method, from its landmarks; `faceApiDescriptor` is
   * face-api's own (already computed unless the method levels the crop).
   */
  private async describe(frame: RgbFrame, landmarks: Point[], faceApiDescriptor: Float32Array | undefined): Promise<Float32Array> {
    const m = this.method;
    const base = m.levelEyes || !faceApiDescriptor ? await this.describeCrop(alignedFaceCrop(frame, landmarks, { levelEyes: m.levelEyes, flip: false })) : faceApiDescriptor;
    const d = m.flipAverage ? meanDescriptor([base, await this.describeCrop(alignedFaceCrop(frame, landmarks, { levelEyes: m.levelEyes, flip: true }))]) : base;
    return m.normalise ? l2Normalize(d, NORMALISED_DESCRIPTOR_LENGTH) : d;
  }

  /**
   * The 128-d descriptor of a DESCRIPTOR_CROP_SIZE-sided float RGB crop (alignedFaceCrop): the
   * same net as detect() uses, on a crop made in JS (eye-levelled or mirrored variants).
   */
  async describeCrop(crop: Float32Array): Promise<Float32Array> {
    if (crop.length !== DESCRIPTOR_CROP_SIZE * DESCRIPTOR_CROP_SIZE * 3) throw new InvalidInputError('crop must be a 150x150 RGB float array');
    const { faceapi, tf } = this.runtime;
    const input = tf.tensor3d(crop, [DESCRIPTOR_CROP_SIZE, DESCRIPTOR_CROP_SIZE, 3], 'float32');
    try {
      const out = await faceapi.computeFaceDescriptor(input as unknown as Parameters<typeof faceapi.computeFaceDescriptor>[0]);
      return (Array.isArray(out) ? out[0] : out) as Float32Array;
    } finally {
      input.dispose();
    }
  }

  /** Decodes an uploaded JPEG/PNG/WebP (see decodeImage for its errors) and detects faces in it. */
  async detectImage(encoded: Uint8Array, options: DetectOptions = {}): Promise<DetectedFace[]> {
    return this.detect(await decodeImage(encoded, this.decodeDefaults), options);
  }
}

/** The face with the largest detection box, or undefined. */
export function largestFace<T extends { box: Box }>(faces: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const f of faces) if (!best || f.box.width * f.box.height > best.box.width * best.box.height) best = f;
  return best;
}
