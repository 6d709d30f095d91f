import { runInferenceWorker } from '../inference-worker-main';
import { CRASH_MARKER, HANG_MARKER } from './fault-markers';

/**
 * Inference worker with fault injection, for pool tests only. A 2x2 frame whose first byte is
 * CRASH_MARKER (fault-markers.ts) makes the thread exit mid-job; HANG_MARKER makes it spin past any job timeout.
 */

void runInferenceWorker({
  beforeJob(job) {
    const input = job.input;
    if (input.kind !== 'frame' || input.width !== 2 || input.height !== 2) return;
    if (input.data[0] === CRASH_MARKER) process.exit(3);
    if (input.data[0] === HANG_MARKER) {
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        // spin: simulates an inference that never returns
      }
    }
  },
});
