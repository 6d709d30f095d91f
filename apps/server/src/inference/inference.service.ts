import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { InferencePool, type BackendSelection, type PoolStats } from '@vigil/vision';
import { Gauge } from 'prom-client';
import { VIGIL_CONFIG } from '../core/core.module';
import { Metrics } from '../metrics/metrics';

export interface InferenceHealth {
  status: 'idle' | 'starting' | 'ready' | 'failed';
  backend: BackendSelection['name'] | null;
  reason: string | null;
  workers: number;
  stats: PoolStats | null;
  error?: string;
}

/**
 * Owns the process's inference pool. A worker loads and warms the models in the background at
 * boot (the HTTP side answers meanwhile; health says `starting`); an api-only process starts the
 * pool on first use (an enrolment upload), so a pure API node costs no model memory until then.
 */
@Injectable()
export class InferenceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Inference');
  private pool?: InferencePool;
  private starting?: Promise<void>;
  private failure?: string;
  private stopped = false;

  constructor(@Inject(VIGIL_CONFIG) private readonly config: VigilConfig, metrics: Metrics) {
    // Pool counters are read at scrape time rather than mirrored on every job.
    const stats = () => this.pool?.stats();
    new Gauge({
      name: 'vigil_inference_pool',
      help: 'Inference pool state: queued (camera queue), kiosk_queued (kiosk lane), background_queued (scans, served only when nothing else waits), in_flight, processed, dropped (evicted from the full camera queue), refused (kiosk images refused by the full kiosk lane), timeouts, crashes, workers',
      labelNames: ['stat'],
      registers: [metrics.registry],
      collect() {
        const s = stats();
        if (!s) return;
        this.set({ stat: 'queued' }, s.queued);
        this.set({ stat: 'kiosk_queued' }, s.kioskQueued);
        this.set({ stat: 'background_queued' }, s.backgroundQueued);
        this.set({ stat: 'refused' }, s.refused);
        this.set({ stat: 'in_flight' }, s.inFlight);
        this.set({ stat: 'processed' }, s.processed);
        this.set({ stat: 'dropped' }, s.dropped);
        this.set({ stat: 'timeouts' }, s.timeouts);
        this.set({ stat: 'crashes' }, s.crashes);
        this.set({ stat: 'workers' }, s.workers);
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('worker')) this.start();
  }

  /** The pool, starting it if needed; rejects if the models cannot load. */
  async acquire(): Promise<InferencePool> {
    if (!this.starting || this.failure) {
      this.failure = undefined;
      this.start();
    }
    await this.starting;
    return this.ready;
  }

  private start(): void {
    const started = Date.now();
    this.starting = InferencePool.create({ workers: this.config.inferenceWorkers, kioskQueueSize: this.config.kiosk.queueSize, engine: { backend: this.config.tfBackend } }).then(
      async (pool) => {
        if (this.stopped) return pool.close();
        this.pool = pool;
        const backend = pool.backend;
        this.logger.log(
          { backend: backend?.name, reason: backend?.reason, workers: this.config.inferenceWorkers, ms: Date.now() - started },
          `inference ready on ${backend?.name ?? 'unknown'} backend`,
        );
      },
      (error: unknown) => {
        this.failure = error instanceof Error ? error.message : String(error);
        this.logger.error({ err: error }, 'inference failed to start; recognition is unavailable');
      },
    );
  }

  /** The pool once ready; throws while starting or after a failed start. */
  get ready(): InferencePool {
    if (!this.pool) throw new Error(this.failure ? `inference unavailable: ${this.failure}` : 'inference is still starting');
    return this.pool;
  }

  /** Resolves when the start attempt has finished (ready or failed). */
  async settled(): Promise<void> {
    await this.starting;
  }

  health(): InferenceHealth {
    if (this.pool) {
      const backend = this.pool.backend ?? null;
      return { status: 'ready', backend: backend?.name ?? null, reason: backend?.reason ?? null, workers: this.config.inferenceWorkers, stats: this.pool.stats() };
    }
    if (this.failure) return { status: 'failed', backend: null, reason: null, workers: this.config.inferenceWorkers, stats: null, error: this.failure };
    const status = this.starting ? 'starting' : 'idle';
    return { status, backend: null, reason: null, workers: this.config.inferenceWorkers, stats: null };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.pool?.close();
  }
}
