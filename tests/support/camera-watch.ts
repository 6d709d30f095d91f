import { readdirSync, readFileSync } from 'node:fs';
import type { CameraFrame, CameraStatus, CameraStatusEvent, CameraSupervisor } from '@vigil/video';

/** Records a supervisor's status events and frames, and waits for a status to appear. */
export class CameraWatch {
  readonly events: CameraStatusEvent[] = [];
  readonly frames: Array<Omit<CameraFrame, 'data' | 'thumb'> & { bytes: number }> = [];

  constructor(readonly camera: CameraSupervisor) {
    camera.on('status', (e) => this.events.push(e));
    camera.on('frame', (f) => this.frames.push({ cameraId: f.cameraId, seq: f.seq, at: f.at, width: f.width, height: f.height, bytes: f.data.length }));
  }

  statuses(fromIndex = 0): CameraStatus[] {
    return this.events.slice(fromIndex).map((e) => e.status);
  }

  /** Resolves with the first event at or after `fromIndex` whose status is one of `wanted`. */
  async waitFor(wanted: CameraStatus | CameraStatus[], timeoutMs: number, fromIndex = 0): Promise<CameraStatusEvent> {
    const list = Array.isArray(wanted) ? wanted : [wanted];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(fromIndex).find((e) => list.includes(e.status));
      if (hit) return hit;
      if (Date.now() > deadline) {
        throw new Error(`no ${list.join('/')} within ${timeoutMs} ms; events: ${JSON.stringify(this.events.slice(fromIndex))}; stderr: ${JSON.stringify(this.camera.stats().stderr)}`);
      }
      await sleep(25);
    }
  }

  async waitForFrames(count: number, timeoutMs: number): Promise<void> {
    const target = this.frames.length + count;
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < target) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} frames in ${timeoutMs} ms; events: ${JSON.stringify(this.events)}`);
      await sleep(25);
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Direct children of a process (this one by default): pid, command name and state (Z = zombie). */
export function childProcesses(parent = process.pid): Array<{ pid: number; comm: string; state: string }> {
  const out: Array<{ pid: number; comm: string; state: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm may contain spaces or parentheses: the fields after the last ')' are fixed.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const [state, ppid] = stat.slice(close + 2).split(' ');
      if (Number(ppid) === parent) out.push({ pid: Number(entry), comm, state: state! });
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}

export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}
