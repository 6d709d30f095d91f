import * as path from 'node:path';
import { InvalidInputError } from '@vigil/domain';
import type * as FaceApi from '@vladmandic/face-api';
import type * as Tfjs from '@tensorflow/tfjs';

/**
 * Chooses the TensorFlow backend at run time. The native packages are optionalDependencies
 * because their install script downloads libtensorflow, which fails on offline hosts; so we probe
 * them with require() and fall back tfjs-node-gpu → tfjs-node → wasm. The pure-JS 'cpu' backend is
 * never accepted: it is 18–29x slower and would silently turn a sizing problem into an outage.
 */

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm';
export type BackendPreference = 'auto' | BackendName;

export const BACKEND_ENV_VAR = 'VIGIL_TF_BACKEND';
const PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm'];
const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm'];

export interface BackendSelection {
  name: BackendName;
  reason: string;
  tried: Array<{ name: BackendName; error: string }>;
}

export type FaceApiModule = typeof FaceApi;
export type TfModule = typeof Tfjs;

export interface TfRuntime {
  selection: BackendSelection;
  faceapi: FaceApiModule;
  tf: TfModule;
}

export class BackendUnavailableError extends Error {
  constructor(
    message: string,
    readonly tried: BackendSelection['tried'],
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** Reads VIGIL_TF_BACKEND (default 'auto') and validates it. */
export function backendPreferenceFromEnv(env: NodeJS.ProcessEnv = process.env): BackendPreference {
  const raw = (env[BACKEND_ENV_VAR] ?? 'auto').trim().toLowerCase() || 'auto';
  if (!(PREFERENCES as readonly string[]).includes(raw)) {
    throw new InvalidInputError(`${BACKEND_ENV_VAR} must be one of ${PREFERENCES.join(', ')}, got '${raw}'`);
  }
  return raw as BackendPreference;
}

function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // require() errors list the whole require stack; the first line says what is missing.
  return message.split('\n')[0];
}

// Every face-api build bundles its own tf namespace; these tell us which one we got.
const FACE_API_BUILD: Record<BackendName, { tfPackage: string; build: string; tfBackend: string }> = {
  'tensorflow-gpu': {
    tfPackage: '@tensorflow/tfjs-node-gpu',
    build: '@vladmandic/face-api/dist/face-api.node-gpu.js',
    tfBackend: 'tensorflow',
  },
  tensorflow: {
    tfPackage: '@tensorflow/tfjs-node',
    build: '@vladmandic/face-api/dist/face-api.node.js',
    tfBackend: 'tensorflow',
  },
  wasm: {
    tfPackage: '@tensorflow/tfjs-backend-wasm',
    build: '@vladmandic/face-api/dist/face-api.node-wasm.js',
    tfBackend: 'wasm',
  },
};

async function tryLoad(name: BackendName): Promise<{ faceapi: FaceApiModule; tf: TfModule }> {
  const spec = FACE_API_BUILD[name];
  // Resolve first so a missing optional package yields "Cannot find module ..." rather than a
  // half-initialised face-api build.
  require.resolve(spec.tfPackage);
  if (name === 'wasm') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- probed at run time, see above
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    // Point at the installed binaries: the default would fetch them from a CDN.
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(dir + path.sep);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- which build is decided at run time
  const faceapi = require(spec.build) as FaceApiModule;
  const tf = (faceapi as unknown as { tf: TfModule }).tf;
  if (name === 'wasm') {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('tf.setBackend("wasm") returned false');
  }
  await tf.ready();
  const active = tf.getBackend();
  if (active !== spec.tfBackend) {
    throw new Error(`expected TF backend '${spec.tfBackend}' but '${active}' is active`);
  }
  if (name === 'tensorflow-gpu') {
    // tfjs-node-gpu loads without CUDA on some hosts and then runs on the CPU; that is the
    // 'tensorflow' backend under a misleading name, so check a GPU is really there.
    if (!nativeBackendUsesGpu(tf)) throw new Error('tfjs-node-gpu loaded but no GPU device is in use');
  }
  return { faceapi, tf };
}

function nativeBackendUsesGpu(tf: TfModule): boolean {
  // tfjs-node's NodeJSKernelBackend exposes isUsingGpuDevice; without the flag, trust the GPU build.
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  return backend.isUsingGpuDevice !== false;
}

let loaded: { preference: BackendPreference; runtime: TfRuntime } | undefined;
let loading: { preference: BackendPreference; promise: Promise<TfRuntime> } | undefined;

async function load(preference: BackendPreference): Promise<TfRuntime> {
  const candidates = preference === 'auto' ? AUTO_ORDER : [preference];
  const tried: BackendSelection['tried'] = [];
  for (const name of candidates) {
    try {
      const { faceapi, tf } = await tryLoad(name);
      const reason =
        tried.length === 0
          ? preference === 'auto'
            ? `${name} is the first available backend`
            : `${BACKEND_ENV_VAR}=${preference}`
          : `${name} chosen after: ${tried.map((t) => `${t.name} unavailable (${t.error})`).join('; ')}`;
      return { selection: { name, reason, tried }, faceapi, tf };
    } catch (err) {
      tried.push({ name, error: errorText(err) });
    }
  }
  throw new BackendUnavailableError(
    `no usable TensorFlow backend (${preference}); refusing the slow pure-JS 'cpu' backend. Tried: ` +
      tried.map((t) => `${t.name}: ${t.error}`).join('; '),
    tried,
  );
}

/**
 * Loads face-api on the best available backend. TF state is process-global, so the first
 * successful call wins and later calls must ask for the same preference.
 */
export async function loadTfRuntime(preference: BackendPreference = backendPreferenceFromEnv()): Promise<TfRuntime> {
  if (loaded) {
    if (loaded.preference !== preference) {
      throw new InvalidInputError(
        `TF backend already initialised with preference '${loaded.preference}', cannot switch to '${preference}' in the same process`,
      );
    }
    return loaded.runtime;
  }
  if (loading && loading.preference !== preference) {
    throw new InvalidInputError(`TF backend is being initialised with preference '${loading.preference}'`);
  }
  if (!loading) {
    const promise = load(preference).then(
      (runtime) => {
        loaded = { preference, runtime };
        loading = undefined;
        return runtime;
      },
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    );
    loading = { preference, promise };
  }
  return loading.promise;
}

/** Which backend is used and why (including the errors of the ones skipped). */
export async function selectBackend(preference?: BackendPreference): Promise<BackendSelection> {
  return (await loadTfRuntime(preference)).selection;
}
