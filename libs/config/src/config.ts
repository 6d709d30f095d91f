import 'reflect-metadata';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DetectorChoice, EnvSchema, LOG_FORMATS, LOG_LEVELS, ServerRole, TfBackendChoice } from './env.schema';

export type DatabaseConfig =
  /**
   * `ownerUrl` (VIGIL_DATABASE_OWNER_URL): the role that owns the schema and runs migrations; `url`
   * is then the application's role, granted only what it needs (audit_event: SELECT and INSERT).
   */
  | { kind: 'postgres'; url: string; ownerUrl?: string }
  | { kind: 'embedded'; dataDir: string };

/** Infrastructure configuration, validated once at boot. Tunable thresholds live in the database. */
export interface VigilConfig {
  database: DatabaseConfig;
  dataDir: string;
  port: number;
  host: string;
  roles: ServerRole[];
  adminToken?: string;
  /** Bearer secret Prometheus sends to GET /metrics (an admin token works too). */
  metricsToken?: string;
  /**
   * Express `trust proxy` (VIGIL_TRUST_PROXY): behind a reverse proxy, the client address
   * (sign-in throttle, audit) and HTTPS (the cookie's Secure flag) come from X-Forwarded-* only
   * when the request came through a trusted proxy. Unset: the socket's address.
   */
  trustProxy?: number | string;
  demo: boolean | 'auto';
  /** Admit file: camera URLs over the API (tests, replaying recordings). The demo camera needs no API. */
  allowFileUrls: boolean;
  inferenceWorkers: number;
  tfBackend: TfBackendChoice;
  logLevel: (typeof LOG_LEVELS)[number];
  /** How log lines look: auto = pretty on a terminal, JSON otherwise. */
  logFormat: (typeof LOG_FORMATS)[number];
  /** IANA zone whose calendar day attendance is booked in (default: the machine's). */
  timeZone: string;
  /**
   * Face detector for camera frames: SSD (default, most accurate) or Tiny (about twice the frames
   * per second on CPU, misses more small faces). Enrolment and the kiosk always use SSD.
   */
  detector: DetectorChoice;
  /** One alert per person and camera at most this often (someone lingering at a door). */
  alertCooldownSeconds: number;
  /** An alert nobody acknowledged within this many seconds is escalated; 0 = never. */
  alertEscalateSeconds: number;
  /**
   * The matcher searches exactly below this many references and with the approximate (HNSW) index
   * from it on; undefined = the measured default (DEFAULT_ANN_MIN_REFERENCES in @vigil/domain).
   */
  galleryAnnMinReferences?: number;
  /**
   * Console sign-in sessions: ended after this long without a request or a connected console
   * (idle), and in any case this long after sign-in (absolute, a working shift).
   */
  sessions: { idleMinutes: number; maxHours: number };
  /** A socket (re)connecting with an offset is replayed at most this many alerts, the newest. */
  socketReplayMax: number;
  /** Alerts a socket may leave unanswered; past it the socket is disconnected (it replays on return). */
  socketUnackedMax: number;
  /** Concurrent sockets per principal (per token today); more are refused at the handshake. */
  socketsPerPrincipal: number;
  /**
   * Evidence retention in days where an admin never set it (VIGIL_RETENTION_*_DAYS); a missing
   * one is the built-in default (EVIDENCE_RETENTION in @vigil/domain).
   */
  retentionDefaults: { framesDays?: number; cropsDays?: number; attendanceDays?: number };
  /** Abuse limits of POST /api/kiosk/check (see KioskLimits). */
  kiosk: KioskLimits;
  /**
   * Redis for socket.io across api processes (VIGIL_REDIS_URL). Unset: one api process, pushes
   * stay in the process (as before issue #14). Never logged (it may hold a password).
   */
  redisUrl?: string;
  /** This worker process in the camera lease table (see CameraLeases). */
  worker: WorkerSettings;
  /** Scan jobs from the admin console: an upload larger than this many bytes is refused (413) while it streams. */
  scanMaxUploadBytes: number;
  version: string;
}

export interface WorkerSettings {
  /** Shown on camera status as the worker running it: VIGIL_WORKER_NAME, else `<host>-<pid>`. */
  name: string;
  /** Cameras this worker claims at most (VIGIL_WORKER_CAPACITY). */
  capacity: number;
  /** A lease not renewed for this long expires and another worker takes the camera. */
  leaseTtlSeconds: number;
  /** At most one running camera moves to a less loaded worker per this many seconds (0: never). */
  rebalanceSeconds: number;
}

export interface KioskLimits {
  /** Sustained checks per minute a kiosk token may make (token bucket refill). */
  checksPerMinute: number;
  /** Checks a kiosk token may make at once before the sustained rate applies (bucket size). */
  burst: number;
  /** Kiosk images waiting for inference (their own lane) before further ones are refused with 503. */
  queueSize: number;
}

/** Thrown when the environment is invalid; the message names every offending variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const KNOWN = new Set([
  'DATABASE_URL', 'VIGIL_DATA_DIR', 'PORT', 'VIGIL_HOST', 'VIGIL_ROLES', 'VIGIL_ADMIN_TOKEN',
  'VIGIL_DEMO', 'VIGIL_ALLOW_FILE_URLS', 'VIGIL_INFERENCE_WORKERS', 'VIGIL_TF_BACKEND', 'VIGIL_TIMEZONE', 'LOG_LEVEL', 'LOG_FORMAT',
  'VIGIL_ALERT_COOLDOWN_SECONDS', 'VIGIL_ALERT_ESCALATE_SECONDS', 'VIGIL_DETECTOR',
  'VIGIL_GALLERY_ANN_MIN_REFERENCES', 'VIGIL_SESSION_IDLE_MINUTES', 'VIGIL_SESSION_MAX_HOURS',
  'VIGIL_SOCKET_REPLAY_MAX', 'VIGIL_SOCKET_UNACKED_MAX', 'VIGIL_SOCKETS_PER_PRINCIPAL',
  'VIGIL_RETENTION_FRAMES_DAYS', 'VIGIL_RETENTION_CROPS_DAYS', 'VIGIL_RETENTION_ATTENDANCE_DAYS',
  'VIGIL_DATABASE_OWNER_URL', 'VIGIL_METRICS_TOKEN', 'VIGIL_TRUST_PROXY',
  'VIGIL_KIOSK_CHECKS_PER_MINUTE', 'VIGIL_KIOSK_BURST', 'VIGIL_KIOSK_QUEUE_SIZE',
  'VIGIL_REDIS_URL', 'VIGIL_WORKER_NAME', 'VIGIL_WORKER_CAPACITY', 'VIGIL_LEASE_TTL_SECONDS', 'VIGIL_LEASE_REBALANCE_SECONDS',
  'VIGIL_SCAN_MAX_UPLOAD_MB',
]);

/**
 * Reads and validates the environment. Fails fast with every problem at once, naming the
 * variable and what a valid value looks like; values are never echoed (they may be secrets).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  opts: { cwd?: string; version?: string } = {},
): VigilConfig {
  const picked: Record<string, string | undefined> = {};
  for (const key of KNOWN) picked[key] = env[key];
  const parsed = plainToInstance(EnvSchema, picked);
  const errors = validateSync(parsed, { forbidUnknownValues: true });
  const problems: string[] = [];
  for (const error of errors) {
    const messages = new Set(Object.values(error.constraints ?? {}).map((m) => m.replace(new RegExp(`^${error.property} `), '')));
    problems.push(...[...messages].map((m) => `${error.property}: ${m}`));
  }
  const unknownVigil = Object.keys(env).filter((k) => k.startsWith('VIGIL_') && !KNOWN.has(k));
  for (const key of unknownVigil) problems.push(`${key}: unknown variable (typo?)`);
  if (parsed.VIGIL_TIMEZONE && !isTimeZone(parsed.VIGIL_TIMEZONE)) {
    problems.push('VIGIL_TIMEZONE: must be an IANA time zone such as Europe/Lisbon or UTC');
  }
  const socketReplayMax = parsed.VIGIL_SOCKET_REPLAY_MAX ?? 200;
  const socketUnackedMax = parsed.VIGIL_SOCKET_UNACKED_MAX ?? 500;
  if (typeof socketReplayMax === 'number' && typeof socketUnackedMax === 'number' && socketReplayMax > socketUnackedMax) {
    problems.push(`VIGIL_SOCKET_REPLAY_MAX: must not exceed VIGIL_SOCKET_UNACKED_MAX (${socketUnackedMax}), or a replay would cut its own socket`);
  }
  if (parsed.VIGIL_DATABASE_OWNER_URL && !parsed.DATABASE_URL) {
    problems.push('VIGIL_DATABASE_OWNER_URL: needs DATABASE_URL (the application role); the embedded database has a single role');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const cwd = opts.cwd ?? process.cwd();
  const dataDir = path.resolve(cwd, parsed.VIGIL_DATA_DIR ?? './data');
  const inferenceWorkers = parsed.VIGIL_INFERENCE_WORKERS ?? availableParallelism();
  return {
    database: parsed.DATABASE_URL
      ? { kind: 'postgres', url: parsed.DATABASE_URL, ...(parsed.VIGIL_DATABASE_OWNER_URL ? { ownerUrl: parsed.VIGIL_DATABASE_OWNER_URL } : {}) }
      : { kind: 'embedded', dataDir: path.join(dataDir, 'db') },
    dataDir,
    port: parsed.PORT ?? 3000,
    host: parsed.VIGIL_HOST ?? '0.0.0.0',
    roles: dedupe(parsed.VIGIL_ROLES ?? ['api', 'worker']),
    adminToken: parsed.VIGIL_ADMIN_TOKEN,
    metricsToken: parsed.VIGIL_METRICS_TOKEN,
    trustProxy: parsed.VIGIL_TRUST_PROXY === undefined ? undefined : /^[1-9]$/.test(parsed.VIGIL_TRUST_PROXY) ? Number(parsed.VIGIL_TRUST_PROXY) : parsed.VIGIL_TRUST_PROXY,
    demo: parsed.VIGIL_DEMO === undefined ? 'auto' : parsed.VIGIL_DEMO === '1',
    allowFileUrls: parsed.VIGIL_ALLOW_FILE_URLS === '1',
    inferenceWorkers,
    tfBackend: parsed.VIGIL_TF_BACKEND ?? 'auto',
    logLevel: parsed.LOG_LEVEL ?? 'info',
    logFormat: parsed.LOG_FORMAT ?? 'auto',
    timeZone: parsed.VIGIL_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
    detector: parsed.VIGIL_DETECTOR ?? 'ssd',
    alertCooldownSeconds: parsed.VIGIL_ALERT_COOLDOWN_SECONDS ?? 60,
    alertEscalateSeconds: parsed.VIGIL_ALERT_ESCALATE_SECONDS ?? 120,
    galleryAnnMinReferences: parsed.VIGIL_GALLERY_ANN_MIN_REFERENCES,
    sessions: {
      idleMinutes: parsed.VIGIL_SESSION_IDLE_MINUTES ?? 60,
      maxHours: parsed.VIGIL_SESSION_MAX_HOURS ?? 12,
    },
    socketReplayMax,
    socketUnackedMax,
    socketsPerPrincipal: parsed.VIGIL_SOCKETS_PER_PRINCIPAL ?? 20,
    retentionDefaults: definedOnly({
      framesDays: parsed.VIGIL_RETENTION_FRAMES_DAYS,
      cropsDays: parsed.VIGIL_RETENTION_CROPS_DAYS,
      attendanceDays: parsed.VIGIL_RETENTION_ATTENDANCE_DAYS,
    }),
    kiosk: {
      checksPerMinute: parsed.VIGIL_KIOSK_CHECKS_PER_MINUTE ?? 60,
      burst: parsed.VIGIL_KIOSK_BURST ?? 10,
      queueSize: parsed.VIGIL_KIOSK_QUEUE_SIZE ?? 2 * inferenceWorkers,
    },
    ...(parsed.VIGIL_REDIS_URL ? { redisUrl: parsed.VIGIL_REDIS_URL } : {}),
    worker: {
      name: parsed.VIGIL_WORKER_NAME ?? `${hostname()}-${process.pid}`.slice(0, 63),
      capacity: parsed.VIGIL_WORKER_CAPACITY ?? 64,
      leaseTtlSeconds: parsed.VIGIL_LEASE_TTL_SECONDS ?? 10,
      rebalanceSeconds: parsed.VIGIL_LEASE_REBALANCE_SECONDS ?? 30,
    },
    scanMaxUploadBytes: (parsed.VIGIL_SCAN_MAX_UPLOAD_MB ?? 2048) * 1024 * 1024,
    version: opts.version ?? readVersion(),
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function readVersion(): string {
  try {
    // Resolved from the package root both in source and in dist/.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(findPackageJson(__dirname)) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function findPackageJson(from: string): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pkg = require(candidate) as { name?: string };
      if (pkg.name === 'vigil') return candidate;
    } catch {
      /* keep walking up */
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json of vigil not found');
    dir = parent;
  }
}

/** A connection string with its password replaced, safe to log or show. */
export function describeDatabase(db: DatabaseConfig): string {
  if (db.kind === 'embedded') return `embedded PGlite at ${db.dataDir}`;
  try {
    const u = new URL(db.url);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}
