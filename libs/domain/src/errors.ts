/**
 * Typed domain errors. Code below the HTTP layer throws these; one exception filter in the
 * server maps each kind to its status code, so libraries never import Nest.
 * Messages are shown to users: say what was wrong and what to do about it.
 */
export type DomainErrorKind =
  | 'invalid' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'unsupported_media' // 415
  | 'unprocessable' // 422
  | 'rate_limited' // 429
  | 'unavailable'; // 503

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** Optional machine-readable details (e.g. quality reasons); never secrets or biometric data. */
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid' as const;
}
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated' as const;
}
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
}
export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
}
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}
export class PayloadTooLargeError extends DomainError {
  readonly kind = 'too_large' as const;
}
export class UnsupportedMediaError extends DomainError {
  readonly kind = 'unsupported_media' as const;
}
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable' as const;
}
export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited' as const;
}
/** The request is valid but this process cannot serve it (e.g. a live view asked of an api-only process). */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable' as const;
}

/**
 * A worker wrote for a camera under a lease epoch that is no longer the camera's current one (the
 * lease expired or another worker took the camera). The write is refused by the database; the
 * caller drops it (the new holder sees the person) and never retries under the old epoch.
 */
export class LeaseLostError extends DomainError {
  readonly kind = 'conflict' as const;

  constructor(readonly cameraId: string | null, readonly epoch: string | null) {
    super(`Camera ${cameraId ?? '?'} is no longer held under lease epoch ${epoch ?? '?'}; the write was refused.`);
  }
}
