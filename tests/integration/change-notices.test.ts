import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeChannel, ChangeListener, Database } from '@vigil/persistence';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const onPostgres = Boolean(process.env.DATABASE_URL);
let testDb: TestDatabase;
let writer: Database;
/** On PostgreSQL a second handle, as another process would hold; the embedded database has one. */
let reader: Database;
let listener: ChangeListener;
const heard: ChangeChannel[] = [];

async function heardOf(channel: ChangeChannel, count = 1): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (heard.filter((c) => c === channel).length < count) {
    if (Date.now() > deadline) assert.fail(`no ${channel} notice within 10 s (heard ${JSON.stringify(heard)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`database change notices on ${onPostgres ? 'PostgreSQL' : 'embedded PGlite'}`, { timeout: 120_000 }, () => {
  before(async () => {
    testDb = await createTestDatabase();
    writer = await Database.open(testDb.config);
    reader = onPostgres ? await Database.open(testDb.config, { migrate: false }) : writer;
    listener = await reader.listen(['vigil_gallery', 'vigil_alert', 'vigil_attendance', 'vigil_camera_event'], (c) => heard.push(c), () => undefined);
  });
  after(async () => {
    await listener?.close();
    if (reader !== writer) await reader?.close();
    await writer?.close();
    await testDb?.cleanup();
  });

  it('a committed reference bumps the gallery revision and notifies; a rolled-back one does neither', async () => {
    const person = await writer.repos.persons.create({ name: 'Rev Person', list: 'watchlist' });
    const before = await reader.repos.faceReferences.galleryStamp();
    heard.length = 0;
    await assert.rejects(
      writer.transaction(async (repos) => {
        await repos.faceReferences.insert({ personId: person.id, embedding: new Float32Array(128).fill(0.1), modelId: 'm', source: 'upload', galleryVersion: await repos.faceReferences.nextGalleryVersion() });
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await reader.repos.faceReferences.galleryStamp(), before);
    assert.deepEqual(heard, []);

    await writer.transaction(async (repos) => {
      await repos.faceReferences.insert({ personId: person.id, embedding: new Float32Array(128).fill(0.1), modelId: 'm', source: 'upload', galleryVersion: await repos.faceReferences.nextGalleryVersion() });
    });
    await heardOf('vigil_gallery');
    assert.notEqual(await reader.repos.faceReferences.galleryStamp(), before);
  });

  it('moving a person to the other list changes the gallery revision (the index holds the list)', async () => {
    const person = await writer.repos.persons.create({ name: 'List Mover', list: 'watchlist' });
    const before = await reader.repos.faceReferences.galleryStamp();
    await writer.dataSource.query(`UPDATE person SET list = 'employee' WHERE id = $1`, [person.id]);
    assert.notEqual(await reader.repos.faceReferences.galleryStamp(), before);
  });

  it('a committed alert notifies the alert channel', async () => {
    heard.length = 0;
    const person = await writer.repos.persons.create({ name: 'Alert Notice', list: 'watchlist' });
    await writer.transaction((repos) => repos.alerts.raise({ cameraId: null, personId: person.id, list: 'watchlist', score: 0.9 }));
    await heardOf('vigil_alert');
  });

  if (onPostgres) {
    it('after its connection is killed the listener reconnects, says "read everything again", and hears new notices', async () => {
      heard.length = 0;
      await writer.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vigil-listen' AND datname = current_database()`);
      for (const channel of ['vigil_gallery', 'vigil_alert', 'vigil_attendance', 'vigil_camera_event'] as const) await heardOf(channel);
      heard.length = 0;
      const person = await writer.repos.persons.create({ name: 'After Reconnect', list: 'watchlist' });
      await writer.transaction((repos) => repos.alerts.raise({ cameraId: null, personId: person.id, list: 'watchlist', score: 0.9 }));
      await heardOf('vigil_alert');
    });
  }
});
