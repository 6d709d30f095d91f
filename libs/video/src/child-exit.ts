import type { ChildProcess } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the child has exited (at once if it already has). */
export function childExited(child: ChildProcess): Promise<ChildExit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * SIGTERM, then SIGKILL after graceMs; resolves only once the process has exited (Node reaps
 * it, so no zombie is left). Safe to call on a child that already exited or never started.
 */
export async function terminateChild(child: ChildProcess, graceMs: number): Promise<ChildExit> {
  const exited = childExited(child);
  if (child.pid === undefined) return { code: null, signal: null }; // spawn failed: nothing runs
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }
  return exited;
}
