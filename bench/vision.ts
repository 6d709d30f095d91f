/**
 * Vision benchmark: prints one JSON document with per-frame latency per detector and input size,
 * per-face landmark+descriptor cost, pool throughput at 1..N workers, RSS, backend and machine.
 * Usage: npm run build && node dist/bench/vision.js [--iterations 8] [--max-workers N]
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { FaceEngine, InferencePool, loadTfRuntime, type DetectOptions, type RgbFrame } from '@vigil/vision';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { readSamplePhoto, toFrame } from '../libs/vision/src/testing/sample-photos';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const round = (v: number): number => Math.round(v * 10) / 10;

function summary(samples: number[]): { median: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: round(at(0.5)), p95: round(at(0.95)), n: s.length };
}

async function time(iterations: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // first call compiles kernels for this shape; excluded like the service's warm-up
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** A sample photo (4 faces) scaled and cropped to fill width x height, like a camera frame. */
async function cameraFrame(width: number, height: number): Promise<RgbFrame> {
  return toFrame(sharp(readSamplePhoto(6)).resize(width, height, { fit: 'cover' }));
}

async function main(): Promise<void> {
  const iterations = arg('iterations', 8);
  const maxWorkers = arg('max-workers', os.availableParallelism());
  const engine = await FaceEngine.create();
  const { faceapi, tf } = await loadTfRuntime();
  const detectors: Array<{ name: string; options: DetectOptions }> = [
    { name: 'ssd', options: { detector: 'ssd' } },
    { name: 'tiny-320', options: { detector: 'tiny', tinyInputSize: 320 } },
    { name: 'tiny-416', options: { detector: 'tiny', tinyInputSize: 416 } },
    { name: 'tiny-608', options: { detector: 'tiny', tinyInputSize: 608 } },
  ];
  const sizes = [
    [640, 480],
    [1280, 720],
  ] as const;

  const perFrame: Record<string, unknown>[] = [];
  const perFaceCosts: number[] = [];
  for (const [w, h] of sizes) {
    const frame = await cameraFrame(w, h);
    for (const d of detectors) {
      const faces = (await engine.detect(frame, d.options)).length;
      const full = await time(iterations, () => engine.detect(frame, d.options));
      // Detector alone, straight through face-api, to isolate the per-face landmark+descriptor cost.
      const detectorOptions =
        d.options.detector === 'ssd'
          ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 })
          : new faceapi.TinyFaceDetectorOptions({ inputSize: d.options.tinyInputSize, scoreThreshold: 0.5 });
      const detectOnly = await time(iterations, async () => {
        const input = tf.tensor3d(frame.data, [h, w, 3], 'int32');
        try {
          await faceapi.detectAllFaces(input as never, detectorOptions);
        } finally {
          input.dispose();
        }
      });
      const fullS = summary(full);
      const detS = summary(detectOnly);
      if (faces > 0) perFaceCosts.push((fullS.median - detS.median) / faces);
      perFrame.push({ detector: d.name, input: `${w}x${h}`, faces, fullPipelineMs: fullS, detectOnlyMs: detS });
    }
  }
  const rssSingleEngineMb = Math.round(process.memoryUsage().rss / 1e6);

  const pool: Record<string, unknown>[] = [];
  const poolFrame = await cameraFrame(640, 480);
  for (let workers = 1; workers <= maxWorkers; workers++) {
    const p = await InferencePool.create({ workers, queueSize: 1000, transferFrames: false });
    try {
      const jobs = Math.max(12, 6 * workers);
      await Promise.all(Array.from({ length: workers }, () => p.detect(poolFrame)));
      const t0 = performance.now();
      await Promise.all(Array.from({ length: jobs }, () => p.detect(poolFrame)));
      const seconds = (performance.now() - t0) / 1000;
      pool.push({ workers, detector: 'ssd', input: '640x480', frames: jobs, framesPerSecond: round(jobs / seconds), rssMb: Math.round(process.memoryUsage().rss / 1e6) });
    } finally {
      await p.close();
    }
  }

  const cpus = os.cpus();
  console.log(
    JSON.stringify(
      {
        backend: engine.backend,
        machine: { cpuModel: cpus[0]?.model ?? 'unknown', cores: os.availableParallelism(), totalMemMb: Math.round(os.totalmem() / 1e6), node: process.version, platform: `${os.platform()} ${os.release()}` },
        iterations,
        perFrame,
        perFaceLandmarksDescriptorMs: round(perFaceCosts.reduce((a, b) => a + b, 0) / Math.max(1, perFaceCosts.length)),
        rssSingleEngineMb,
        pool,
        note: 'pool rssMb is the main process only; each worker thread shares that process, so it includes all workers',
      },
      null,
      2,
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
