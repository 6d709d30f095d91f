import fs from 'node:fs';

/**
 * Who a process is, beyond its pid: a pid is reused (after a reboot, or once the kernel wraps
 * around), but a pid together with the process's start time (clock ticks since boot, field 22 of
 * /proc/<pid>/stat) and the boot it started in (/proc/sys/kernel/random/boot_id) names exactly
 * one process ever. Where /proc is missing (not Linux) both are null and only the pid is known.
 */
export interface ProcessIdentity {
  pid: number;
  startTime: string | null;
  bootId: string | null;
}

/** What /proc says about a live process: its state letter ('R', 'S', 'Z' zombie, …) and start time. */
export interface ProcessStat {
  state: string;
  startTime: string;
}

/** null when the process does not exist (or /proc cannot tell). */
export function readProcessStat(pid: number, proc = '/proc'): ProcessStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`${proc}/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return parseProcessStat(text);
}

/**
 * Parses /proc/<pid>/stat: "pid (comm) state ppid … starttime …". The command name may itself
 * contain spaces and parentheses, so fields are counted after the last ')'.
 */
export function parseProcessStat(text: string): ProcessStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
  const state = fields[0];
  const startTime = fields[19];
  if (!state || !startTime || !/^\d+$/.test(startTime)) return null;
  return { state, startTime };
}

export function currentBootId(file = '/proc/sys/kernel/random/boot_id'): string | null {
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    return id.length > 0 ? id : null;
  } catch {
    return null;
  }
}

export function ownIdentity(): ProcessIdentity {
  return { pid: process.pid, startTime: readProcessStat(process.pid)?.startTime ?? null, bootId: currentBootId() };
}

/** The lock file's text: one line each for pid, start time and boot id (older files hold the pid only). */
export function formatIdentity(id: ProcessIdentity): string {
  return `${id.pid}\n${id.startTime ?? ''}\n${id.bootId ?? ''}\n`;
}

export function parseIdentity(text: string): ProcessIdentity | null {
  const [pidLine, startLine, bootLine] = text.split('\n').map((l) => l.trim());
  if (!pidLine || !/^\d+$/.test(pidLine)) return null;
  const pid = Number(pidLine);
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return { pid, startTime: startLine || null, bootId: bootLine || null };
}

/**
 * Whether the process a lock file names still runs. It does not when: its boot id is not this
 * boot's (the machine restarted since, so the pid may now be anybody's); no process has its pid;
 * the process with its pid is a zombie or dead (killed, not yet reaped by its parent: it holds
 * no files any more); or that process started at another time (the pid was reused). A holder
 * recorded without start time or boot id (an older Vigil, or no /proc) is judged by what is known.
 */
export function holderIsRunning(holder: ProcessIdentity, env: { bootId: string | null; stat: (pid: number) => ProcessStat | null; pidExists: (pid: number) => boolean }): boolean {
  if (holder.bootId && env.bootId && holder.bootId !== env.bootId) return false;
  const stat = env.stat(holder.pid);
  if (stat) {
    if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return false;
    return !holder.startTime || holder.startTime === stat.startTime;
  }
  return env.pidExists(holder.pid);
}

export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
