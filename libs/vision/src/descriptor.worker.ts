import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendPreference } from './backend';
import { CALIBRATION_TINY_INPUT } from './calibration-sample';
import { FaceEngine, largestFace, type DetectedFace, type DetectorKind } from './face-engine';
import { decodeImage } from './image-decoder';

// Worker thread of embedImagesCached: one FaceEngine with the product's descriptor method, one
// photo at a time. A worker keeps the engine's TF backend (wasm) out of the caller's thread, where
// a head may be trained on another backend.
interface Init {
  backend?: BackendPreference;
  detector: DetectorKind;
}

void (async () => {
  const port = parentPort;
  if (!port) throw new Error('descriptor worker must run in a worker thread');
  const init = workerData as Init;
  const engine = await FaceEngine.create({ backend: init.backend });
  port.postMessage({ type: 'ready' });
  port.on('message', (job: { id: number; file: string }) => {
    void (async () => {
      try {
        const frame = await decodeImage(await readFile(job.file));
        // As the calibration: tiny at 320 px (LFW's small portraits), SSD for what tiny misses.
        let face: DetectedFace | undefined = largestFace(await engine.detect(frame, { detector: init.detector, tinyInputSize: CALIBRATION_TINY_INPUT, descriptors: true }));
        if (!face && init.detector !== 'ssd') face = largestFace(await engine.detect(frame, { detector: 'ssd', descriptors: true }));
        port.postMessage({ type: 'result', id: job.id, descriptor: face?.descriptor ?? null });
      } catch (err) {
        port.postMessage({ type: 'error', id: job.id, message: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
})();
