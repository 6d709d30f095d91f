import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Database } from '@vigil/persistence';
import { MediaStore } from '@vigil/gallery';
import { insertReviewedItem } from '../support/reviewed-items';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const BIN = path.resolve(__dirname, '../../../bin/vigil.js');

let testDb: TestDatabase;
let dataDir: string;
const outRoot = mkdtempSync(path.join(tmpdir(), 'vigil-export-out-'));
const ids: Record<string, string> = {};

/** 120×140 grey test images: noise (normal), a smooth ramp (no detail: blurred), dark and bright noise. */
async function image(kind: 'normal' | 'blurred' | 'dark' | 'bright', seed: number): Promise<Buffer> {
  const width = 120;
  const height = 140;
  const data = Buffer.alloc(width * height * 3);
  let s = seed + 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const base = { normal: 120, blurred: 0, dark: 15, bright: 240 }[kind];
  const spread = { normal: 90, blurred: 0, dark: 15, bright: 20 }[kind];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = kind === 'blurred' ? 60 + x : Math.max(0, Math.min(255, base + (rnd() - 0.5) * spread));
      data.fill(Math.round(v), (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

function vigil(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  if (testDb.config.kind === 'postgres') env.DATABASE_URL = testDb.config.url;
  else delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [BIN, 'export-dataset', ...args], { env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const read = (dir: string, file: string) => readFileSync(path.join(outRoot, dir, file), 'utf8');
const manifest = (dir: string) => JSON.parse(read(dir, 'manifest.json')) as { items: Array<{ itemId: string; class: string; split: string; file: string; label: string; quality: { flags: string[] } }> };

describe(`vigil export-dataset on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`, { timeout: 240_000 }, () => {
  before(async () => {
    testDb = await createTestDatabase();
    dataDir = testDb.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vigil-export-data-'));
    const db = await Database.open(testDb.config);
    try {
      const camera = await db.repos.cameras.create({ name: '=Lobby, east', url: 'rtsp://10.0.0.1/lobby' });
      const [reviewer] = (await db.dataSource.query(
        `INSERT INTO api_token (name, role, token_hash) VALUES ('Reviewer Rui', 'reviewer', decode(repeat('ab', 32), 'hex')) RETURNING id`,
      )) as Array<{ id: string }>;
      const who = { tokenId: reviewer!.id, name: 'Reviewer Rui' };
      for (const [name, list] of [['Ana', 'employee'], ['Bob', 'employee'], ['Eve', 'watchlist']] as const) {
        ids[name] = (await db.repos.persons.create({ name, list, consent: list === 'employee' ? { givenAt: new Date(), method: 'form', reference: null } : null })).id;
      }
      // 40 usable crops: Ana 20, Bob 16, Eve 2 (5 %), unknown strangers 2 (5 %).
      let n = 0;
      const add = async (candidate: string | null, label: 'TP' | 'TN', count: number, kinds: Array<'normal' | 'blurred' | 'dark' | 'bright'> = []) => {
        for (let i = 0; i < count; i++) {
          await insertReviewedItem(db, dataDir, {
            kind: candidate ? 'attendance' : 'unknown',
            cameraId: camera.id,
            candidatePersonId: candidate,
            crop: await image(kinds[i] ?? 'normal', n++),
            status: 'labelled',
            labels: [{ label, reviewer: who }],
            createdAt: new Date(Date.UTC(2025, 0, 1, 8, 0, n)),
          });
        }
      };
      await add(ids.Ana!, 'TP', 20, ['blurred', 'dark', 'bright']);
      await add(ids.Bob!, 'TP', 16);
      await add(ids.Eve!, 'TP', 2);
      await add(null, 'TN', 2);
      // Left out: reviewers who disagree, and a crop whose file is gone.
      const disputed = await insertReviewedItem(db, dataDir, { kind: 'attendance', cameraId: camera.id, candidatePersonId: ids.Bob!, crop: await image('normal', 99), status: 'labelled', labels: [{ label: 'TP', reviewer: who }] });
      await db.dataSource.query(`INSERT INTO review_label (item_id, reviewer_name, label, not_enrolled) VALUES ($1, 'Reviewer Rita', 'FP', true)`, [disputed.itemId]);
      const gone = await insertReviewedItem(db, dataDir, { kind: 'attendance', cameraId: camera.id, candidatePersonId: ids.Bob!, crop: await image('normal', 98), status: 'labelled', labels: [{ label: 'TP', reviewer: who }] });
      const [media] = (await db.dataSource.query(`SELECT path FROM media WHERE id = $1`, [gone.cropMediaId])) as Array<{ path: string }>;
      unlinkSync(new MediaStore(dataDir).resolve(media!.path)!);
    } finally {
      await db.close();
    }
  });
  after(async () => {
    await testDb?.cleanup();
    rmSync(outRoot, { recursive: true, force: true });
    if (!testDb?.dataDir && dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes crops, manifest (JSON + CSV) and report; flags the 5 % classes', () => {
    const r = vigil(['--out', path.join(outRoot, 'a'), '--split', '80:20', '--seed', '7']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Exported 40 reviewed crops/);
    assert.match(r.stdout, /WARNING: 2 class\(es\) under 10\.0 %/);
    assert.match(r.stdout, /Skipped: 1 disagreement, 1 crop missing\./);
    const report = JSON.parse(read('a', 'report.json'));
    assert.deepEqual(report.classBalance.overall.flagged.sort(), [ids.Eve, 'unknown'].sort());
    assert.deepEqual(report.classBalance.overall.classes.map((c: any) => [c.class, c.count]), [[ids.Ana, 20], [ids.Bob, 16], [ids.Eve, 2], ['unknown', 2]]);
    assert.deepEqual(report.quality, { images: 40, blurred: 1, dark: 1, washedOut: 1, ok: 37 });
    const m = manifest('a');
    assert.equal(m.items.length, 40);
    for (const item of m.items) {
      assert.equal(item.file, `images/${item.split}/${item.class}/${item.itemId}.jpg`);
      assert.ok(readFileSync(path.join(outRoot, 'a', item.file)).length > 0);
    }
    const csv = read('a', 'manifest.csv').trim().split('\n');
    assert.equal(csv[0], 'file,item_id,class,person_id,list,label,camera_id,camera_name,time,split,sharpness,mean_luminance,clipped_fraction,quality_flags');
    assert.equal(csv.length, 41);
    assert.ok(csv[1]!.includes(`,"'=Lobby, east",`), 'a camera name that looks like a formula is defused and quoted');
  });

  it('splits every class in proportion (stratified)', () => {
    const m = manifest('a');
    for (const [cls, n] of [[ids.Ana!, 20], [ids.Bob!, 16], [ids.Eve!, 2], ['unknown', 2]] as const) {
      const train = m.items.filter((i) => i.class === cls && i.split === 'train').length;
      assert.ok(train === Math.floor(n * 0.8) || train === Math.ceil(n * 0.8), `${cls}: ${train} of ${n} in train`);
    }
    const r = vigil(['--out', path.join(outRoot, 'c'), '--split', '60:20:20', '--seed', '7']);
    assert.equal(r.code, 0, r.stderr);
    const three = manifest('c');
    for (const [cls, n] of [[ids.Ana!, 20], [ids.Bob!, 16]] as const) {
      for (const [part, share] of [['train', 0.6], ['test', 0.2], ['validation', 0.2]] as const) {
        const got = three.items.filter((i) => i.class === cls && i.split === part).length;
        assert.ok(got === Math.floor(n * share) || got === Math.ceil(n * share), `${cls} ${part}: ${got} of ${n}`);
      }
    }
  });

  it('is reproducible: same data and seed → byte-identical manifests; another seed → another split', () => {
    const again = vigil(['--out', path.join(outRoot, 'b'), '--split', '80:20', '--seed', '7']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(read('b', 'manifest.json'), read('a', 'manifest.json'));
    assert.equal(read('b', 'manifest.csv'), read('a', 'manifest.csv'));
    assert.equal(read('b', 'report.json'), read('a', 'report.json'));
    const other = vigil(['--out', path.join(outRoot, 'd'), '--seed', '8']);
    assert.equal(other.code, 0, other.stderr);
    const split = (dir: string) => Object.fromEntries(manifest(dir).items.map((i) => [i.itemId, i.split]));
    assert.notDeepEqual(split('d'), split('a'));
  });

  it('records an audit event per export', async () => {
    const db = await Database.open(testDb.config);
    try {
      const rows = (await db.dataSource.query(`SELECT actor_role AS role, details FROM audit_event WHERE action = 'dataset.export'`)) as Array<{ role: string; details: any }>;
      assert.equal(rows.length, 4);
      assert.equal(rows[0]!.role, 'cli');
      const parts = rows[0]!.details.parts as Record<string, number>;
      assert.deepEqual(Object.keys(parts).sort(), ['test', 'train']);
      assert.equal(parts.train! + parts.test!, 40);
    } finally {
      await db.close();
    }
  });

  it('explains what to fix', () => {
    const noOut = vigil([]);
    assert.equal(noOut.code, 1);
    assert.match(noOut.stderr, /needs --out/);
    const badSplit = vigil(['--out', path.join(outRoot, 'e'), '--split', '70:20']);
    assert.equal(badSplit.code, 1);
    assert.match(badSplit.stderr, /must add up to 100/);
    const badSeed = vigil(['--out', path.join(outRoot, 'e'), '--seed', 'x']);
    assert.equal(badSeed.code, 1);
    assert.match(badSeed.stderr, /--seed must be a non-negative integer/);
    mkdirSync(path.join(outRoot, 'full'));
    writeFileSync(path.join(outRoot, 'full', 'keep.txt'), 'x');
    const notEmpty = vigil(['--out', path.join(outRoot, 'full')]);
    assert.equal(notEmpty.code, 1);
    assert.match(notEmpty.stderr, /is not empty/);
  });
});
