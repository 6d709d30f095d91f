import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_PEOPLE_SETTING } from '../../apps/server/src/ingest/demo-camera';
import { DEMO_PEOPLE } from '../../apps/server/src/ingest/demo-people';
import { until } from '../support/socket-client';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * The demo camera was created, then the process died before the demo people were enrolled (or
 * their enrolment failed). The next start must finish the job — and once it is done, a start after
 * an administrator deleted them must not bring them back.
 */
describe(`the demo people are enrolled by a later start when the first one did not finish (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 300_000 }, () => {
  let testDb: TestDatabase;
  let dataDir: string;
  let server: TestServer | null = null;

  // The demo is seeded by the worker role; one database and data folder across the restarts.
  const boot = async (demo: '0' | '1'): Promise<TestServer> =>
    (server = await startTestServer({ VIGIL_ROLES: 'api,worker', VIGIL_DEMO: demo, VIGIL_DATA_DIR: dataDir, VIGIL_INFERENCE_WORKERS: '1' }, { db: testDb }));
  const demoPeople = async (s: TestServer) =>
    ((await s.api('GET', '/api/persons?limit=50')).body.items as Array<{ id: string; name: string; referenceCount: number }>).filter((p) => DEMO_PEOPLE.some((d) => d.name === p.name));

  before(async () => {
    testDb = await createTestDatabase();
    dataDir = testDb.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vigil-demo-resume-'));
  });
  after(async () => {
    await server?.stop();
    await testDb?.cleanup();
    if (!testDb?.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes a pending demo, marks it done, and never re-seeds people an administrator deleted', async () => {
    // What the first start left: a camera (the demo's) and the people still owed.
    let s = await boot('0');
    assert.equal((await s.api('POST', '/api/cameras', { body: { name: 'Demo camera', url: 'rtsp://10.0.0.1/demo', enabled: false } })).status, 201);
    await s.server.database.repos.settings.set(DEMO_PEOPLE_SETTING, 'pending');
    await s.stop();

    s = await boot('1');
    const enrolled = await until('the demo people enrolled by the second start', 240_000, async () => {
      const people = await demoPeople(s);
      return people.length === DEMO_PEOPLE.length && people.every((p) => p.referenceCount > 0) ? people : undefined;
    }, 500);
    await until('the demo marked done', 10_000, async () => ((await s.server.database.repos.settings.get(DEMO_PEOPLE_SETTING)) === 'done' ? true : undefined));
    assert.equal((await s.api('GET', '/api/cameras')).body.total, 1, 'no second demo camera');

    for (const p of enrolled) assert.ok((await s.api('DELETE', `/api/persons/${p.id}`)).status < 300);
    await s.stop();

    s = await boot('1');
    await new Promise((r) => setTimeout(r, 3_000)); // what a start would have begun by now
    assert.deepEqual(await demoPeople(s), [], 'deleted demo people stay deleted');
    assert.equal(await s.server.database.repos.settings.get(DEMO_PEOPLE_SETTING), 'done');
  });
});
