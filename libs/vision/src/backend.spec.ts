import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// TF state is process-global, so each preference is probed in a fresh Node process.
function probe(preference: string): { ok: boolean; name?: string; error?: string } {
  const backendJs = path.join(__dirname, 'backend.js');
  const script = `require(${JSON.stringify(backendJs)}).selectBackend(${JSON.stringify(preference)})
    .then((s) => console.log(JSON.stringify({ ok: true, name: s.name })))
    .catch((e) => console.log(JSON.stringify({ ok: false, error: e.name + ': ' + e.message })));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim().split('\n').pop() as string);
}

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

describe('selectBackend with an explicit preference', () => {
  it('wasm loads from the installed binaries', () => {
    assert.deepEqual(probe('wasm'), { ok: true, name: 'wasm' });
  });
  it('tensorflow either loads natively or fails clearly, never falling back', () => {
    const result = probe('tensorflow');
    if (installed('@tensorflow/tfjs-node')) {
      assert.deepEqual(result, { ok: true, name: 'tensorflow' });
    } else {
      assert.equal(result.ok, false);
      assert.match(result.error as string, /BackendUnavailableError: .*refusing the slow pure-JS 'cpu' backend.*Cannot find module '@tensorflow\/tfjs-node'/);
    }
  });
});
