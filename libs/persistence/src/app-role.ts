import type { DataSource, EntityManager } from 'typeorm';

/**
 * The two-role setup on PostgreSQL (README "Database roles"): an owner role runs the migrations
 * and owns every table; the application's role gets only what the repositories use. On
 * audit_event that is SELECT and INSERT, so UPDATE, DELETE and TRUNCATE are refused by privilege
 * before the trigger is even asked, and, not being the owner, the application cannot drop or
 * disable the trigger or the table. The embedded database (PGlite) has one role; there the
 * trigger alone keeps the trail append-only.
 */

/** The split was asked for but would not protect the audit trail; the message says what to change. */
export class DatabaseRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseRoleError';
  }
}

/** Tables the application may read but never write. */
const READ_ONLY = ['schema_migration'];
/** Tables the application may read and append to, nothing more. */
const APPEND_ONLY = ['audit_event'];

export async function currentRole(dataSource: DataSource): Promise<string> {
  const [row] = (await dataSource.query('SELECT current_user AS role')) as Array<{ role: string }>;
  return row.role;
}

/**
 * Grants `appRole` what the application needs on every table and sequence of the schema, and
 * takes back anything beyond that on the read-only and append-only tables. Idempotent; run by
 * the owner after every migration run, so tables added later are covered.
 */
export async function grantAppRole(owner: DataSource, appRole: string): Promise<void> {
  await owner.transaction(async (manager: EntityManager) => {
    const [{ schema }] = (await manager.query('SELECT current_schema() AS schema')) as Array<{ schema: string }>;
    const role = quoteIdent(appRole);
    const inSchema = quoteIdent(schema);
    await manager.query(`GRANT USAGE ON SCHEMA ${inSchema} TO ${role}`);
    await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${inSchema} TO ${role}`);
    await manager.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${inSchema} TO ${role}`);
    for (const table of READ_ONLY) {
      await manager.query(`REVOKE ALL ON ${quoteIdent(table)} FROM ${role}`);
      await manager.query(`GRANT SELECT ON ${quoteIdent(table)} TO ${role}`);
    }
    for (const table of APPEND_ONLY) {
      await manager.query(`REVOKE ALL ON ${quoteIdent(table)} FROM ${role}`);
      await manager.query(`GRANT SELECT, INSERT ON ${quoteIdent(table)} TO ${role}`);
    }
  });
}

/**
 * Checked as the application's role once the owner has granted: refuses to go on when that role
 * could still change or remove the audit trail (it is a superuser, the owner, a member of the
 * owner's role, or holds UPDATE/DELETE/TRUNCATE through some other grant).
 */
export async function assertAuditAppendOnlyFor(app: DataSource): Promise<void> {
  const [row] = (await app.query(`
    SELECT current_user AS role,
           has_table_privilege('audit_event', 'UPDATE') AS can_update,
           has_table_privilege('audit_event', 'DELETE') AS can_delete,
           has_table_privilege('audit_event', 'TRUNCATE') AS can_truncate,
           pg_has_role(c.relowner, 'USAGE') AS owns
      FROM pg_class c WHERE c.oid = 'audit_event'::regclass`)) as Array<{
    role: string; can_update: boolean; can_delete: boolean; can_truncate: boolean; owns: boolean;
  }>;
  const powers = [
    row.owns && 'owns the table (or is a superuser or a member of its owner)',
    row.can_update && 'may UPDATE',
    row.can_delete && 'may DELETE',
    row.can_truncate && 'may TRUNCATE',
  ].filter(Boolean);
  if (powers.length > 0) {
    throw new DatabaseRoleError(
      `DATABASE_URL logs in as "${row.role}", which ${powers.join(', ')} audit_event, so the audit trail would not be ` +
        'append-only against the application. Use a separate login role that is neither superuser nor a member of the ' +
        'owner role for DATABASE_URL (README: "Database roles"), or unset VIGIL_DATABASE_OWNER_URL to run with a single role.',
    );
  }
}

/** Refuses a split whose two URLs name the same role before anything is granted or revoked. */
export function assertDistinctRoles(ownerRole: string, appRole: string): void {
  if (ownerRole === appRole) {
    throw new DatabaseRoleError(
      `VIGIL_DATABASE_OWNER_URL and DATABASE_URL both log in as "${appRole}". DATABASE_URL must name the application's own ` +
        'role (README: "Database roles"), or unset VIGIL_DATABASE_OWNER_URL to run with a single role.',
    );
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
