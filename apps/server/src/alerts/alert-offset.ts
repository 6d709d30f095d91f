import { isSeq } from '../platform/seq';

/** `auth.offset`: a non-negative integer (number or decimal string); anything else means none. */
export function parseOffset(raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return String(raw);
  if (isSeq(raw)) return raw.replace(/^0+(?=\d)/, '');
  return null;
}
