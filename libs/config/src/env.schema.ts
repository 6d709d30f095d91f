import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export const SERVER_ROLES = ['api', 'worker'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];
export const TF_BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm'] as const;
export type TfBackendChoice = (typeof TF_BACKENDS)[number];
export const DETECTORS = ['ssd', 'tiny'] as const;
export type DetectorChoice = (typeof DETECTORS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** auto: readable lines when stdout is a terminal, JSON lines otherwise (a pipe, a file, a container log). */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

const blankToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const toInt = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
};

const PROXY_ADDRESS = String.raw`(?:loopback|linklocal|uniquelocal|[0-9a-fA-F]*[.:][0-9a-fA-F.:]+(?:/\d{1,3})?)`;
/** Express's `trust proxy`: a number of hops, or which addresses are our proxies. */
const TRUST_PROXY = new RegExp(String.raw`^(?:[1-9]|${PROXY_ADDRESS}(?:\s*,\s*${PROXY_ADDRESS})*)$`);

/**
 * The process environment as the service reads it. Every variable is optional here; defaults
 * are applied in loadConfig so that this class only says what a valid value looks like.
 */
export class EnvSchema {
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded database)',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'VIGIL_DATABASE_OWNER_URL must be a postgres:// or postgresql:// URL of the role that owns the schema (unset: DATABASE_URL runs migrations)',
  })
  VIGIL_DATABASE_OWNER_URL?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  VIGIL_DATA_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  PORT?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  VIGIL_HOST?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r.length > 0)
      : value,
  )
  @ArrayNotEmpty({ message: 'VIGIL_ROLES must name at least one of: api, worker' })
  @IsIn(SERVER_ROLES, { each: true, message: 'VIGIL_ROLES may only contain api and worker, comma-separated' })
  VIGIL_ROLES?: ServerRole[];

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MinLength(24, { message: 'VIGIL_ADMIN_TOKEN must be at least 24 characters (use a random secret)' })
  VIGIL_ADMIN_TOKEN?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MinLength(24, { message: 'VIGIL_METRICS_TOKEN must be at least 24 characters (use a random secret)' })
  VIGIL_METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(TRUST_PROXY, {
    message: 'VIGIL_TRUST_PROXY must be a number of proxy hops (1-9) or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses or CIDR subnets',
  })
  VIGIL_TRUST_PROXY?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['0', '1'], { message: 'VIGIL_DEMO must be 0 or 1' })
  VIGIL_DEMO?: '0' | '1';

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['0', '1'], { message: 'VIGIL_ALLOW_FILE_URLS must be 0 or 1' })
  VIGIL_ALLOW_FILE_URLS?: '0' | '1';

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_INFERENCE_WORKERS must be an integer between 1 and 64' })
  @Min(1, { message: 'VIGIL_INFERENCE_WORKERS must be an integer between 1 and 64' })
  @Max(64, { message: 'VIGIL_INFERENCE_WORKERS must be an integer between 1 and 64' })
  VIGIL_INFERENCE_WORKERS?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(TF_BACKENDS, { message: `VIGIL_TF_BACKEND must be one of: ${TF_BACKENDS.join(', ')}` })
  VIGIL_TF_BACKEND?: TfBackendChoice;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  VIGIL_TIMEZONE?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(DETECTORS, { message: `VIGIL_DETECTOR must be one of: ${DETECTORS.join(', ')}` })
  VIGIL_DETECTOR?: DetectorChoice;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_ALERT_COOLDOWN_SECONDS must be an integer between 0 and 86400' })
  @Min(0, { message: 'VIGIL_ALERT_COOLDOWN_SECONDS must be an integer between 0 and 86400' })
  @Max(86_400, { message: 'VIGIL_ALERT_COOLDOWN_SECONDS must be an integer between 0 and 86400' })
  VIGIL_ALERT_COOLDOWN_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_ALERT_ESCALATE_SECONDS must be an integer between 0 (never) and 86400' })
  @Min(0, { message: 'VIGIL_ALERT_ESCALATE_SECONDS must be an integer between 0 (never) and 86400' })
  @Max(86_400, { message: 'VIGIL_ALERT_ESCALATE_SECONDS must be an integer between 0 (never) and 86400' })
  VIGIL_ALERT_ESCALATE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_GALLERY_ANN_MIN_REFERENCES must be an integer between 0 (always approximate) and 100000000' })
  @Min(0, { message: 'VIGIL_GALLERY_ANN_MIN_REFERENCES must be an integer between 0 (always approximate) and 100000000' })
  @Max(100_000_000, { message: 'VIGIL_GALLERY_ANN_MIN_REFERENCES must be an integer between 0 (always approximate) and 100000000' })
  VIGIL_GALLERY_ANN_MIN_REFERENCES?: number;

  // Evidence retention defaults (days); bounds mirror EVIDENCE_RETENTION in @vigil/domain.
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_RETENTION_FRAMES_DAYS must be a whole number of days between 1 and 3650' })
  @Min(1, { message: 'VIGIL_RETENTION_FRAMES_DAYS must be a whole number of days between 1 and 3650' })
  @Max(3650, { message: 'VIGIL_RETENTION_FRAMES_DAYS must be a whole number of days between 1 and 3650' })
  VIGIL_RETENTION_FRAMES_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_RETENTION_CROPS_DAYS must be a whole number of days between 1 and 3650' })
  @Min(1, { message: 'VIGIL_RETENTION_CROPS_DAYS must be a whole number of days between 1 and 3650' })
  @Max(3650, { message: 'VIGIL_RETENTION_CROPS_DAYS must be a whole number of days between 1 and 3650' })
  VIGIL_RETENTION_CROPS_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_RETENTION_ATTENDANCE_DAYS must be a whole number of days between 7 and 3650' })
  @Min(7, { message: 'VIGIL_RETENTION_ATTENDANCE_DAYS must be a whole number of days between 7 and 3650' })
  @Max(3650, { message: 'VIGIL_RETENTION_ATTENDANCE_DAYS must be a whole number of days between 7 and 3650' })
  VIGIL_RETENTION_ATTENDANCE_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_SESSION_IDLE_MINUTES must be an integer between 5 and 1440' })
  @Min(5, { message: 'VIGIL_SESSION_IDLE_MINUTES must be an integer between 5 and 1440' })
  @Max(1440, { message: 'VIGIL_SESSION_IDLE_MINUTES must be an integer between 5 and 1440' })
  VIGIL_SESSION_IDLE_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_SESSION_MAX_HOURS must be an integer between 1 and 168' })
  @Min(1, { message: 'VIGIL_SESSION_MAX_HOURS must be an integer between 1 and 168' })
  @Max(168, { message: 'VIGIL_SESSION_MAX_HOURS must be an integer between 1 and 168' })
  VIGIL_SESSION_MAX_HOURS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_SOCKET_REPLAY_MAX must be an integer between 1 and 10000' })
  @Min(1, { message: 'VIGIL_SOCKET_REPLAY_MAX must be an integer between 1 and 10000' })
  @Max(10_000, { message: 'VIGIL_SOCKET_REPLAY_MAX must be an integer between 1 and 10000' })
  VIGIL_SOCKET_REPLAY_MAX?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_SOCKET_UNACKED_MAX must be an integer between 1 and 100000' })
  @Min(1, { message: 'VIGIL_SOCKET_UNACKED_MAX must be an integer between 1 and 100000' })
  @Max(100_000, { message: 'VIGIL_SOCKET_UNACKED_MAX must be an integer between 1 and 100000' })
  VIGIL_SOCKET_UNACKED_MAX?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_SOCKETS_PER_PRINCIPAL must be an integer between 1 and 10000' })
  @Min(1, { message: 'VIGIL_SOCKETS_PER_PRINCIPAL must be an integer between 1 and 10000' })
  @Max(10_000, { message: 'VIGIL_SOCKETS_PER_PRINCIPAL must be an integer between 1 and 10000' })
  VIGIL_SOCKETS_PER_PRINCIPAL?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_KIOSK_CHECKS_PER_MINUTE must be an integer between 1 and 6000' })
  @Min(1, { message: 'VIGIL_KIOSK_CHECKS_PER_MINUTE must be an integer between 1 and 6000' })
  @Max(6000, { message: 'VIGIL_KIOSK_CHECKS_PER_MINUTE must be an integer between 1 and 6000' })
  VIGIL_KIOSK_CHECKS_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_KIOSK_BURST must be an integer between 1 and 1000' })
  @Min(1, { message: 'VIGIL_KIOSK_BURST must be an integer between 1 and 1000' })
  @Max(1000, { message: 'VIGIL_KIOSK_BURST must be an integer between 1 and 1000' })
  VIGIL_KIOSK_BURST?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_KIOSK_QUEUE_SIZE must be an integer between 1 and 1000' })
  @Min(1, { message: 'VIGIL_KIOSK_QUEUE_SIZE must be an integer between 1 and 1000' })
  @Max(1000, { message: 'VIGIL_KIOSK_QUEUE_SIZE must be an integer between 1 and 1000' })
  VIGIL_KIOSK_QUEUE_SIZE?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^rediss?:\/\/\S+$/, {
    message: 'VIGIL_REDIS_URL must be a redis:// or rediss:// URL (unset it to run a single api process without Redis)',
  })
  VIGIL_REDIS_URL?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
    message: 'VIGIL_WORKER_NAME must be 1-63 letters, digits, dots, dashes or underscores (unset: host name and process id)',
  })
  VIGIL_WORKER_NAME?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_WORKER_CAPACITY must be an integer between 1 and 1000 (cameras this worker may run)' })
  @Min(1, { message: 'VIGIL_WORKER_CAPACITY must be an integer between 1 and 1000 (cameras this worker may run)' })
  @Max(1000, { message: 'VIGIL_WORKER_CAPACITY must be an integer between 1 and 1000 (cameras this worker may run)' })
  VIGIL_WORKER_CAPACITY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_SCAN_MAX_UPLOAD_MB must be an integer between 1 and 1048576 (megabytes one scan upload may have)' })
  @Min(1, { message: 'VIGIL_SCAN_MAX_UPLOAD_MB must be an integer between 1 and 1048576 (megabytes one scan upload may have)' })
  @Max(1048576, { message: 'VIGIL_SCAN_MAX_UPLOAD_MB must be an integer between 1 and 1048576 (megabytes one scan upload may have)' })
  VIGIL_SCAN_MAX_UPLOAD_MB?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_LEASE_TTL_SECONDS must be an integer between 3 and 300' })
  @Min(3, { message: 'VIGIL_LEASE_TTL_SECONDS must be an integer between 3 and 300' })
  @Max(300, { message: 'VIGIL_LEASE_TTL_SECONDS must be an integer between 3 and 300' })
  VIGIL_LEASE_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'VIGIL_LEASE_REBALANCE_SECONDS must be an integer between 0 (never move running cameras) and 3600' })
  @Min(0, { message: 'VIGIL_LEASE_REBALANCE_SECONDS must be an integer between 0 (never move running cameras) and 3600' })
  @Max(3600, { message: 'VIGIL_LEASE_REBALANCE_SECONDS must be an integer between 0 (never move running cameras) and 3600' })
  VIGIL_LEASE_REBALANCE_SECONDS?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of: ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(LOG_FORMATS, { message: `LOG_FORMAT must be one of: ${LOG_FORMATS.join(', ')} (auto: readable on a terminal, JSON lines otherwise)` })
  LOG_FORMAT?: (typeof LOG_FORMATS)[number];
}
