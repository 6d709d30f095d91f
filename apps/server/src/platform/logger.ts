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

/**
 * pino for everything. Authorization headers, cookies and socket auth never reach the log;
 * request bodies are not logged at all (they may carry images or consent documents).
 */
export function loggerParams(config: VigilConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
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
