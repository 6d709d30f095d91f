import { Client } from 'pg';
import type { PGlite } from '@electric-sql/pglite';

/** NOTIFY channels written by the triggers of migrations AddChangeNotifications and ScanJobs. */
export const CHANGE_CHANNELS = ['vigil_gallery', 'vigil_alert', 'vigil_attendance', 'vigil_camera_event', 'vigil_scan_job'] as const;
export type ChangeChannel = (typeof CHANGE_CHANNELS)[number];

export interface ChangeListener {
  close(): Promise<void>;
}

/**
 * Called with the channel that fired. After a lost connection is re-established it is called once
 * for every channel, because notices sent while it was down are gone: "read again" is always safe.
 */
export type OnChange = (channel: ChangeChannel) => void;

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;

/**
 * LISTEN on PostgreSQL through one dedicated connection (a pooled one would be handed to other
 * queries). It reconnects with backoff forever; while it is down, callers' polls cover the gap.
 */
export async function listenPostgres(url: string, channels: readonly ChangeChannel[], onChange: OnChange, onError: (error: unknown) => void): Promise<ChangeListener> {
  let client: Client | null = null;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (reconnect: boolean): Promise<void> => {
    const c = new Client({ connectionString: url, application_name: 'vigil-listen' });
    c.on('notification', (n) => {
      if ((channels as readonly string[]).includes(n.channel)) onChange(n.channel as ChangeChannel);
    });
    c.on('error', (error) => {
      onError(error);
      scheduleReconnect(c);
    });
    c.on('end', () => scheduleReconnect(c));
    await c.connect();
    for (const channel of channels) await c.query(`LISTEN ${channel}`);
    client = c;
    retryMs = RETRY_MIN_MS;
    if (reconnect) for (const channel of channels) onChange(channel);
  };

  const scheduleReconnect = (failed: Client): void => {
    if (closed || client !== failed || timer) return;
    client = null;
    failed.end().catch(() => undefined);
    const attempt = (): void => {
      timer = undefined;
      if (closed) return;
      connect(true).catch((error: unknown) => {
        onError(error);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        timer = setTimeout(attempt, retryMs);
        timer.unref();
      });
    };
    timer = setTimeout(attempt, retryMs);
    timer.unref();
  };

  await connect(false);
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/** The embedded database delivers NOTIFY to listeners on the same instance (this process). */
export async function listenEmbedded(pglite: PGlite, channels: readonly ChangeChannel[], onChange: OnChange): Promise<ChangeListener> {
  const unsubscribes: Array<() => Promise<void>> = [];
  for (const channel of channels) unsubscribes.push(await pglite.listen(channel, () => onChange(channel)));
  return {
    async close() {
      for (const unsubscribe of unsubscribes) await unsubscribe().catch(() => undefined);
    },
  };
}
