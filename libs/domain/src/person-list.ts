/**
 * The two galleries. A watchlist match raises an alert for security staff; an employee match
 * records attendance. They have different error costs, so thresholds are kept per list.
 */
export const PERSON_LISTS = ['watchlist', 'employee'] as const;
export type PersonList = (typeof PERSON_LISTS)[number];

export function isPersonList(value: unknown): value is PersonList {
  return typeof value === 'string' && (PERSON_LISTS as readonly string[]).includes(value);
}

/**
 * Biometric processing of employees rests on their consent (GDPR Art. 9, BIPA); a watchlist
 * entry rests on a legal basis recorded by the operator instead, so consent applies to employees only.
 */
export function consentApplies(list: PersonList): boolean {
  return list === 'employee';
}
