// @engine-independent: the inference backend reported in health; no SQL of its own
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TestServer } from '../support/test-server';

let t: TestServer;

describe('a worker process reports its inference backend in health', { timeout: 180_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_ROLES: 'api,worker', VIGIL_INFERENCE_WORKERS: '1', VIGIL_TF_BACKEND: 'auto' });
  });
  after(async () => t?.stop());

  it('goes from starting to ready on the wasm backend here, saying why', async () => {
    const first = await t.api('GET', '/api/health');
    assert.equal(first.status, 200);
    assert.ok(['starting', 'ready'].includes(first.body.inference.status));
    let body = first.body;
    for (let i = 0; i < 240 && body.inference.status === 'starting'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      body = (await t.api('GET', '/api/health')).body;
    }
    assert.equal(body.inference.status, 'ready', JSON.stringify(body.inference));
    assert.equal(body.status, 'ok');
    assert.deepEqual(body.roles, ['api', 'worker']);
    // No GPU or native TensorFlow can be installed on these machines: auto falls through to wasm
    // and says why. Where tfjs-node-gpu is installed with a GPU, this reports tensorflow-gpu.
    assert.equal(body.inference.backend, 'wasm');
    assert.match(body.inference.reason, /tensorflow-gpu unavailable/);
    assert.equal(body.inference.workers, 1);
    assert.equal(body.inference.stats.crashes, 0);
  });
});
