// @engine-independent: the demo is npm start's embedded default; what it writes (people, references, alerts, attendance) goes through repositories that recognition, enrolment, alerts and kiosk e2e files run on both engines. Its 60 s cooldown wait is the longest idle stretch of the PostgreSQL pass.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import type { AlertEvent, AttendanceEvent, CameraView, PersonView } from '@vigil/contracts';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { connectSocket, until } from '../support/socket-client';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * What a newcomer gets from `npm start` on a fresh data folder: the demo camera playing the clip
 * of face-api's sample photos, one watchlist and one employee demo person enrolled from faces in
 * that clip, and therefore a watchlist alert and an attendance `in` on a dashboard socket — and,
 * because the clip loops, a new alert for the same person once the 60 s cooldown has passed.
 */
describe('first start with the demo: camera, two demo people, alert and attendance pushed', { timeout: 480_000 }, () => {
  let testDb: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let socket: Socket | undefined;

  before(async () => {
    testDb = await createTestDatabase();
    dataDir = testDb.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vigil-demo-data-'));
  });
  after(async () => {
    socket?.close();
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await testDb?.cleanup();
    if (!testDb?.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the running demo raises an alert for the demo watchlist person and books the demo employee in', async () => {
    const env: NodeJS.ProcessEnv = { VIGIL_DATA_DIR: dataDir, VIGIL_DEMO: '1' };
    if (testDb.config.kind === 'postgres') env.DATABASE_URL = testDb.config.url;
    server = spawnServer(env);
    const url = await server.ready;
    const started = Date.now();
    const since = () => `${Math.round((Date.now() - started) / 1000)} s after the server listened`;
    const token = /admin token \(shown only this once, store it now\): (vgl_\S+)/.exec(server.output())![1]!;
    const api = async <T>(p: string): Promise<T> => {
      const res = await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, p);
      return (await res.json()) as T;
    };
    // Seeding runs in the background: the server answers at once.
    assert.equal((await fetch(`${url}/api/health`)).status, 200);

    const alerts: AlertEvent[] = [];
    const attendance: AttendanceEvent[] = [];
    socket = await connectSocket(url, { token, offset: 0 }, (s) => {
      s.on('alert', (a: AlertEvent, ack?: () => void) => {
        ack?.();
        alerts.push(a);
      });
      s.on('attendance', (e: AttendanceEvent) => attendance.push(e));
    });

    const people = await until('both demo people enrolled', 240_000, async () => {
      const page = await api<{ items: PersonView[] }>('/api/persons?limit=10');
      return page.items.length === 2 && page.items.every((p) => p.referenceCount === 1) ? page.items : undefined;
    }, 1000);
    console.log(`demo people enrolled ${since()}`);
    const watch = people.find((p) => p.list === 'watchlist')!;
    const employee = people.find((p) => p.list === 'employee')!;
    assert.ok(watch && employee, JSON.stringify(people));
    assert.equal(employee.consent?.method, 'demo', 'the demo employee has a consent record');
    assert.equal(watch.consent, null);
    const camera = (await api<{ items: CameraView[] }>('/api/cameras')).items.find((c) => c.name === 'Demo camera')!;
    assert.ok(camera, 'the demo camera is registered');

    const alert = await until('an alert for the demo watchlist person', 180_000, () => alerts.find((a) => a.personId === watch.id), 500);
    console.log(`first alert ${since()}`);
    assert.equal(alert.cameraId, camera.id);
    assert.equal(alert.personName, watch.name);
    const checkIn = await until('an attendance event for the demo employee', 120_000, () => attendance.find((e) => e.personId === employee.id), 500);
    console.log(`attendance ${since()}`);
    assert.equal(checkIn.kind, 'in');
    assert.equal(checkIn.cameraId, camera.id);
    assert.equal(alerts.filter((a) => a.personId === employee.id).length, 0, 'an employee never raises an alert');

    // The clip (30 s) loops: after the 60 s cooldown the same person raises a new alert.
    const second = await until('a second alert once the cooldown has passed', 150_000, () => alerts.find((a) => a.personId === watch.id && a.id !== alert.id), 1000);
    console.log(`second alert ${since()}`);
    assert.ok(Date.parse(second.at) - Date.parse(alert.at) >= 60_000, `${alert.at} → ${second.at}`);
    const still = (await api<CameraView>(`/api/cameras/${camera.id}`)).status;
    assert.equal(still, 'online');

    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0, server.output());
  });
});
