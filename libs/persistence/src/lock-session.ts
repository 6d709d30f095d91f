import { Client } from 'pg';

/**
 * One database session that holds session-level advisory locks (job leadership). A session lock
 * belongs to the connection that took it, so it must be a connection nobody else uses: never
 * the pool's. The lock is released by PostgreSQL when this session ends — a clean close, a
 * `kill -9` of the process (its socket closes) or the server noticing a dead peer.
 */
export interface LockSession {
  /** `pg_try_advisory_lock(key)` on this session: true when this session holds it now. */
  tryLock(key: number): Promise<boolean>;
  /** Releases a lock this session holds (a no-op when it does not). */
  unlock(key: number): Promise<void>;
  /** `SELECT 1`; rejects when the session cannot answer within `timeoutMs`. */
  ping(timeoutMs: number): Promise<void>;
  /** Called once when the connection fails or ends (not after close()). */
  onLost(listener: (error?: unknown) => void): void;
  /** Ends the session (its locks go with it). Never throws; does not wait for a dead peer. */
  close(): Promise<void>;
}

export interface LockSessionOptions {
  /** Shown in pg_stat_activity (which process leads). */
  applicationName: string;
  /** Client-side TCP keepalive: a silently dead server is noticed after about this long. */
  keepAliveMs: number;
  /**
   * The server ends this session when it sends nothing for this long (`idle_session_timeout`,
   * PostgreSQL 14+): the server-side fence for a partitioned leader, whose pings stop arriving.
   */
  idleSessionTimeoutMs: number;
}

/** A dedicated `pg` connection (not from the pool) for advisory locks. */
export async function openPostgresLockSession(url: string, opts: LockSessionOptions): Promise<LockSession> {
  const client = new Client({ connectionString: url, application_name: opts.applicationName, keepAlive: true, keepAliveInitialDelayMillis: opts.keepAliveMs, connectionTimeoutMillis: 10_000 });
  let lost: ((error?: unknown) => void) | null = null;
  let closed = false;
  let fired = false;
  const fire = (error?: unknown): void => {
    if (closed || fired) return;
    fired = true;
    lost?.(error);
  };
  client.on('error', (error) => fire(error));
  client.on('end', () => fire());
  await client.connect();
  try {
    const seconds = Math.max(1, Math.round(opts.keepAliveMs / 1000));
    // The server's side of the same socket: it notices a vanished client as soon as the client would.
    await client.query(`SET tcp_keepalives_idle = ${seconds}; SET tcp_keepalives_interval = ${Math.max(1, Math.round(seconds / 3))}; SET tcp_keepalives_count = 3`);
    await client.query(`SET idle_session_timeout = ${Math.max(1000, Math.round(opts.idleSessionTimeoutMs))}`).catch(() => undefined); // PostgreSQL < 14: keepalives only
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  const destroy = (): void => {
    // end() waits for the server's goodbye, which a dead peer never sends: cut the socket too.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };
  return {
    async tryLock(key) {
      const rows = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [key])).rows;
      return rows[0]?.locked === true;
    },
    async unlock(key) {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    },
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the leadership connection did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([client.query('SELECT 1'), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    onLost(listener) {
      lost = listener;
    },
    async close() {
      if (closed) return;
      closed = true;
      const ended = client.end().catch(() => undefined);
      const timer = setTimeout(destroy, 1_000);
      await ended;
      clearTimeout(timer);
    },
  };
}

/**
 * The embedded database is one process's by construction (its data folder is locked): that
 * process leads every job, and there is no connection to lose.
 */
export function embeddedLockSession(): LockSession {
  return {
    tryLock: async () => true,
    unlock: async () => undefined,
    ping: async () => undefined,
    onLost: () => undefined,
    close: async () => undefined,
  };
}
