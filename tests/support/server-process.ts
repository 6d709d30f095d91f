import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const MAIN = path.resolve(__dirname, '../../apps/server/src/main.js');

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the banner's URL once the server listens. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the real server entry point (`node dist/apps/server/src/main.js`) as `npm start` does. */
export function spawnServer(env: NodeJS.ProcessEnv): ServerProcess {
  const base = { ...process.env };
  delete base.DATABASE_URL; // these tests are about the embedded default
  const child = spawn(process.execPath, [MAIN], {
    env: { ...base, PORT: '0', VIGIL_HOST: '127.0.0.1', LOG_LEVEL: 'warn', VIGIL_INFERENCE_WORKERS: '1', VIGIL_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /running at (http:\/\/\S+) /.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`server exited (code ${code}) before listening:\n${out}`)));
  });
  ready.catch(() => undefined);
  return { child, output: () => out, ready, exited };
}
