/**
 * The rows of a raw query. TypeORM answers UPDATE/DELETE … RETURNING with [rows, count] on
 * PostgreSQL and plain rows elsewhere (and for SELECT): every repository reads them through this.
 */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}
