import { DomainError, type DomainErrorKind } from '@vigil/domain';

/** Why a photo was refused, as a short code, for errors that carry no quality reasons. */
const REASON_BY_KIND: Record<DomainErrorKind, string> = {
  invalid: 'invalid',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  too_large: 'too_large',
  unsupported_media: 'not_an_image',
  unprocessable: 'unreadable',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
};

export interface Rejection {
  /** Machine-readable: quality reasons (no_face, multiple_faces, blurry, …), no_consent, too_large, not_an_image, unreadable. */
  reasons: string[];
  /** What a person can act on. */
  message: string;
}

/** The refusal a domain error stands for; null for anything else (a fault, not a verdict on the photo). */
export function rejectionOf(error: unknown): Rejection | null {
  if (!(error instanceof DomainError)) return null;
  const given = error.details?.reasons;
  const reasons = Array.isArray(given) && given.every((r) => typeof r === 'string') ? (given as string[]) : [REASON_BY_KIND[error.kind]];
  return { reasons, message: error.message };
}
