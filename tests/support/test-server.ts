import { loadConfig, VigilConfig } from '@vigil/config';
import { RunningServer, startServer } from '../../apps/server/src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestServer {
  server: RunningServer;
  db: TestDatabase;
  config: VigilConfig;
  /** fetch against the server with an optional bearer token; JSON in and out. */
  api(method: string, path: string, opts?: { token?: string | null; body?: unknown; raw?: string }): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/**
 * Boots the real application on port 0 against a fresh test database. api-only by default:
 * the worker role loads the face models (~0.5 GB, seconds); tests that need it pass VIGIL_ROLES.
 * A test that restarts the server passes its own `db` (and VIGIL_DATA_DIR): `stop()` then leaves
 * the database for the next start, and the test cleans it up.
 */
export async function startTestServer(env: NodeJS.ProcessEnv = {}, options: { db?: TestDatabase } = {}): Promise<TestServer> {
  const db = options.db ?? (await createTestDatabase());
  const config: VigilConfig = {
    ...loadConfig({ PORT: '0', VIGIL_HOST: '127.0.0.1', LOG_LEVEL: 'silent', VIGIL_ADMIN_TOKEN: TEST_ADMIN_TOKEN, VIGIL_ROLES: 'api', ...env }),
    database: db.config,
  };
  const server = await startServer(config);
  return {
    server,
    db,
    config,
    async api(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      const token = opts.token === undefined ? TEST_ADMIN_TOKEN : opts.token;
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (opts.raw !== undefined) {
        body = opts.raw;
        headers['content-type'] = 'application/json';
      } else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(`${server.url}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed };
    },
    async stop() {
      await server.close();
      if (!options.db) await db.cleanup();
    },
  };
}
