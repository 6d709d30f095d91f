// @engine-independent: the scan reads the gallery through repository queries (references with their list, persons, media) that tests/e2e run on both engines; what this file checks is the decoding, the recogniser and the reports.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Database } from '@vigil/persistence';
import { referencePhoto, SAMPLE5, SAMPLE6, type SampleFace } from '../support/face-crops';
import { queueClip, SPOT, type Shot } from '../support/queue-clips';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Issue #15, `vigil scan`: recorded footage through the live recogniser. The clip is a queue at one
 * spot: a stranger, then the watchlist person from second WATCHED_FROM, then someone else (also not
 * enrolled), each a camera-style crop (not the enrolment photo).
 */
const WATCHED = SAMPLE5[0]!;
const BEFORE = SAMPLE6[0]!;
const AFTER = SAMPLE6[2]!;
const SEGMENT_SECONDS = 2;
const WATCHED_FROM = SEGMENT_SECONDS;
const FPS = 2;
const alone = (face: SampleFace): Shot => ({ seconds: SEGMENT_SECONDS, people: [{ face, variant: 9, x: SPOT.centre }] });

const BIN = path.resolve(__dirname, '../../../bin/vigil.js');
const root = mkdtempSync(path.join(tmpdir(), 'vigil-scan-'));
let testDb: TestDatabase;
let dataDir: string;
let clip: string;

function vigil(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_TF_BACKEND: 'wasm', VIGIL_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  if (testDb.config.kind === 'postgres') env.DATABASE_URL = testDb.config.url;
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function stored(): Promise<{ media: number; references: number }> {
  const db = await Database.open(testDb.config);
  try {
    const [m] = (await db.dataSource.query('SELECT count(*)::int AS n FROM media')) as Array<{ n: number }>;
    const [r] = (await db.dataSource.query('SELECT count(*)::int AS n FROM face_reference')) as Array<{ n: number }>;
    return { media: m!.n, references: r!.n };
  } finally {
    await db.close();
  }
}

/** Every file under the data folder's media store. */
function mediaFiles(): string[] {
  const dir = path.join(dataDir, 'media');
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(path.join(dir, f)).isFile()) : [];
}

describe('vigil scan (recorded footage)', { timeout: 600_000 }, () => {
  before(async () => {
    testDb = await createTestDatabase();
    dataDir = testDb.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vigil-scan-data-'));
    clip = await queueClip('scan', [alone(BEFORE), alone(WATCHED), alone(AFTER)], 1);
    const photos = path.join(root, 'enrol', 'Walter Watch');
    mkdirSync(photos, { recursive: true });
    writeFileSync(path.join(photos, 'reference.jpg'), await referencePhoto(WATCHED));
    const enrolled = vigil(['enroll', '--dir', path.join(root, 'enrol'), '--list', 'watchlist']);
    assert.equal(enrolled.code, 0, enrolled.stderr);
  });
  after(async () => {
    await testDb?.cleanup();
    rmSync(root, { recursive: true, force: true });
    if (!testDb?.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the watchlist person at the second they appear; json, csv and html agree; strangers are only counted', async () => {
    const files = mediaFiles();
    assert.equal(files.length, 1, 'the enrolment photo');
    const out = path.join(root, 'report');
    const r = vigil(['scan', clip, '--list', 'watchlist', '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', '--quiet prints nothing');

    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    assert.equal(report.status, 'completed');
    assert.equal(report.analysisFps, FPS);
    assert.equal(report.files.length, 1);
    const file = report.files[0];
    assert.equal(file.status, 'ok');
    assert.equal(file.error, null);
    assert.equal(file.durationSeconds, 3 * SEGMENT_SECONDS);
    assert.equal(file.framesAnalysed, 3 * SEGMENT_SECONDS * FPS);
    assert.equal(file.tracks, 3, 'three people followed each other');
    assert.equal(file.matches, 1);
    assert.equal(file.strangers, 2, 'the two people not enrolled are counted as strangers');

    assert.equal(report.matches.length, 1, JSON.stringify(report.matches));
    const match = report.matches[0];
    assert.equal(match.name, 'Walter Watch');
    assert.equal(match.list, 'watchlist');
    assert.equal(match.file, clip);
    assert.ok(Math.abs(match.firstSeenSeconds - WATCHED_FROM) <= 1 / FPS, `first seen at ${match.firstSeenSeconds} s, appears at ${WATCHED_FROM} s`);
    assert.ok(match.lastSeenSeconds < 2 * SEGMENT_SECONDS, `last seen at ${match.lastSeenSeconds} s, leaves at ${2 * SEGMENT_SECONDS} s`);
    assert.ok(match.score > 0 && match.score <= 1);

    const csv = readFileSync(path.join(out, 'report.csv'), 'utf8').trimEnd().split('\r\n');
    assert.equal(csv.length, 2);
    const row = Object.fromEntries(csv[0]!.split(',').map((k, i) => [k, csv[1]!.split(',')[i]]));
    assert.deepEqual(
      { person: row.person, id: row.person_id, time: row.time, first: Number(row.first_seen_s), crop: row.crop },
      { person: match.name, id: match.personId, time: match.firstSeen, first: match.firstSeenSeconds, crop: match.crop },
    );

    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    assert.ok(html.includes('Walter Watch') && html.includes(match.firstSeen));
    assert.equal(html.match(/src="data:image\/jpeg;base64,/g)?.length, 2, 'the crop beside the enrolled photo');
    assert.deepEqual(readdirSync(path.join(out, 'crops')), ['match-0001.jpg'], 'a crop of the match only, none of a stranger');

    assert.deepEqual(await stored(), { media: 1, references: 1 }, 'only the enrolment photo and its reference: nothing of the scan stored in the database');
    assert.deepEqual(mediaFiles(), files, 'nothing written to the media store');
  });

  it('names a truncated file and a non-video as failed, exits 1, and reports nothing of them as complete', () => {
    const bad = path.join(root, 'bad');
    mkdirSync(bad);
    const size = statSync(clip).size;
    // Cut in half as copied (index at the end: unreadable) and as recorded for streaming (index first: plays, then stops).
    writeFileSync(path.join(bad, 'cut.mp4'), readFileSync(clip).subarray(0, size / 2));
    const streamable = path.join(root, 'streamable.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', clip, '-c', 'copy', '-movflags', '+faststart', streamable]);
    writeFileSync(path.join(bad, 'cut-streamable.mp4'), readFileSync(streamable).subarray(0, statSync(streamable).size / 2));
    writeFileSync(path.join(bad, 'notes.mp4'), 'met at the gate on Tuesday\n');
    const out = path.join(root, 'bad-report');

    // One frame a second: what is checked here is how files fail, not who is in them.
    const r = vigil(['scan', bad, '--out', out, '--quiet', '--json', '--fps', '1']);
    assert.equal(r.code, 1, r.stderr);
    const printed = JSON.parse(r.stdout);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    assert.deepEqual(printed.files, report.files);
    assert.equal(report.status, 'completed_with_errors');
    const byName = Object.fromEntries(report.files.map((f: any) => [path.basename(f.file), f]));
    assert.deepEqual(Object.keys(byName).sort(), ['cut-streamable.mp4', 'cut.mp4', 'notes.mp4']);
    for (const [name, f] of Object.entries<any>(byName)) {
      assert.equal(f.status, 'failed', name);
      assert.ok(f.error.includes(path.join(bad, name)), `${name}: ${f.error}`);
      assert.ok(r.stderr.includes(f.error), `stderr names ${name}`);
    }
    assert.match(byName['cut.mp4'].error, /is truncated/);
    assert.match(byName['cut-streamable.mp4'].error, /is truncated: only 00:00:0\d\.\d of 00:00:06\.0 decoded/);
    assert.ok(byName['cut-streamable.mp4'].analysedSeconds < byName['cut-streamable.mp4'].durationSeconds);
    assert.match(byName['notes.mp4'].error, /is not a video or image ffprobe can read/);
    assert.match(readFileSync(path.join(out, 'report.html'), 'utf8'), /completed with errors: 3 file\(s\) failed/);
  });
});
