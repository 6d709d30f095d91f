import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InvalidInputError } from '@vigil/domain';
import type { BackendSelection } from './backend';
import { PriorityDropQueue, type QueueLane } from './priority-drop-queue';
import type { DecodeOptions } from './image-decoder';
import type { DetectedFace, DetectOptions, FaceEngineOptions } from './face-engine';
import {
  deserializeError,
  type JobInput,
  type JobRequest,
  type WorkerInit,
  type WorkerMessage,
} from './inference-protocol';
import { assertRgbFrame, type RgbFrame } from './rgb-frame';

export interface InferencePoolOptions {
  /** Worker threads, each with its own engine (~460 MB RSS on wasm). Default os.availableParallelism(). */
  workers?: number;
  /**
   * Pending jobs kept while all workers are busy. Beyond this the oldest normal job is dropped (an
   * urgent one only to make room for another urgent one); see PriorityDropQueue. Default 2 × workers.
   */
  queueSize?: number;
  /**
   * Pending kiosk images (detectImage with lane 'kiosk') kept while all workers are busy, in their
   * own FIFO: a kiosk job never takes a camera frame's place, and one arriving when this lane is
   * full is refused at once (PoolJobError 'busy') rather than queued without bound. Default 2 × workers.
   */
  kioskQueueSize?: number;
  /**
   * Pending background jobs (lane 'background': scans of uploaded footage) kept while all workers
   * are busy. They are served only when no camera frame and no kiosk image waits, and one arriving
   * when this lane is full is refused at once (PoolJobError 'busy'). Default 2 × workers.
   */
  backgroundQueueSize?: number;
  /** A job running longer than this fails and its worker is replaced. Default 30 000 ms. */
  jobTimeoutMs?: number;
  engine?: FaceEngineOptions;
  decode?: DecodeOptions;
  /** Worker entry script; tests substitute one with fault hooks. Default: the compiled inference.worker.js. */
  workerScript?: string;
  /**
   * Move (transfer) frame buffers to the worker instead of copying. The caller's Buffer is then
   * detached (length 0). Default true: frames are large and used once.
   */
  transferFrames?: boolean;
}

export interface PoolStats {
  /** Camera frames (and other non-kiosk jobs) waiting. */
  queued: number;
  /** Kiosk images waiting in their own lane. */
  kioskQueued: number;
  /** Background jobs (scans) waiting in the lowest lane. */
  backgroundQueued: number;
  inFlight: number;
  processed: number;
  /** Jobs evicted from (or refused by) the full camera queue. */
  dropped: number;
  /** Kiosk images (and background jobs) refused because their lane was full. */
  refused: number;
  timeouts: number;
  crashes: number;
  workers: number;
}

export class PoolJobError extends Error {
  constructor(
    message: string,
    /** dropped: evicted from the full camera queue; busy: refused by the full kiosk lane. */
    readonly reason: 'dropped' | 'busy' | 'timeout' | 'crashed' | 'closed',
  ) {
    super(message);
    this.name = 'PoolJobError';
  }
}

/**
 * Per-job scheduling: `urgent` jobs (a frame continuing an open face track) are served first;
 * `background` jobs (a scan of uploaded footage) only when nothing else waits, so a scan slows
 * down under camera load instead of taking frames' places.
 */
export interface JobScheduling {
  lane?: QueueLane | 'background';
}

/**
 * Lane of an encoded image: `kiosk` (a person waits at a kiosk) has its own bounded FIFO; `normal`
 * (enrolment, re-embedding) shares the camera queue's normal lane.
 */
export interface ImageScheduling {
  lane?: 'kiosk' | 'normal';
}

interface Job {
  id: number;
  input: JobInput;
  options: DetectOptions;
  resolve(faces: DetectedFace[]): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

const MAX_CONSECUTIVE_START_FAILURES = 3;

/**
 * Fixed-size pool of inference worker threads with a bounded two-lane drop-oldest queue for camera
 * frames (urgent jobs first), a separate bounded refuse-when-full lane for kiosk images, per-job
 * timeouts and automatic replacement of crashed or hung workers.
 *
 * Kiosk lane vs camera queue: the two never evict each other's jobs. While both have work waiting,
 * a free worker alternates between them, so a kiosk flood gets at most every other turn and cannot
 * starve the cameras, and a busy camera site still answers the person at the kiosk.
 */
export class InferencePool {
  private readonly slots = new Set<Slot>();
  private readonly queue: PriorityDropQueue<Job>;
  private readonly kioskQueue: Job[] = [];
  private readonly kioskCapacity: number;
  private readonly backgroundQueue: Job[] = [];
  private readonly backgroundCapacity: number;
  /** The previous dispatch served the kiosk lane (for alternating while both lanes wait). */
  private lastWasKiosk = false;
  private readonly counters = { processed: 0, dropped: 0, refused: 0, timeouts: 0, crashes: 0 };
  private readonly init: WorkerInit;
  private readonly script: string;
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly transfer: boolean;
  private nextId = 1;
  private closed = false;
  private startFailures = 0;
  private backendSelection?: BackendSelection;

  private constructor(options: InferencePoolOptions) {
    this.size = options.workers ?? os.availableParallelism();
    if (!Number.isInteger(this.size) || this.size < 1 || this.size > 64) {
      throw new InvalidInputError('workers must be an integer between 1 and 64');
    }
    const queueSize = options.queueSize ?? 2 * this.size;
    if (!Number.isInteger(queueSize) || queueSize < 1) throw new InvalidInputError('queueSize must be a positive integer');
    this.kioskCapacity = options.kioskQueueSize ?? 2 * this.size;
    if (!Number.isInteger(this.kioskCapacity) || this.kioskCapacity < 1) throw new InvalidInputError('kioskQueueSize must be a positive integer');
    this.backgroundCapacity = options.backgroundQueueSize ?? 2 * this.size;
    if (!Number.isInteger(this.backgroundCapacity) || this.backgroundCapacity < 1) throw new InvalidInputError('backgroundQueueSize must be a positive integer');
    this.timeoutMs = options.jobTimeoutMs ?? 30_000;
    if (!(this.timeoutMs > 0)) throw new InvalidInputError('jobTimeoutMs must be positive');
    this.queue = new PriorityDropQueue<Job>(queueSize);
    this.init = { engine: options.engine ?? {}, decode: options.decode ?? {} };
    this.script = options.workerScript ?? path.join(__dirname, 'inference.worker.js');
    this.transfer = options.transferFrames ?? true;
  }

  /** Starts all workers and resolves once every engine has loaded its models and warmed up. */
  static async create(options: InferencePoolOptions = {}): Promise<InferencePool> {
    const pool = new InferencePool(options);
    try {
      await Promise.all(Array.from({ length: pool.size }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Backend the workers run on (as reported by the first worker). */
  get backend(): BackendSelection | undefined {
    return this.backendSelection;
  }

  /** Detects faces in a raw RGB frame on a worker. See transferFrames for buffer ownership. */
  detect(frame: RgbFrame, options: DetectOptions = {}, scheduling: JobScheduling = {}): Promise<DetectedFace[]> {
    try {
      assertRgbFrame(frame);
    } catch (err) {
      return Promise.reject(err);
    }
    const input: JobInput = { kind: 'frame', width: frame.width, height: frame.height, data: frame.data };
    if (scheduling.lane === 'background') return this.submitBounded(input, options, this.backgroundQueue, this.backgroundCapacity, 'background jobs');
    return this.submit(input, options, scheduling.lane ?? 'normal');
  }

  /**
   * Decodes an encoded JPEG/PNG/WebP on a worker and detects faces in it. With lane 'kiosk' the
   * job waits in the kiosk lane, or is refused at once (PoolJobError 'busy') when that lane is full.
   */
  detectImage(encoded: Uint8Array, options: DetectOptions = {}, scheduling: ImageScheduling = {}): Promise<DetectedFace[]> {
    const input: JobInput = { kind: 'encoded', data: encoded };
    return scheduling.lane === 'kiosk' ? this.submitBounded(input, options, this.kioskQueue, this.kioskCapacity, 'kiosk images') : this.submit(input, options, 'normal');
  }

  stats(): PoolStats {
    let inFlight = 0;
    let workers = 0;
    for (const s of this.slots) {
      if (s.job) inFlight++;
      if (s.ready) workers++;
    }
    return { queued: this.queue.length, kioskQueued: this.kioskQueue.length, backgroundQueued: this.backgroundQueue.length, inFlight, ...this.counters, workers };
  }

  /** Rejects queued and in-flight jobs and terminates every worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.drainAll()) job.reject(new PoolJobError('inference pool closed', 'closed'));
    const exits: Promise<number>[] = [];
    for (const slot of this.slots) {
      this.clearSlot(slot)?.reject(new PoolJobError('inference pool closed', 'closed'));
      exits.push(slot.worker.terminate());
    }
    this.slots.clear();
    await Promise.allSettled(exits);
  }

  private submit(input: JobInput, options: DetectOptions, lane: QueueLane): Promise<DetectedFace[]> {
    if (this.closed) return Promise.reject(new PoolJobError('inference pool closed', 'closed'));
    return new Promise<DetectedFace[]>((resolve, reject) => {
      const job: Job = { id: this.nextId++, input, options, resolve, reject };
      const evicted = this.queue.push(job, lane);
      if (evicted) {
        this.counters.dropped++;
        const why = evicted === job ? 'the queue is full of urgent jobs' : 'queue full, a newer job replaced it';
        evicted.reject(new PoolJobError(`inference job dropped: ${why}`, 'dropped'));
      }
      this.pump();
    });
  }

  /** A refuse-when-full FIFO lane (kiosk images, background jobs). */
  private submitBounded(input: JobInput, options: DetectOptions, lane: Job[], capacity: number, what: string): Promise<DetectedFace[]> {
    if (this.closed) return Promise.reject(new PoolJobError('inference pool closed', 'closed'));
    if (lane.length >= capacity) {
      this.counters.refused++;
      return Promise.reject(new PoolJobError(`inference busy: ${capacity} ${what} are already waiting`, 'busy'));
    }
    return new Promise<DetectedFace[]>((resolve, reject) => {
      lane.push({ id: this.nextId++, input, options, resolve, reject });
      this.pump();
    });
  }

  private get pending(): number {
    return this.queue.length + this.kioskQueue.length + this.backgroundQueue.length;
  }

  /** The next job for a free worker: the camera and kiosk lanes take turns while both wait; background jobs only when neither does. */
  private next(): Job | undefined {
    if (this.queue.length === 0 && this.kioskQueue.length === 0) return this.backgroundQueue.shift();
    const kioskWaiting = this.kioskQueue.length > 0;
    if (kioskWaiting && (this.queue.length === 0 || !this.lastWasKiosk)) {
      this.lastWasKiosk = true;
      return this.kioskQueue.shift();
    }
    this.lastWasKiosk = false;
    return this.queue.shift();
  }

  private drainAll(): Job[] {
    return [...this.queue.drain(), ...this.kioskQueue.splice(0), ...this.backgroundQueue.splice(0)];
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.pending === 0) return;
      if (slot.ready && !slot.job) this.dispatch(slot, this.next() as Job);
    }
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.timer = setTimeout(() => this.onTimeout(slot), this.timeoutMs);
    const request: JobRequest = { type: 'job', id: job.id, input: job.input, options: job.options };
    slot.worker.postMessage(request, this.transferList(job.input));
  }

  private transferList(input: JobInput): ArrayBuffer[] {
    if (!this.transfer) return [];
    const { buffer, byteOffset, byteLength } = input.data;
    // Only buffers that own their whole ArrayBuffer can move; Buffer.from pool slices and
    // SharedArrayBuffers are copied by structured clone instead.
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return [buffer];
    return [];
  }

  private clearSlot(slot: Slot): Job | undefined {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  }

  private onTimeout(slot: Slot): void {
    const job = this.clearSlot(slot);
    this.counters.timeouts++;
    job?.reject(new PoolJobError(`inference job timed out after ${this.timeoutMs} ms`, 'timeout'));
    // A wasm inference cannot be interrupted: replace the worker so capacity comes back.
    this.retire(slot);
  }

  private retire(slot: Slot): void {
    if (!this.slots.delete(slot)) return;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined); // errors while terminating are expected
    void slot.worker.terminate();
    this.replace();
  }

  /** Starts a substitute worker, retrying with back-off until start-up fails too often. */
  private replace(): void {
    if (this.closed) return;
    this.spawn().catch(() => {
      if (this.closed || this.startFailures >= MAX_CONSECUTIVE_START_FAILURES) return;
      setTimeout(() => this.replace(), 1000 * this.startFailures).unref();
    });
  }

  private onWorkerGone(slot: Slot, why: string): void {
    if (!this.slots.has(slot)) return;
    if (slot.ready) this.counters.crashes++;
    const job = this.clearSlot(slot);
    job?.reject(new PoolJobError(`inference worker crashed (${why}) while processing the job`, 'crashed'));
    this.retire(slot);
  }

  private spawn(): Promise<void> {
    if (this.startFailures >= MAX_CONSECUTIVE_START_FAILURES) {
      const err = new Error(`inference workers failed to start ${this.startFailures} times in a row; not retrying`);
      for (const job of this.drainAll()) job.reject(err);
      return Promise.reject(err);
    }
    return new Promise<void>((resolve, reject) => {
      const worker = new Worker(this.script, { workerData: this.init });
      const slot: Slot = { worker, ready: false };
      this.slots.add(slot);
      worker.on('message', (msg: WorkerMessage) => {
        switch (msg.type) {
          case 'ready':
            slot.ready = true;
            this.startFailures = 0;
            this.backendSelection ??= msg.backend;
            resolve();
            this.pump();
            break;
          case 'init-failed':
            this.startFailures++;
            this.slots.delete(slot);
            void worker.terminate();
            reject(deserializeError(msg.error));
            break;
          case 'result':
          case 'error': {
            if (slot.job?.id !== msg.id) return; // answer to a job that already timed out
            const job = this.clearSlot(slot) as Job;
            this.counters.processed++;
            if (msg.type === 'result') job.resolve(msg.faces);
            else job.reject(deserializeError(msg.error));
            this.pump();
            break;
          }
        }
      });
      worker.on('error', (err) => {
        if (!slot.ready) {
          this.startFailures++;
          this.slots.delete(slot);
          reject(err);
          return;
        }
        this.onWorkerGone(slot, `error: ${err.message}`);
      });
      worker.on('exit', (code) => {
        if (!slot.ready) {
          if (this.slots.delete(slot)) {
            this.startFailures++;
            reject(new Error(`inference worker exited with code ${code} during start-up`));
          }
          return;
        }
        this.onWorkerGone(slot, `exit code ${code}`);
      });
    });
  }
}
