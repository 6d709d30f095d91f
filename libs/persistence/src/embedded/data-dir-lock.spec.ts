import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock';
import { currentBootId, holderIsRunning, parseProcessStat, readProcessStat, type ProcessIdentity, type ProcessStat } from './process-identity';

const hasProc = currentBootId() !== null && readProcessStat(process.pid) !== null;
const children: ChildProcess[] = [];
const dirs: string[] = [];

after(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function lockDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-lock-'));
  dirs.push(dir);
  return dir;
}

/** A live process that is not Vigil: `sleep`, killed when the file's tests end. */
async function sleeper(): Promise<number> {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  children.push(child);
  await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  return child.pid!;
}

/**
 * A zombie: `sh` starts `true` in the background, prints its pid and becomes `sleep`, which never
 * waits for children, so the exited `true` stays unreaped (state Z) while the sleep runs.
 */
async function zombie(): Promise<number> {
  const child = spawn('sh', ['-c', 'sh -c "exit 0" & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  const pid = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('error', reject);
  });
  for (let i = 0; i < 400 && readProcessStat(pid)?.state !== 'Z'; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(readProcessStat(pid)?.state, 'Z', 'the child became a zombie');
  return pid;
}

const writeLock = (dir: string, content: string) => writeFileSync(path.join(dir, 'vigil.lock'), content);
const lockText = (id: { pid: number; startTime?: string | null; bootId?: string | null }) => `${id.pid}\n${id.startTime ?? ''}\n${id.bootId ?? ''}\n`;

function takesOver(dir: string): void {
  const lock = acquireDataDirLock(dir);
  try {
    assert.equal(readFileSync(lock.path, 'utf8').split('\n')[0], String(process.pid), 'the lock now names this process');
  } finally {
    lock.release();
  }
}

describe('parseProcessStat', () => {
  const cases: Array<[string, string, ProcessStat | null]> = [
    ['a plain command', '4242 (node) S 1 4242 4242 0 -1 4194560 1 0 0 0 3 1 0 0 20 0 11 0 987654 1024 1', { state: 'S', startTime: '987654' }],
    ['a name with spaces and parentheses', '77 (we (ird) x) Z 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5555 0 0', { state: 'Z', startTime: '5555' }],
    ['no closing parenthesis', '77 (broken', null],
    ['too few fields', '77 (short) R 1 2 3', null],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.deepEqual(parseProcessStat(text), expected));
});

describe('holderIsRunning', () => {
  const boot = 'boot-a';
  const live: ProcessStat = { state: 'S', startTime: '1000' };
  const judge = (holder: Omit<ProcessIdentity, 'pid'>, stat: ProcessStat | null, opts: { bootId?: string | null; exists?: boolean } = {}) =>
    holderIsRunning({ pid: 42, ...holder }, { bootId: opts.bootId === undefined ? boot : opts.bootId, stat: () => stat, pidExists: () => opts.exists ?? stat !== null });
  const cases: Array<[string, boolean, () => boolean]> = [
    ['same pid, start time and boot: running', true, () => judge({ startTime: '1000', bootId: boot }, live)],
    ['pid gone', false, () => judge({ startTime: '1000', bootId: boot }, null)],
    ['pid reused by a process started at another time', false, () => judge({ startTime: '999', bootId: boot }, live)],
    ['written in another boot', false, () => judge({ startTime: '1000', bootId: 'boot-b' }, live)],
    ['holder killed, not yet reaped (zombie)', false, () => judge({ startTime: '1000', bootId: boot }, { state: 'Z', startTime: '1000' })],
    ['holder dead (X)', false, () => judge({ startTime: '1000', bootId: boot }, { state: 'X', startTime: '1000' })],
    ['an older lock file (pid only), pid running', true, () => judge({ startTime: null, bootId: null }, live)],
    ['an older lock file (pid only), pid a zombie', false, () => judge({ startTime: null, bootId: null }, { state: 'Z', startTime: '1000' })],
    ['no /proc: judged by the pid alone (exists)', true, () => judge({ startTime: null, bootId: null }, null, { bootId: null, exists: true })],
    ['no /proc: judged by the pid alone (gone)', false, () => judge({ startTime: null, bootId: null }, null, { bootId: null, exists: false })],
  ];
  for (const [name, expected, run] of cases) it(name, () => assert.equal(run(), expected));
});

describe('acquireDataDirLock', { skip: hasProc ? false : 'needs Linux /proc' }, () => {
  it('refuses while the holder named by the lock still runs, naming its pid', async () => {
    const pid = await sleeper();
    const dir = lockDir();
    writeLock(dir, lockText({ pid, startTime: readProcessStat(pid)!.startTime, bootId: currentBootId() }));
    assert.throws(() => acquireDataDirLock(dir), (e: unknown) => e instanceof DataDirLockedError && e.holderPid === pid && /Another Vigil process \(pid \d+\)/.test(e.message));
    assert.ok(existsSync(path.join(dir, 'vigil.lock')), 'the live lock is left in place');
  });

  it('refuses an older lock file (pid only) whose pid runs', async () => {
    const pid = await sleeper();
    const dir = lockDir();
    writeLock(dir, `${pid}\n`);
    assert.throws(() => acquireDataDirLock(dir), DataDirLockedError);
  });

  it('takes over a lock whose pid now belongs to a process started at another time (pid reused)', async () => {
    const pid = await sleeper();
    const dir = lockDir();
    const started = readProcessStat(pid)!.startTime;
    writeLock(dir, lockText({ pid, startTime: String(Number(started) - 1), bootId: currentBootId() }));
    takesOver(dir);
  });

  it('takes over a lock written in another boot, even though its pid runs now', async () => {
    const pid = await sleeper();
    const dir = lockDir();
    writeLock(dir, lockText({ pid, startTime: readProcessStat(pid)!.startTime, bootId: '00000000-0000-4000-8000-000000000000' }));
    takesOver(dir);
  });

  it('takes over a lock whose holder was killed and is not yet reaped (a zombie)', async () => {
    const pid = await zombie();
    const dir = lockDir();
    writeLock(dir, lockText({ pid, startTime: readProcessStat(pid)!.startTime, bootId: currentBootId() }));
    takesOver(dir);
  });

  it('records pid, start time and boot id, and removes the file on release', () => {
    const dir = lockDir();
    const lock = acquireDataDirLock(dir);
    try {
      const [pid, startTime, bootId] = readFileSync(lock.path, 'utf8').split('\n');
      assert.deepEqual([pid, startTime, bootId], [String(process.pid), readProcessStat(process.pid)!.startTime, currentBootId()]);
    } finally {
      lock.release();
    }
    assert.equal(existsSync(path.join(dir, 'vigil.lock')), false, 'released');
  });

  it('release leaves a lock that another process has taken since', async () => {
    const dir = lockDir();
    const lock = acquireDataDirLock(dir);
    const pid = await sleeper();
    const other = lockText({ pid, startTime: readProcessStat(pid)!.startTime, bootId: currentBootId() });
    writeLock(dir, other);
    lock.release();
    assert.equal(readFileSync(path.join(dir, 'vigil.lock'), 'utf8'), other);
  });
});
