/** What the person forms share: the quality gate's reasons in words, refusal reasons, the consent record. */
import type { PersonListName } from '@vigil/contracts';
import { ApiError } from '../../api/http';

/** The quality gate's reasons in words an administrator can act on. */
export const REASON_TEXT: Record<string, string> = {
  no_face: 'no face found',
  multiple_faces: 'more than one face',
  too_small: 'face too small — use a closer or larger photo',
  blurry: 'too blurry',
  too_dark: 'too dark',
  washed_out: 'too bright (washed out)',
  clipped: 'over- or under-exposed areas',
  pose_yaw: 'head turned — use a front-facing photo',
  pose_roll: 'head tilted',
  low_score: 'face not clear enough',
  no_consent: 'no consent recorded for this employee',
  not_in_person_folder: 'not inside a person\'s folder',
  nested_folder: 'in a folder inside a person\'s folder',
};

/** The quality gate's reason codes of a refused enrolment (422 `details.reasons`), or none. */
export function refusalReasons(error: unknown): string[] {
  return error instanceof ApiError && Array.isArray(error.body?.details?.reasons) ? (error.body.details.reasons as string[]) : [];
}

/** The consent record a person form sends: employees only, and only when a method was given. */
export function consentFrom(list: PersonListName, method: string, reference: string): { method: string; reference?: string } | undefined {
  if (list !== 'employee' || !method.trim()) return undefined;
  return { method: method.trim(), ...(reference.trim() ? { reference: reference.trim() } : {}) };
}
