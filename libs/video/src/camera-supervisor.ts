import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Backoff, type BackoffOptions } from './backoff';
import { redactCredentials } from './redact-credentials';
import { resolveCameraTarget } from './camera-target';
import { terminateChild } from './child-exit';
import type { EgressOptions } from './egress-check';
import { EgressProxy } from './egress-proxy';
import { buildFfmpegArgs, DEFAULT_DECIMATION, type Decimation, type IngestPreset } from './ffmpeg-args';
import { resolveFfmpeg, type FfmpegBinary } from './ffmpeg-binary';
import { FrameReader } from './frame-reader';
import { FrozenDetector } from './frozen-detector';
import { FrameDecimator, RateMeter } from './rate-meter';
import { StderrTail } from './stderr-tail';
import { greyThumbnail, type GreyThumb } from './thumbnail';

export type CameraStatus = 'starting' | 'online' | 'stalled' | 'offline' | 'frozen';

export interface CameraStatusEvent {
  cameraId: string;
  status: CameraStatus;
  /** Unix ms of the change. */
  at: number;
  /** Measured output frame rate when online/frozen (null until a second of frames). */
  fps: number | null;
  /** Why (offline/stalled/frozen); always passed through redactCredentials. */
  reason?: string;
}

export interface CameraFrame {
  cameraId: string;
  /** Per supervisor, from 1, increasing across reconnects. */
  seq: number;
  /** Unix ms when the last byte of the frame arrived from ffmpeg. */
  at: number;
  width: number;
  height: number;
  /** rgb24, exactly width·height·3 bytes. */
  data: Buffer;
  /** 32x18 grey thumbnail (already computed for frozen detection; feed it to a MotionGate). */
  thumb: GreyThumb;
}

export interface CameraSupervisorOptions {
  cameraId: string;
  /** Camera URL (validated by the caller with validateCameraUrl); may contain credentials. */
  url: string;
  preset?: IngestPreset | 'auto';
  width?: number;
  height?: number;
  /** Output frames per second (default 5). */
  fps?: number;
  decimation?: Decimation;
  /** No frame for this long → `stalled`, ffmpeg killed and restarted (default 10). */
  stallSeconds?: number;
  /** After each ffmpeg start the watchdog waits this long before it may fire (default 5). */
  startGraceSeconds?: number;
  /** SIGTERM → SIGKILL delay when stopping ffmpeg (default 3000). */
  stopGraceMs?: number;
  /** ffmpeg's own socket timeout (default 5000). */
  socketTimeoutMs?: number;
  /** Same picture for this long while frames arrive → `frozen` (default 30). */
  frozenSeconds?: number;
  frozenEpsilon?: number;
  backoff?: BackoffOptions;
  /** Online this long without interruption → the backoff starts from its base again (default 30000). */
  stableResetMs?: number;
  /** Which ffmpeg to run (default: resolveFfmpeg(), probed once per process). */
  ffmpeg?: FfmpegBinary;
  /** Name resolution for the connect-time address check (default: the system resolver). */
  egress?: EgressOptions;
  clock?: () => number;
}

export interface CameraStats {
  cameraId: string;
  status: CameraStatus;
  since: number;
  reason?: string;
  fps: number | null;
  /** Frames emitted (or offered to listeners) since construction. */
  frames: number;
  /** ffmpeg restarts after the first start. */
  reconnects: number;
  /** Times the frame watchdog fired. */
  stalls: number;
  /**
   * Frames lost, not by design: partial frames discarded at a stream's end, plus complete
   * frames that arrived while nobody listened to `frame`. Decimation is counted apart.
   */
  drops: number;
  partialFrames: number;
  /** Frames thinned out in Node (decimation `node` only). */
  decimated: number;
  lastFrameAt: number | null;
  /** The running ffmpeg's pid, null between runs. */
  pid: number | null;
  nextRetryAt: number | null;
  /** ffmpeg's last stderr lines (redacted). */
  stderr: string[];
}

interface SupervisorEvents {
  status: [CameraStatusEvent];
  frame: [CameraFrame];
}

interface Run {
  child: ChildProcess;
  reader: FrameReader;
  startedAt: number;
  lastFrameAt: number | null;
  connectedAt: number | null;
  killedForStall: boolean;
  spawnError?: string;
  /** The checking proxy refused a request of this run (shown as the reason rather than ffmpeg's 403). */
  refusal?: string;
  closed: boolean;
}

/**
 * Keeps one camera's ffmpeg running: frames out, health in. Every ffmpeg exit is a lost stream
 * (ffmpeg exits 0 when an RTSP server goes away, and never reconnects by itself), so any exit →
 * `offline` and a restart after a jittered exponential backoff, forever, until stop().
 * Status events are emitted only on change.
 */
export class CameraSupervisor extends EventEmitter<SupervisorEvents> {
  readonly cameraId: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  private readonly opts: CameraSupervisorOptions;
  private readonly clock: () => number;
  private readonly backoff: Backoff;
  private readonly stderr = new StderrTail(20);
  private readonly rate = new RateMeter();
  private readonly frozen: FrozenDetector;
  private readonly decimator: FrameDecimator | null;
  private running = false;
  private run: Run | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private status: CameraStatus = 'offline';
  private since: number;
  private reason: string | undefined = 'not started';
  private counters = { frames: 0, reconnects: 0, stalls: 0, drops: 0, partialFrames: 0, decimated: 0 };
  private lastFrameAt: number | null = null;
  private nextRetryAt: number | null = null;
  private seq = 0;
  private launches = 0;
  /** http(s) cameras only: the loopback proxy every request of ffmpeg goes through, checked. */
  private proxy: EgressProxy | null = null;

  constructor(options: CameraSupervisorOptions) {
    super();
    this.opts = options;
    this.cameraId = options.cameraId;
    this.width = options.width ?? 640;
    this.height = options.height ?? 360;
    this.fps = options.fps ?? 5;
    this.clock = options.clock ?? Date.now;
    this.since = this.clock();
    this.backoff = new Backoff(options.backoff);
    this.frozen = new FrozenDetector({ frozenAfterMs: (options.frozenSeconds ?? 30) * 1000, epsilon: options.frozenEpsilon });
    this.decimator = (options.decimation ?? DEFAULT_DECIMATION) === 'node' ? new FrameDecimator(this.fps) : null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus('starting');
    void this.launch();
  }

  /** Stops for good (until start()): kills ffmpeg and resolves once it has exited. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextRetryAt = null;
    this.clearWatchdog();
    const run = this.run;
    if (run) await terminateChild(run.child, this.opts.stopGraceMs ?? 3000);
    await this.proxy?.close();
    this.proxy = null;
    this.setStatus('offline', 'stopped');
  }

  stats(): CameraStats {
    return {
      cameraId: this.cameraId,
      status: this.status,
      since: this.since,
      reason: this.reason,
      fps: this.status === 'online' || this.status === 'frozen' ? this.rate.fps() : null,
      ...this.counters,
      lastFrameAt: this.lastFrameAt,
      pid: this.run?.child.pid ?? null,
      nextRetryAt: this.nextRetryAt,
      stderr: this.stderr.all(),
    };
  }

  private async launch(): Promise<void> {
    let binary: FfmpegBinary;
    let args: string[];
    let proxyUrl: string | null = null;
    try {
      binary = this.opts.ffmpeg ?? (await resolveFfmpeg());
      // Checked now, at every start: the name is resolved here and ffmpeg gets the checked
      // address (rtsp) or reaches the camera through the checking proxy (http, https).
      const target = await resolveCameraTarget(this.opts.url, this.opts.egress);
      if (target.viaProxy && this.running) proxyUrl = await this.egressProxy().url();
      args = buildFfmpegArgs({
        url: target.url,
        preset: this.opts.preset,
        width: this.width,
        height: this.height,
        fps: this.fps,
        ffmpegVersion: binary.major,
        decimation: this.opts.decimation,
        socketTimeoutMs: this.opts.socketTimeoutMs,
      });
    } catch (e) {
      // A bad URL or a missing ffmpeg does not heal by retrying fast; the backoff cap applies.
      if (!this.running) return;
      this.setStatus('offline', redactCredentials(e instanceof Error ? e.message : String(e)));
      this.scheduleRestart();
      return;
    }
    if (!this.running) return;
    if (this.launches++ > 0) this.counters.reconnects++;
    this.stderr.clear();
    // Spawned directly, not through fluent-ffmpeg (which the one-shot demo encode uses): for a
    // live stream it would probe `ffmpeg -formats` before each new binary, buffer stdout unless
    // handed a stream, report a dead server (exit 0) as a normal 'end', and keep the child behind
    // its own kill logic — while the supervisor needs the exact tested argv and the raw child.
    const child = spawn(binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'], env: ffmpegEnv(proxyUrl) });
    const run: Run = {
      child,
      reader: new FrameReader(this.width, this.height, (data, at) => this.onFrame(run, data, at), this.clock),
      startedAt: this.clock(),
      lastFrameAt: null,
      connectedAt: null,
      killedForStall: false,
      closed: false,
    };
    this.run = run;
    child.stdout!.on('data', (chunk: Buffer) => run.reader.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    // Stream errors would otherwise be thrown; the exit that follows is what we act on.
    child.stdout!.on('error', () => undefined);
    child.stderr!.on('error', () => undefined);
    child.on('error', (err) => {
      run.spawnError = redactCredentials(`cannot run ffmpeg: ${err.message}`);
      if (child.pid === undefined) this.onClosed(run, null, null);
    });
    child.on('close', (code, signal) => this.onClosed(run, code, signal));
    this.armWatchdog();
  }

  private egressProxy(): EgressProxy {
    this.proxy ??= new EgressProxy({
      ...this.opts.egress,
      onRefused: (reason) => {
        if (this.run) this.run.refusal ??= reason;
      },
    });
    return this.proxy;
  }

  private onFrame(run: Run, data: Buffer, at: number): void {
    if (run !== this.run) return;
    run.lastFrameAt = at;
    if (this.decimator && !this.decimator.keep(at)) {
      this.counters.decimated++;
      return;
    }
    run.connectedAt ??= at;
    this.counters.frames++;
    this.lastFrameAt = at;
    this.rate.add(at);
    const thumb = greyThumbnail(data, this.width, this.height);
    if (this.frozen.update(thumb, at)) {
      this.setStatus('frozen', `picture unchanged for ${this.opts.frozenSeconds ?? 30} s while frames arrive`);
    } else {
      this.setStatus('online');
    }
    if (at - run.connectedAt >= (this.opts.stableResetMs ?? 30_000)) this.backoff.reset();
    const frame: CameraFrame = { cameraId: this.cameraId, seq: ++this.seq, at, width: this.width, height: this.height, data, thumb };
    if (this.listenerCount('frame') === 0) this.counters.drops++;
    else this.emit('frame', frame);
  }

  private onClosed(run: Run, code: number | null, signal: NodeJS.Signals | null): void {
    if (run.closed) return;
    run.closed = true;
    const before = run.reader.partialFrames;
    run.reader.end();
    this.counters.partialFrames += run.reader.partialFrames - before;
    this.counters.drops += run.reader.partialFrames - before;
    this.stderr.flush();
    if (this.run === run) {
      this.run = null;
      this.clearWatchdog();
      this.rate.reset();
      this.frozen.reset();
      this.decimator?.reset();
    }
    if (!this.running) return;
    if (!run.killedForStall) {
      const exit = signal ? `ffmpeg killed by ${signal}` : `ffmpeg exited with code ${code}`;
      const why = run.refusal ?? this.stderr.last() ?? run.spawnError ?? (code === 0 ? `stream ended (${exit})` : exit);
      this.setStatus('offline', why);
    }
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (!this.running || this.retryTimer) return;
    const delay = this.backoff.next();
    this.nextRetryAt = this.clock() + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.nextRetryAt = null;
      void this.launch();
    }, delay);
  }

  private armWatchdog(): void {
    this.clearWatchdog();
    const stallMs = (this.opts.stallSeconds ?? 10) * 1000;
    const graceMs = (this.opts.startGraceSeconds ?? 5) * 1000;
    this.watchdog = setInterval(() => {
      const run = this.run;
      if (!run || run.killedForStall || !this.running) return;
      const now = this.clock();
      if (now - run.startedAt < graceMs) return;
      if (now - (run.lastFrameAt ?? run.startedAt) < stallMs) return;
      run.killedForStall = true;
      this.counters.stalls++;
      this.setStatus('stalled', `no frame for ${Math.round((now - (run.lastFrameAt ?? run.startedAt)) / 1000)} s`);
      void terminateChild(run.child, this.opts.stopGraceMs ?? 3000);
    }, Math.min(1000, Math.max(50, stallMs / 4)));
    this.watchdog.unref();
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private setStatus(status: CameraStatus, reason?: string): void {
    if (status === this.status) return;
    this.status = status;
    this.since = this.clock();
    this.reason = reason === undefined ? undefined : redactCredentials(reason);
    const fps = status === 'online' || status === 'frozen' ? this.rate.fps() : null;
    this.emit('status', { cameraId: this.cameraId, status, at: this.since, fps, ...(this.reason ? { reason: this.reason } : {}) });
  }
}

/**
 * ffmpeg's environment: the operator's, without proxy settings (ffmpeg must not bypass the
 * checking proxy for names in `no_proxy`), plus `http_proxy` for http(s) cameras.
 */
function ffmpegEnv(proxyUrl: string | null): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(no|http|https|all)_proxy$/i.test(name)) delete env[name];
  }
  if (proxyUrl) env.http_proxy = proxyUrl;
  return env;
}
