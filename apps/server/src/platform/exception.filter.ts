import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, DomainErrorKind } from '@vigil/domain';
import { pgErrorCode, PG_CHECK_VIOLATION, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION } from '@vigil/persistence';
import type { ErrorBody } from '@vigil/contracts';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one place errors become HTTP. Domain errors map by kind; Nest's HttpExceptions keep their
 * status; constraint violations that a repository did not translate still become a 4xx; anything
 * else is a 500 with a correlation id for the log, never a stack or SQL in the response.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const body = this.toBody(exception, req);
    if (res.headersSent) return;
    // A refusal that says when to come back (429 rate limit, 503 busy) says it in the standard header too.
    const retryAfter = exception instanceof DomainError ? exception.details?.retryAfterSeconds : undefined;
    if ((body.statusCode === 429 || body.statusCode === 503) && typeof retryAfter === 'number') res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    res.status(body.statusCode).json(body);
  }

  toBody(exception: unknown, req: { id?: string; method?: string; url?: string }): ErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = STATUS_BY_KIND[exception.kind];
      return { statusCode, error: REASON[statusCode]!, message: exception.message, ...(exception.details ? { details: exception.details } : {}) };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : messageOf((response as { message?: unknown }).message) ?? exception.message;
      return { statusCode, error: REASON[statusCode] ?? exception.name, message };
    }
    const httpLike = exception as { status?: unknown; type?: unknown; expose?: unknown; message?: unknown };
    if (typeof httpLike?.status === 'number' && httpLike.expose === true && httpLike.status < 500) {
      // body-parser errors (malformed JSON, body too large) carry a safe status and message.
      const statusCode = httpLike.status;
      const message = httpLike.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : String(httpLike.message);
      return { statusCode, error: REASON[statusCode] ?? 'Error', message };
    }
    const code = pgErrorCode(exception);
    if (code === PG_UNIQUE_VIOLATION) return { statusCode: 409, error: REASON[409]!, message: 'That would duplicate an existing record.' };
    if (code === PG_FOREIGN_KEY_VIOLATION) return { statusCode: 409, error: REASON[409]!, message: 'That refers to a record that does not exist or is still in use.' };
    if (code === PG_CHECK_VIOLATION) return { statusCode: 422, error: REASON[422]!, message: 'The values break a rule of the data model.' };
    const correlationId = req.id ?? 'unknown';
    this.logger.error({ err: exception, correlationId, method: req.method, url: req.url }, 'unhandled error');
    return {
      statusCode: 500,
      error: REASON[500]!,
      message: `Something went wrong on our side. Quote correlation id ${correlationId} when reporting it.`,
      correlationId,
    };
  }
}

function messageOf(message: unknown): string | undefined {
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return undefined;
}
