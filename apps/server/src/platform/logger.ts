import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { VigilConfig } from '@vigil/config';
import { redactRequestQuery } from '@vigil/domain';

/**
 * Query parameters of our own API (and socket.io's transport parameters) whose values a request
 * log may show; every other value, `token` and the search text `q` included, is logged as `***`.
 */
export const LOGGED_QUERY_KEYS: ReadonlySet<string> = new Set([
  'limit', 'offset', 'date', 'format', 'includerevoked', 'cameraid', 'kind', 'status', 'from', 'to', 'list', 'after',
  'recent', 'eio', 'transport',
]);

export type LogFormat = VigilConfig['logFormat'];

/**
 * Readable lines for a person at a terminal; JSON lines for machines (a pipe, a file, a container
 * log collector), where one object per line is what log shippers parse. `auto` decides by whether
 * stdout is a TTY, so `npm start` in a terminal is readable and `docker logs` stays JSON.
 */
export function resolveLogFormat(format: LogFormat, stdoutIsTTY: boolean | undefined): 'json' | 'pretty' {
  if (format === 'auto') return stdoutIsTTY === true ? 'pretty' : 'json';
  return format;
}

/**
 * pino-pretty runs in pino's transport worker thread: formatting never costs the event loop that
 * serves frames. Redaction happens before a line leaves pino, so the same fields stay hidden.
 */
const PRETTY_TRANSPORT = {
  target: 'pino-pretty',
  options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true },
};

/**
 * pino for everything. Authorization headers, cookies and socket auth never reach the log;
 * request bodies are not logged at all (they may carry images or consent documents).
 */
export function loggerParams(config: VigilConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      ...(resolveLogFormat(config.logFormat, process.stdout.isTTY) === 'pretty' ? { transport: PRETTY_TRANSPORT } : {}),
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'req.query.token'],
        censor: '***',
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactRequestQuery(req.url, LOGGED_QUERY_KEYS) }),
      },
    },
  };
}
