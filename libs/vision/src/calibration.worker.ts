import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendPreference } from './backend';
import { extractImageSample, type DescriptorPart } from './calibration-sample';
import { FaceEngine, type DetectorKind } from './face-engine';

// Worker thread of CalibrationExtractor: one FaceEngine, one photo at a time.
interface Init {
  backend?: BackendPreference;
  detector: DetectorKind;
  parts: DescriptorPart[];
}

void (async () => {
  const port = parentPort;
  if (!port) throw new Error('calibration worker must run in a worker thread');
  const init = workerData as Init;
  const engine = await FaceEngine.create({ backend: init.backend, descriptorMethod: 'faceapi' });
  port.postMessage({ type: 'ready' });
  port.on('message', (job: { id: number; file: string }) => {
    void (async () => {
      try {
        const sample = await extractImageSample(engine, await readFile(job.file), init.detector, init.parts);
        port.postMessage({ type: 'result', id: job.id, sample });
      } catch (err) {
        port.postMessage({ type: 'error', id: job.id, message: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
})();
