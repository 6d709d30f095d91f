import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { Socket } from 'socket.io-client';
import type { AlertEvent, AttendanceEvent } from '@vigil/contracts';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { connectSocket, until } from '../support/socket-client';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-recog-'));
let t: TestServer;
let socket: Socket;
const alerts: AlertEvent[] = [];
const attendance: AttendanceEvent[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A still picture of one face as a looping camera clip (what a person standing at a door looks like). */
function faceClip(name: string, jpeg: string): string {
  const out = path.join(dir, `${name}.mp4`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', jpeg, '-t', '6', '-r', '25',
    '-vf', 'scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2', '-c:v', 'libx264', '-preset', 'ultrafast',
    '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', out]);
  return out;
}

describe('a watchlist person seen by a camera becomes one pushed alert; a stranger leaves nothing', { timeout: 300_000 }, () => {
  let walterJpeg: string;
  let strangerClip: string;
  let strangerJpeg: string;
  let walterClip: string;
  let walterId: string;

  before(async () => {
    walterJpeg = path.join(dir, 'walter.jpg');
    await sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toFile(walterJpeg);
    strangerJpeg = path.join(dir, 'stranger.jpg');
    await sharp(samplePhotoPath(6)).extract({ left: 560, top: 200, width: 420, height: 560 }).jpeg({ quality: 95 }).toFile(strangerJpeg);
    walterClip = faceClip('walter', walterJpeg);
    strangerClip = faceClip('stranger', strangerJpeg);
    t = await startTestServer({ VIGIL_ROLES: 'api,worker', VIGIL_DEMO: '0', VIGIL_INFERENCE_WORKERS: '1', VIGIL_ALLOW_FILE_URLS: '1' });
    await until('inference ready', 120_000, async () => ((await t.api('GET', '/api/health')).body.inference.status === 'ready' ? true : undefined));
    walterId = (await t.api('POST', '/api/persons', { body: { name: 'Watch Walter', list: 'watchlist' } })).body.id;
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await sharp(walterJpeg).toBuffer())], { type: 'image/jpeg' }), 'walter.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${walterId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());
    const security = (await t.api('POST', '/api/tokens', { body: { name: 'Desk', role: 'security' } })).body.token;
    socket = await connectSocket(t.server.url, { token: security, offset: 0 }, (s) => {
      s.on('attendance', (e: AttendanceEvent) => attendance.push(e));
      s.on('alert', (a: AlertEvent, ack: () => void) => {
        ack();
        alerts.push(a);
      });
    });
  });
  after(async () => {
    socket?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stranger at the door: no alert, no stored embedding', async () => {
    const cam = await t.api('POST', '/api/cameras', { body: { name: 'Side door', url: pathToFileURL(strangerClip).toString(), settings: { motionSensitivity: 1 } } });
    assert.equal(cam.status, 201, JSON.stringify(cam.body));
    await until('side door online', 30_000, async () => ((await t.api('GET', `/api/cameras/${cam.body.id}`)).body.status === 'online' ? true : undefined));
    await sleep(12_000); // several analysed frames and track votes
    assert.equal(alerts.length, 0, JSON.stringify(alerts));
    const [refs] = (await t.server.database.dataSource.query('SELECT count(*)::int AS n FROM face_reference')) as Array<{ n: number }>;
    assert.equal(refs!.n, 1, 'only the enrolled reference exists');
    const [kept] = (await t.server.database.dataSource.query(
      `SELECT (SELECT count(*) FROM track)::int AS tracks, (SELECT count(*) FROM sighting)::int AS sightings`,
    )) as Array<{ tracks: number; sightings: number }>;
    assert.deepEqual(kept, { tracks: 0, sightings: 0 }, 'a stranger leaves no track or sighting');
    // The only image a stranger may leave is a crop the seeded review sample drew: owned by nobody,
    // expiring, and behind an unknown/sample review item.
    const images = (await t.server.database.dataSource.query(
      `SELECT m.kind, m.person_id AS "personId", m.expires_at IS NOT NULL AS expires, i.kind AS "itemKind"
         FROM media m LEFT JOIN review_item i ON i.crop_media_id = m.id WHERE m.kind <> 'reference'`,
    )) as Array<{ kind: string; personId: string | null; expires: boolean; itemKind: string | null }>;
    for (const image of images) {
      assert.deepEqual({ kind: image.kind, personId: image.personId, expires: image.expires }, { kind: 'crop', personId: null, expires: true }, JSON.stringify(image));
      assert.ok(image.itemKind === 'unknown' || image.itemKind === 'sample', JSON.stringify(image));
    }
    await t.api('DELETE', `/api/cameras/${cam.body.id}`);
  });

  it('the enrolled watchlist person: one alert, pushed after commit, with crop and frame that load', async () => {
    const cam = await t.api('POST', '/api/cameras', { body: { name: 'Entrance', url: pathToFileURL(walterClip).toString(), settings: { motionSensitivity: 1 } } });
    const alert = await until('alert pushed', 90_000, () => alerts.find((a) => a.cameraId === cam.body.id));
    assert.equal(alert.personId, walterId);
    assert.equal(alert.personName, 'Watch Walter');
    assert.equal(alert.list, 'watchlist');
    assert.ok(alert.score >= 0.5, `score ${alert.score}`);
    const stored = (await t.api('GET', '/api/alerts?after=0')).body as AlertEvent[];
    assert.ok(stored.some((a) => a.id === alert.id), 'the pushed alert is in the database');
    for (const url of [alert.cropUrl, alert.frameUrl]) {
      assert.ok(url);
      const img = await fetch(`${t.server.url}${url}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      assert.equal(img.status, 200);
      assert.equal(img.headers.get('content-type'), 'image/jpeg');
      assert.ok((await img.arrayBuffer()).byteLength > 1000);
    }
    assert.ok(alert.trackId, 'the alert names its track');
    const [evidence] = (await t.server.database.dataSource.query(
      `SELECT t.decision, t.person_id AS "personId", t.sightings_count AS sightings, s.crop_media_id AS crop, a.sighting_id AS "sightingId", s.id AS sid
         FROM alert a JOIN track t ON t.id = a.track_id JOIN sighting s ON s.track_id = t.id WHERE a.id = $1`,
      [alert.id],
    )) as Array<{ decision: string; personId: string; sightings: number; crop: string; sightingId: string; sid: string }>;
    assert.ok(evidence, 'track and sighting rows committed with the alert');
    assert.equal(evidence.decision, 'match');
    assert.equal(evidence.personId, walterId);
    assert.ok(evidence.sightings >= 3, `decided by a vote over ${evidence.sightings} sightings`);
    assert.equal(evidence.sightingId, evidence.sid);
    assert.equal(`/api/media/${evidence.crop}`, alert.cropUrl);
    await sleep(8_000); // the same person keeps standing there: no second alert (one per track, cooldown)
    assert.equal(alerts.filter((a) => a.personId === walterId).length, 1);
  });

  it('an enrolled employee seen by a camera is checked in once, pushed as attendance', async () => {
    const id = (await t.api('POST', '/api/persons', { body: { name: 'Employee Emma', list: 'employee', consent: { method: 'signed-form' } } })).body.id;
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await sharp(strangerJpeg).toBuffer())], { type: 'image/jpeg' }), 'emma.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${id}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());
    const cam = await t.api('POST', '/api/cameras', { body: { name: 'Staff door', url: pathToFileURL(strangerClip).toString(), settings: { motionSensitivity: 1 } } });
    const event = await until('attendance pushed', 90_000, () => attendance.find((e) => e.personId === id));
    assert.equal(event.kind, 'in');
    assert.equal(event.cameraId, cam.body.id);
    assert.equal(event.personName, 'Employee Emma');
    const [booked] = (await t.server.database.dataSource.query(
      `SELECT t.person_id AS "personId", t.decision FROM attendance_event e JOIN track t ON t.id = e.track_id JOIN sighting s ON s.id = e.sighting_id WHERE e.id = $1`,
      [event.id],
    )) as Array<{ personId: string; decision: string }>;
    assert.deepEqual(booked, { personId: id, decision: 'match' }, 'the booking names its track and sighting');
    await sleep(6_000);
    assert.equal(attendance.filter((e) => e.personId === id).length, 1, 'debounced: one check-in while she stands there');
    assert.equal(alerts.filter((a) => a.personId === id).length, 0, 'employees never raise alerts');
  });
});
