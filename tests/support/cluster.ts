import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConnection } from 'node:net';
import { MAIN } from './server-process';
import { until } from './socket-client';
import { createPostgresDatabase } from './test-database';

/**
 * Several real server processes (api and worker roles) sharing one PostgreSQL database and one
 * Redis, as a scaled-out site runs them (issue #14). Cluster tests always use the real servers on
 * loopback, whatever DATABASE_URL says, and fail (never skip) when they are not there: CI starts
 * both before the tests.
 */

const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.VIGIL_TEST_REDIS_URL?.trim() || 'redis://127.0.0.1:6379';

export interface ClusterDatabase {
  url: string;
  cleanup(): Promise<void>;
}

/** A fresh database on the PostgreSQL server (dropped by cleanup, connections and all). */
export async function createClusterDatabase(): Promise<ClusterDatabase> {
  const db = await createPostgresDatabase(POSTGRES_URL, 'vigil_cluster').catch((error: unknown) => {
    throw new Error(`cluster tests need PostgreSQL at ${POSTGRES_URL} (set VIGIL_TEST_POSTGRES_URL): ${String(error)}`);
  });
  if (db.config.kind !== 'postgres') throw new Error('unreachable: a PostgreSQL test database');
  return { url: db.config.url, cleanup: db.cleanup };
}

/** The Redis URL for cluster tests, after checking that something answers PING there. */
export async function clusterRedisUrl(): Promise<string> {
  const u = new URL(REDIS_URL);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer'));
    }, 5_000);
    let data = '';
    socket.on('connect', () => socket.write(u.password ? `AUTH ${decodeURIComponent(u.password)}\r\nPING\r\n` : 'PING\r\n'));
    socket.on('data', (d) => {
      data += d.toString();
      if (data.includes('PONG') || data.startsWith('-')) {
        clearTimeout(timer);
        socket.end();
        resolve(data);
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  }).catch((error: unknown) => {
    throw new Error(`cluster tests need Redis at ${REDIS_URL} (set VIGIL_TEST_REDIS_URL): ${String(error)}`);
  });
  if (!reply.includes('PONG')) throw new Error(`Redis at ${REDIS_URL} refused PING: ${reply.trim()}`);
  return REDIS_URL;
}

export type ClusterRole = 'api' | 'worker';

export interface NodeOptions {
  /** Shown in failures; a worker's VIGIL_WORKER_NAME unless env sets one. */
  name: string;
  roles: ClusterRole[];
  databaseUrl: string;
  redisUrl?: string;
  /** The process's data folder (media files); a fresh temp folder when absent. */
  dataDir?: string;
  /** Shared by every node of a cluster; generated once per test process when absent. */
  adminToken?: string;
  env?: Record<string, string>;
}

export interface ClusterNode {
  name: string;
  roles: ClusterRole[];
  baseUrl: string;
  pid: number;
  child: ChildProcess;
  adminToken: string;
  metricsToken: string;
  dataDir: string;
  output(): string;
  /** Sends a signal (SIGKILL for a crash); `exited` resolves when it is gone. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after 15 s; resolves when the process is gone (temp data folder removed). */
  stop(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** GET with the admin token; JSON body. */
  get<T = unknown>(route: string): Promise<T>;
  /** The Prometheus text of this process's /metrics. */
  metrics(): Promise<string>;
}

/** One admin and one metrics token for every node this test process starts. */
export const CLUSTER_ADMIN_TOKEN = `vgl_cluster_admin_${randomBytes(16).toString('hex')}`;
export const CLUSTER_METRICS_TOKEN = `cluster_metrics_${randomBytes(16).toString('hex')}`;

/**
 * Starts `node dist/apps/server/src/main.js` with the given roles on the cluster's database and
 * resolves once it prints its banner (after migrations). Rejects with the process's output when it
 * exits first or takes longer than two minutes.
 */
export async function startNode(opts: NodeOptions): Promise<ClusterNode> {
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), `vigil-${opts.name}-`));
  const adminToken = opts.adminToken ?? CLUSTER_ADMIN_TOKEN;
  const base = { ...process.env };
  for (const key of Object.keys(base)) if (key.startsWith('VIGIL_') || key === 'DATABASE_URL') delete base[key];
  const env: NodeJS.ProcessEnv = {
    ...base,
    PORT: '0',
    VIGIL_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    VIGIL_INFERENCE_WORKERS: '1',
    VIGIL_DEMO: '0',
    DATABASE_URL: opts.databaseUrl,
    VIGIL_DATA_DIR: dataDir,
    VIGIL_ROLES: opts.roles.join(','),
    VIGIL_ADMIN_TOKEN: adminToken,
    VIGIL_METRICS_TOKEN: CLUSTER_METRICS_TOKEN,
    ...(opts.roles.includes('worker') ? { VIGIL_WORKER_NAME: opts.name } : {}),
    ...(opts.redisUrl ? { VIGIL_REDIS_URL: opts.redisUrl } : {}),
    ...opts.env,
  };
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const cleanupDir = () => {
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  void exited.then(cleanupDir);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.name} did not listen within 120 s:\n${out}`));
    }, 120_000);
    const onData = () => {
      const match = /running at (http:\/\/\S+) /.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match[1]!.replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited (code ${code}, signal ${signal}) before listening:\n${out}`));
    });
  });
  const request = async (route: string, token: string): Promise<Response> => {
    const res = await fetch(`${baseUrl}${route}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${opts.name} GET ${route}: ${res.status} ${await res.text()}`);
    return res;
  };
  return {
    name: opts.name,
    roles: opts.roles,
    baseUrl,
    pid: child.pid!,
    child,
    adminToken,
    metricsToken: CLUSTER_METRICS_TOKEN,
    dataDir,
    output: () => out,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      cleanupDir();
    },
    exited,
    get: async <T>(route: string) => (await (await request(route, adminToken)).json()) as T,
    metrics: async () => (await request('/metrics', CLUSTER_METRICS_TOKEN)).text(),
  };
}

/** Reads one sample of a Prometheus text exposition (sum over label sets when `labels` is omitted). */
export function metricValue(text: string, name: string, labels?: Record<string, string>): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    if (labels) {
      const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
      if (!Object.entries(labels).every(([k, v]) => have[k] === v)) continue;
    }
    sum += Number(m[4]);
    found = true;
  }
  return found ? sum : NaN;
}

/**
 * `until` (socket-client) with the arguments in this file's order, and a probe that may throw while
 * the cluster settles: a throw counts as "not yet" and the last one is named if time runs out.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, withinMs: number, everyMs = 250): Promise<T> {
  let last: unknown;
  const tolerant = async () => {
    try {
      return await probe();
    } catch (error) {
      last = error;
      return undefined;
    }
  };
  return until(what, withinMs, tolerant, everyMs).catch((error: unknown) => {
    throw last === undefined ? error : new Error(`${(error as Error).message}: ${String(last)}`);
  });
}
