import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Largest alert / attendance seq a PostgreSQL bigint holds. */
export const MAX_SEQ = 9_223_372_036_854_775_807n;

/** A seq offset as a decimal string: digits only, within a bigint (a larger one would fail in SQL). */
export function isSeq(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_SEQ;
}

/** class-validator rule for a seq offset in a query string. */
export function IsSeq(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isSeq', validator: { validate: (value) => isSeq(value) } }, options);
}
