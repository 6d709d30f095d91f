import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis, RedisOptions } from 'ioredis';
import type { Server } from 'socket.io';
import type { VigilConfig } from '@vigil/config';
import type { Database } from '@vigil/persistence';
import { installationId, socketChannelKey } from '../core/installation-id';
import { redisErrorSummary } from './redis-error';

export interface SocketAdapterState {
  /** `memory`: one api process (no VIGIL_REDIS_URL); `redis`: shared with the other api processes. */
  adapter: 'memory' | 'redis';
  /** Redis: both connections (publish and subscribe) are up. Always true for `memory`. */
  connected: boolean;
}

/** Past this, shutdown stops waiting for Redis to confirm QUIT and drops the connection. */
const QUIT_MS = 2_000;

/**
 * How socket.io reaches the consoles of the other api processes. Without VIGIL_REDIS_URL: the
 * in-memory adapter, one process as before. With it: `@socket.io/redis-adapter` over two ioredis
 * connections (publish, subscribe) on channels named after this installation (`vigil:<install.id>`),
 * so installations sharing one Redis never hear each other.
 *
 * Redis down never stops this process: a broadcast still reaches the sockets of this process (the
 * adapter delivers locally whatever happens to the publish), the publish is dropped, not queued
 * (a status change pushed minutes late would be wrong), the subscriber reconnects and
 * re-subscribes by itself, and health says `degraded`. Errors are logged once per outage, without
 * the URL (it may hold a password).
 */
export class SocketAdapter implements OnApplicationShutdown {
  private readonly logger = new Logger('SocketAdapter');
  private down = false;

  private constructor(
    private readonly redis: { url: string; key: string; pub: Redis; sub: Redis } | null,
  ) {}

  /** The in-memory adapter: this process's sockets only. */
  static memory(): SocketAdapter {
    return new SocketAdapter(null);
  }

  /** Memory without VIGIL_REDIS_URL; else connects (without waiting: Redis may come later). */
  static async open(config: VigilConfig, db: Database): Promise<SocketAdapter> {
    if (!config.redisUrl) return SocketAdapter.memory();
    const key = socketChannelKey(await installationId(db.repos));
    const common: RedisOptions = { lazyConnect: false, autoResubscribe: true, connectionName: 'vigil-sockets' };
    // Publishing while disconnected fails at once (enableOfflineQueue: false) and is dropped below;
    // subscribing waits for the connection however long it takes (maxRetriesPerRequest: null).
    const pub = new Redis(config.redisUrl, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const sub = new Redis(config.redisUrl, { ...common, maxRetriesPerRequest: null });
    const adapter = new SocketAdapter({ url: config.redisUrl, key, pub, sub });
    adapter.watch(pub, 'publish');
    adapter.watch(sub, 'subscribe');
    adapter.dropFailedPublishes(pub);
    return adapter;
  }

  /** The channel prefix in Redis (null for memory). */
  get channelKey(): string | null {
    return this.redis?.key ?? null;
  }

  /** Sets the server's adapter (called once, when the gateway's server exists). */
  attach(server: Server): void {
    if (!this.redis) return;
    server.adapter(createAdapter(this.redis.pub, this.redis.sub, { key: this.redis.key }));
    this.logger.log({ key: this.redis.key }, 'consoles shared with the other api processes through Redis');
  }

  state(): SocketAdapterState {
    if (!this.redis) return { adapter: 'memory', connected: true };
    return { adapter: 'redis', connected: this.redis.pub.status === 'ready' && this.redis.sub.status === 'ready' };
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    await Promise.all([quit(this.redis.pub), quit(this.redis.sub)]);
  }

  private watch(client: Redis, role: 'publish' | 'subscribe'): void {
    client.on('error', (error: unknown) => {
      const summary = redisErrorSummary(error, this.redis!.url);
      if (this.down) this.logger.debug({ role, ...summary }, 'Redis still unreachable');
      else this.logger.warn({ role, ...summary }, 'Redis unreachable: consoles on other api processes miss pushes from this one until it is back (health: degraded); reconnecting');
      this.down = true;
    });
    client.on('ready', () => {
      if (!this.down || this.state().connected === false) return;
      this.down = false;
      this.logger.log('Redis reachable again: consoles shared across api processes');
    });
  }

  /** The adapter does not handle the publish promise: a rejection would be unhandled (a crash). */
  private dropFailedPublishes(pub: Redis): void {
    const publish = pub.publish.bind(pub) as (channel: string | Buffer, message: string | Buffer) => Promise<number>;
    const guarded = (channel: string | Buffer, message: string | Buffer): Promise<number> =>
      publish(channel, message).catch((error: unknown) => {
        this.logger.debug({ ...redisErrorSummary(error, this.redis!.url) }, 'socket broadcast not published to the other api processes');
        return 0;
      });
    (pub as unknown as { publish: typeof guarded }).publish = guarded;
  }
}

async function quit(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.quit().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_MS))),
  ]);
  clearTimeout(timer);
  client.disconnect();
}
