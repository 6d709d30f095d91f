import { parentPort, workerData } from 'node:worker_threads';
import { FaceEngine } from './face-engine';
import { serializeError, type JobRequest, type WorkerInit, type WorkerMessage } from './inference-protocol';

export interface WorkerHooks {
  /** Called before each job; test workers use it to simulate crashes and hangs. */
  beforeJob?(job: JobRequest): void;
}

/** Body of an inference worker thread: one FaceEngine, jobs processed one at a time. */
export async function runInferenceWorker(hooks: WorkerHooks = {}): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runInferenceWorker must run inside a worker thread');
  const post = (msg: WorkerMessage): void => port.postMessage(msg);
  const init = workerData as WorkerInit;
  let engine: FaceEngine;
  try {
    engine = await FaceEngine.create(init.engine, init.decode);
  } catch (err) {
    post({ type: 'init-failed', error: serializeError(err) });
    return;
  }
  post({ type: 'ready', backend: engine.backend, numTensors: engine.numTensors() });

  // The pool sends at most one job at a time per worker, so no local queue is needed.
  port.on('message', (job: JobRequest) => {
    void (async () => {
      try {
        hooks.beforeJob?.(job);
        const input = job.input;
        const faces =
          input.kind === 'frame'
            ? await engine.detect({ width: input.width, height: input.height, data: input.data }, job.options)
            : await engine.detectImage(input.data, job.options);
        post({ type: 'result', id: job.id, faces });
      } catch (err) {
        post({ type: 'error', id: job.id, error: serializeError(err) });
      }
    })();
  });
}
