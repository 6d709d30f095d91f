import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ConfigError, loadConfig } from '@vigil/config';
import { Database, DatabaseRoleError } from '@vigil/persistence';
import { run } from '../../apps/cli/src/main';
import { startServer, type RunningServer } from '../../apps/server/src/bootstrap';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The two-role setup (README "Database roles"): the owner migrates and owns the tables, the
 * application's role may only read and append to audit_event, so the trail stays append-only
 * against the application itself, not just by a trigger its own role could drop. Needs real
 * PostgreSQL (each run creates a throwaway login role and drops it); the embedded database has
 * one role, and there the split is refused at configuration time.
 */
const serverUrl = process.env.DATABASE_URL?.trim();

if (!serverUrl) {
  describe('database roles on embedded PGlite', () => {
    it('refuses an owner URL without a PostgreSQL DATABASE_URL (PGlite has one role; its trigger is the rule)', () => {
      assert.throws(
        () => loadConfig({ VIGIL_DATABASE_OWNER_URL: 'postgres://vigil@127.0.0.1:5432/vigil' }),
        (e: unknown) => e instanceof ConfigError && /VIGIL_DATABASE_OWNER_URL: needs DATABASE_URL/.test(e.message),
      );
    });
  });
} else {
  describe('database roles on PostgreSQL: the application cannot rewrite the audit trail', { timeout: 180_000 }, () => {
    let testDb: TestDatabase;
    let ownerUrl: string;
    let appUrl: string;
    let appRole: string;
    let app: Client;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-roles-'));

    async function onServer(sql: string): Promise<void> {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    }

    async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
      const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
      Object.assign(process.env, env);
      try {
        return await work();
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    }

    before(async () => {
      testDb = await createTestDatabase();
      ownerUrl = (testDb.config as { url: string }).url;
      appRole = `vigil_app_${randomBytes(6).toString('hex')}`;
      const password = randomBytes(16).toString('hex');
      await onServer(`CREATE ROLE ${appRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`);
      const u = new URL(ownerUrl);
      u.username = appRole;
      u.password = password;
      appUrl = u.toString();
    });

    after(async () => {
      await app?.end().catch(() => undefined);
      await testDb?.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
      if (appRole) await onServer(`DROP ROLE IF EXISTS ${appRole}`);
    });

    it('the app role alone cannot migrate a fresh database, and says to run the migration as the owner', async () => {
      await assert.rejects(
        Database.open({ kind: 'postgres', url: appUrl }),
        (e: unknown) => e instanceof DatabaseRoleError && /vigil migrate.*VIGIL_DATABASE_OWNER_URL/s.test(e.message),
      );
    });

    it('`vigil migrate` with VIGIL_DATABASE_OWNER_URL migrates as the owner and grants the app role', async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await withEnv({ DATABASE_URL: appUrl, VIGIL_DATABASE_OWNER_URL: ownerUrl }, () =>
        run(['migrate'], (t) => out.push(t), (t) => err.push(t)),
      );
      assert.equal(code, 0, err.join(''));
      assert.match(out.join(''), /Applied \d+ migration/);
      app = new Client({ connectionString: appUrl });
      await app.connect();
      const { rows } = await app.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'audit_event'`);
      assert.notEqual(rows[0].tableowner, appRole, 'the app role must not own audit_event');
      await app.query(`INSERT INTO audit_event (actor_name, actor_role, action, object_type) VALUES ('t', 'system', 'test.append', 'test')`);
      assert.equal((await app.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'test.append'`)).rows[0].n, 1);
    });

    it('as the app role, UPDATE, DELETE, TRUNCATE and dropping or disabling the trigger are refused by privilege', async () => {
      for (const sql of [
        `UPDATE audit_event SET action = 'changed'`,
        `DELETE FROM audit_event`,
        `TRUNCATE audit_event`,
        `DROP TRIGGER audit_event_no_update_delete ON audit_event`,
        `ALTER TABLE audit_event DISABLE TRIGGER ALL`,
        `DROP TABLE audit_event`,
        `DELETE FROM schema_migration`,
      ]) {
        await assert.rejects(app.query(sql), (e: { code?: string; message?: string }) => {
          // 42501 is also what the trigger raises; the message tells privilege from trigger.
          assert.equal(e.code, '42501', `${sql}: ${e.message}`);
          assert.match(e.message ?? '', /permission denied|must be owner/, `${sql}: refused by the trigger only, not by privilege`);
          return true;
        });
      }
      assert.equal((await app.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'test.append'`)).rows[0].n, 1);
    });

    it('refuses a "split" whose app role is the owner, before granting or revoking anything', async () => {
      await assert.rejects(
        Database.open({ kind: 'postgres', url: ownerUrl, ownerUrl }),
        (e: unknown) => e instanceof DatabaseRoleError && /both log in as/.test(e.message),
      );
    });

    it('the server boots and works as the app role, with and without the owner URL', async () => {
      for (const env of [{ DATABASE_URL: appUrl }, { DATABASE_URL: appUrl, VIGIL_DATABASE_OWNER_URL: ownerUrl }]) {
        const config = loadConfig({ ...env, PORT: '0', VIGIL_HOST: '127.0.0.1', LOG_LEVEL: 'silent', VIGIL_ROLES: 'api', VIGIL_DEMO: '0', VIGIL_DATA_DIR: dataDir, VIGIL_ADMIN_TOKEN: 'audit-roles-admin-token-0123456789' });
        let server: RunningServer | undefined;
        try {
          server = await startServer(config);
          const call = (method: string, path: string, body?: unknown) =>
            fetch(`${server!.url}${path}`, {
              method,
              headers: { authorization: 'Bearer audit-roles-admin-token-0123456789', 'content-type': 'application/json' },
              body: body === undefined ? undefined : JSON.stringify(body),
            });
          const minted = await call('POST', '/api/tokens', { name: `desk ${Object.keys(env).length}`, role: 'security' });
          assert.equal(minted.status, 201, await minted.text());
          const person = await call('POST', '/api/persons', { name: `Roles Person ${Object.keys(env).length}`, list: 'watchlist' });
          const personBody = await person.text();
          assert.equal(person.status, 201, personBody);
          const { id } = JSON.parse(personBody) as { id: string };
          assert.equal((await call('DELETE', `/api/persons/${id}`)).status, 204, 'erasure deletes rows as the app role');
        } finally {
          await server?.close();
        }
      }
      const { rows } = await app.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'token.mint'`);
      assert.ok(rows[0].n >= 2, 'the server appended to the audit trail as the app role');
    });
  });
}
