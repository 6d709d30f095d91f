import { QueryFailedError } from 'typeorm';
import { LeaseLostError } from '@vigil/domain';

/** PostgreSQL SQLSTATE codes the repositories translate into domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';

export function pgErrorCode(error: unknown): string | undefined {
  if (error instanceof QueryFailedError) {
    return (error.driverError as { code?: string } | undefined)?.code;
  }
  return (error as { code?: unknown } | null)?.code === undefined
    ? undefined
    : String((error as { code: unknown }).code);
}

/** The violated constraint's name, e.g. `person_list_name_uq`. */
export function pgConstraint(error: unknown): string | undefined {
  const driverError = error instanceof QueryFailedError ? error.driverError : error;
  const name = (driverError as { constraint?: unknown } | null)?.constraint;
  return typeof name === 'string' ? name : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return pgErrorCode(error) === PG_UNIQUE_VIOLATION && (constraint === undefined || pgConstraint(error) === constraint);
}

/** The database rule that an employee's face reference needs their consent (see the migration). */
export const EMPLOYEE_REFERENCE_NEEDS_CONSENT = 'employee_reference_needs_consent';

export function isCheckViolation(error: unknown, constraint?: string): boolean {
  return pgErrorCode(error) === PG_CHECK_VIOLATION && (constraint === undefined || pgConstraint(error) === constraint);
}

/** SQLSTATE raised by the camera_lease_guard trigger (see migration CameraLeases). */
export const PG_CAMERA_LEASE_LOST = 'VG001';

export function isLeaseLost(error: unknown): boolean {
  return pgErrorCode(error) === PG_CAMERA_LEASE_LOST;
}

/** A refused write under a lost lease becomes the typed LeaseLostError; anything else passes through. */
export function translateLeaseLost(error: unknown, cameraId: string | null | undefined, epoch: string | null | undefined): unknown {
  return isLeaseLost(error) ? new LeaseLostError(cameraId ?? null, epoch ?? null) : error;
}
