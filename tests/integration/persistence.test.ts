import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ConflictError } from '@vigil/domain';
import { Database, decodeEmbedding } from '@vigil/persistence';
import { MIGRATIONS } from '../../migrations';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const OUR_TABLES = [
  'alert', 'api_token', 'app_user', 'attendance_event', 'audit_event', 'camera', 'camera_event', 'camera_lease', 'face_reference', 'gallery_state', 'kiosk_challenge', 'media',
  'model_version', 'person', 'person_tombstone', 'refresh_run', 'review_item', 'review_label', 'scan_job', 'setting', 'setup_code', 'sighting', 'track', 'user_session', 'worker_node',
];

async function tables(db: Database): Promise<string[]> {
  const rows = (await db.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  )) as Array<{ table_name: string }>;
  return rows.map((r) => r.table_name).filter((t) => t !== 'schema_migration');
}

let testDb: TestDatabase;
let db: Database;

describe(`persistence on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`, { timeout: 180_000 }, () => {
  before(async () => {
    testDb = await createTestDatabase();
    db = await Database.open(testDb.config);
  });
  after(async () => {
    await db?.close();
    await testDb?.cleanup();
  });

  it('lists every migration file in migrations/index.ts, in timestamp order', () => {
    const dir = path.resolve(__dirname, '../../../migrations');
    const files = readdirSync(dir).filter((f) => /^\d{13}-[A-Z][A-Za-z]+\.ts$/.test(f)).sort();
    assert.ok(files.length > 0, `no migration sources in ${dir}`);
    const expected = files.map((f) => {
      const [, ms, name] = /^(\d{13})-([A-Za-z]+)\.ts$/.exec(f)!;
      return `${name}${ms}`;
    });
    assert.deepEqual(MIGRATIONS.map((m) => m.name), expected);
  });

  it('migrates up, down and up again', async () => {
    assert.deepEqual(await tables(db), OUR_TABLES);
    for (let i = 0; i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration({ transaction: 'each' });
    assert.deepEqual(await tables(db), []);
    const applied = await db.runMigrations();
    assert.equal(applied.length, MIGRATIONS.length);
    assert.deepEqual(await tables(db), OUR_TABLES);
    assert.deepEqual(await db.runMigrations(), [], 'a second run applies nothing');
  });

  it('isolates concurrent transactions: a rollback loses only its own writes', async () => {
    let seenByB: number | undefined;
    const a = db.transaction(async (repos) => {
      await repos.persons.create({ name: 'Rolled Back', list: 'watchlist' });
      await new Promise((r) => setTimeout(r, 100));
      throw new Error('abort A');
    });
    const b = db.transaction(async (repos) => {
      await repos.persons.create({ name: 'Committed', list: 'watchlist' });
      seenByB = (await repos.persons.list({ search: 'Rolled Back', limit: 10, offset: 0 })).total;
    });
    const [ra, rb] = await Promise.allSettled([a, b]);
    assert.equal(ra.status, 'rejected');
    assert.equal(rb.status, 'fulfilled');
    assert.equal(seenByB, 0, 'B never sees A\'s uncommitted row');
    const names = (await db.repos.persons.list({ limit: 100, offset: 0 })).items.map((p) => p.name);
    assert.ok(names.includes('Committed'));
    assert.ok(!names.includes('Rolled Back'));
  });

  it('turns a unique violation into a ConflictError (case-insensitive names, per list)', async () => {
    await db.repos.persons.create({ name: 'Dup Person', list: 'employee' });
    await assert.rejects(db.repos.persons.create({ name: 'dup person', list: 'employee' }), ConflictError);
    await db.repos.persons.create({ name: 'Dup Person', list: 'watchlist' });
    await db.repos.cameras.create({ name: 'Gate', url: 'rtsp://10.0.0.1/s' });
    await assert.rejects(db.repos.cameras.create({ name: 'GATE', url: 'rtsp://10.0.0.2/s' }), ConflictError);
  });

  it('a failed statement inside a transaction rolls back the whole transaction', async () => {
    await assert.rejects(
      db.transaction(async (repos) => {
        await repos.cameras.create({ name: 'Partial', url: 'rtsp://10.0.0.3/s' });
        await repos.cameras.create({ name: 'partial', url: 'rtsp://10.0.0.4/s' });
      }),
      ConflictError,
    );
    const { items } = await db.repos.cameras.list(100, 0);
    assert.ok(!items.some((c) => c.name === 'Partial'));
  });

  it('stores embeddings as bytea and reads them back bit-exactly', async () => {
    const person = await db.repos.persons.create({ name: 'Bytea Person', list: 'watchlist' });
    const embedding = new Float32Array(128);
    for (let i = 0; i < embedding.length; i++) embedding[i] = Math.fround(Math.sin(i * 12.9898) * 43758.5453) % 1;
    embedding[0] = -0;
    embedding[1] = 1.401298464324817e-45; // smallest subnormal
    embedding[2] = 3.4028234663852886e38;
    const version = await db.repos.faceReferences.nextGalleryVersion();
    const id = await db.repos.faceReferences.insert({ personId: person.id, embedding, modelId: 'test-model', source: 'upload', galleryVersion: version });
    const [stored] = (await db.repos.faceReferences.current('test-model')).filter((r) => r.id === id);
    assert.ok(stored);
    assert.deepEqual(Buffer.from(stored.embedding.buffer), Buffer.from(embedding.buffer));
    const [raw] = (await db.dataSource.query('SELECT octet_length(embedding) AS n, embedding FROM face_reference WHERE id = $1', [id])) as Array<{ n: number; embedding: Buffer }>;
    assert.equal(Number(raw!.n), 512);
    assert.ok(Buffer.isBuffer(raw!.embedding), 'the driver returns bytea as a Buffer');
    assert.deepEqual(decodeEmbedding(raw!.embedding), embedding);
    assert.equal((await db.repos.persons.findById(person.id))!.referenceCount, 1);
  });

  it('keeps the audit trail append-only', async () => {
    await db.repos.audit.append({ tokenId: null, name: 'test', role: 'system' }, { action: 'test.event', objectType: 'test', objectId: 'x' });
    await assert.rejects(db.dataSource.query(`UPDATE audit_event SET action = 'changed'`), /append-only/);
    await assert.rejects(db.dataSource.query(`DELETE FROM audit_event`), /append-only/);
    await assert.rejects(db.dataSource.query(`TRUNCATE audit_event`), /append-only/);
    const rows = await db.repos.audit.forObject('test', 'x');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.action, 'test.event');
  });

  it('enforces domain rules in the schema too', async () => {
    await assert.rejects(
      db.dataSource.query(`INSERT INTO person (name, list, consent_given_at, consent_method) VALUES ('W', 'watchlist', now(), 'form')`),
      /person_consent_employees_only/,
    );
    await assert.rejects(db.dataSource.query(`INSERT INTO person (name, list) VALUES ('V', 'visitor')`), /check constraint/);
    await assert.rejects(db.dataSource.query(`INSERT INTO media (kind, path, content_type, bytes) VALUES ('crop', '../etc/passwd', 'image/jpeg', 1)`), /check constraint/);
  });

  it('draws alert seq values that only grow', async () => {
    const cam = await db.repos.cameras.create({ name: 'Seq cam', url: 'rtsp://10.0.0.9/s' });
    const seqs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [row] = (await db.dataSource.query(`INSERT INTO alert (camera_id, list, score) VALUES ($1, 'watchlist', 0.9) RETURNING seq::text AS seq`, [cam.id])) as Array<{ seq: string }>;
      seqs.push(row!.seq);
    }
    assert.deepEqual(seqs.map(BigInt), [...seqs.map(BigInt)].sort((x, y) => (x < y ? -1 : 1)));
    assert.equal(new Set(seqs).size, 3);
  });

  it('reads a bounded replay window (newest first) and counts what it leaves out, up to a cap', async () => {
    const cam = await db.repos.cameras.create({ name: 'Replay cam', url: 'rtsp://10.0.0.9/r' });
    const base = await db.repos.alerts.lastSeq();
    const seqs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [row] = (await db.dataSource.query(`INSERT INTO alert (camera_id, list, score) VALUES ($1, 'watchlist', 0.9) RETURNING seq::text AS seq`, [cam.id])) as Array<{ seq: string }>;
      seqs.push(row!.seq);
    }
    assert.deepEqual((await db.repos.alerts.newestAfter(base, 3)).map((a) => a.seq), [seqs[4], seqs[3], seqs[2]]);
    assert.deepEqual((await db.repos.alerts.newestAfter(seqs[3]!, 3)).map((a) => a.seq), [seqs[4]]);
    assert.equal(await db.repos.alerts.countBetween(base, seqs[2]!, 10), 3, 'after < seq <= through');
    assert.equal(await db.repos.alerts.countBetween(base, seqs[2]!, 2), 2, 'stops at the cap');
    assert.equal(await db.repos.alerts.countBetween(seqs[2]!, seqs[2]!, 10), 0);
  });
});
