import { runInferenceWorker } from './inference-worker-main';

// Entry point spawned by InferencePool (path.join(__dirname, 'inference.worker.js') in dist).
void runInferenceWorker();
