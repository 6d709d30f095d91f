import { InvalidInputError } from './errors';

const TRUE_LABELS = new Set(['yes', 'true', '1']);
const FALSE_LABELS = new Set(['no', 'false', '0']);

/** Parses a pairs-file label: Yes/No, true/false or 1/0, case-insensitive, surrounding spaces ignored. */
export function parseSameLabel(raw: string, where: string): boolean {
  const value = raw.trim().toLowerCase();
  if (TRUE_LABELS.has(value)) return true;
  if (FALSE_LABELS.has(value)) return false;
  throw new InvalidInputError(`${where}: label must be Yes/No, true/false or 1/0, got '${raw.trim().slice(0, 20)}'`);
}
