import { ConflictError } from '@vigil/domain';
import { EMPLOYEE_REFERENCE_NEEDS_CONSENT, isCheckViolation } from '../pg-errors';

/**
 * SQL condition: the person (table alias `alias`) may have face references in use. Watchlist
 * entries rest on the operator's legal basis; an employee needs a consent record that has not
 * been withdrawn. The database refuses the other states while references exist (migration
 * EmployeeReferencesNeedConsent); queries that feed matching filter on this as well, so a row
 * forced past that rule is still never matched.
 */
export function referencesAllowed(alias: string): string {
  return `(${alias}.list = 'watchlist' OR (${alias}.consent_given_at IS NOT NULL AND ${alias}.consent_withdrawn_at IS NULL))`;
}

/** The database's refusal of a reference without consent, as the same 409 enrolment gives; other errors as they are. */
export function translateConsentViolation(error: unknown): unknown {
  if (!isCheckViolation(error, EMPLOYEE_REFERENCE_NEEDS_CONSENT)) return error;
  return new ConflictError(
    'This person is an employee without a consent record; record their consent (PATCH /api/persons/:id with "consent", ' +
      'or vigil enroll --consent) before enrolling a photo.',
    { reasons: ['no_consent'] },
  );
}
