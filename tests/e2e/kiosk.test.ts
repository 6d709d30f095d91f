import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Socket } from 'socket.io-client';
import type { AttendanceEvent } from '@vigil/contracts';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { connectSocket } from '../support/socket-client';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

let t: TestServer;
let kioskToken: string;
let socket: Socket;
const pushed: AttendanceEvent[] = [];

const ana = () => sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toBuffer();
const stranger = () => sharp(samplePhotoPath(6)).extract({ left: 560, top: 200, width: 420, height: 560 }).jpeg({ quality: 95 }).toBuffer();
const walt = () => sharp(samplePhotoPath(3)).extract({ left: 430, top: 170, width: 520, height: 600 }).jpeg({ quality: 95 }).toBuffer();

async function post(path: string, bytes: Buffer | null, token: string) {
  const form = new FormData();
  if (bytes) form.append('image', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'frame.jpg');
  const res = await fetch(`${t.server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function enrol(name: string, list: 'employee' | 'watchlist', photo: Buffer): Promise<string> {
  const id = (await t.api('POST', '/api/persons', { body: { name, list, ...(list === 'employee' ? { consent: { method: 'signed-form' } } : {}) } })).body.id as string;
  const res = await post(`/api/persons/${id}/faces`, photo, TEST_ADMIN_TOKEN);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return id;
}

describe('attendance kiosk (POST /api/kiosk/check) and the attendance report', { timeout: 240_000 }, () => {
  let anaId: string;

  before(async () => {
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1', VIGIL_TIMEZONE: 'Europe/Lisbon' });
    kioskToken = (await t.api('POST', '/api/tokens', { body: { name: 'Lobby kiosk', role: 'kiosk' } })).body.token;
    anaId = await enrol('Ana Silva', 'employee', await ana());
    await enrol('Walt Banned', 'watchlist', await walt());
    const security = (await t.api('POST', '/api/tokens', { body: { name: 'Desk', role: 'security' } })).body.token;
    socket = await connectSocket(t.server.url, { token: security }, (s) => s.on('attendance', (e: AttendanceEvent) => pushed.push(e)));
  });
  after(async () => {
    socket?.close();
    await t?.stop();
  });

  it('an enrolled employee is checked in once, then told it is already recorded', async () => {
    const first = await post('/api/kiosk/check', await ana(), kioskToken);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.decision, 'checked_in');
    assert.equal(first.body.person.name, 'Ana Silva');
    assert.match(first.body.message, /^Checked in, Ana Silva\./);
    const again = await post('/api/kiosk/check', await ana(), kioskToken);
    assert.equal(again.body.decision, 'already_recorded');
    assert.equal(again.body.reason, 'debounce');
    for (let i = 0; i < 50 && pushed.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(pushed.length, 1, 'one attendance event pushed');
    assert.equal(pushed[0]!.personId, anaId);
    assert.equal(pushed[0]!.kind, 'in');
  });

  it('explains why not: unknown face, no face, several faces', async () => {
    const unknown = await post('/api/kiosk/check', await stranger(), kioskToken);
    assert.equal(unknown.body.decision, 'not_recognised');
    const blank = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#777' } }).jpeg().toBuffer();
    assert.equal((await post('/api/kiosk/check', blank, kioskToken)).body.decision, 'no_face');
    assert.equal((await post('/api/kiosk/check', readFileSync(samplePhotoPath(2)), kioskToken)).body.decision, 'multiple_faces');
    const blurred = await sharp(await ana()).blur(3).jpeg().toBuffer();
    const retry = await post('/api/kiosk/check', blurred, kioskToken);
    assert.ok(['retry', 'no_face'].includes(retry.body.decision), JSON.stringify(retry.body));
    assert.equal((await post('/api/kiosk/check', null, kioskToken)).status, 400);
  });

  it('a watchlist person at the kiosk is not told so, but raises an alert', async () => {
    const res = await post('/api/kiosk/check', await walt(), kioskToken);
    assert.equal(res.body.decision, 'not_recognised');
    const alerts = (await t.api('GET', '/api/alerts?after=0')).body as Array<{ personName: string; cameraId: string | null }>;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.personName, 'Walt Banned');
    assert.equal(alerts[0]!.cameraId, null);
  });

  it('the day report lists the booking as JSON and CSV; kiosks cannot read it', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Lisbon', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const json = await t.api('GET', `/api/attendance?date=${today}`);
    assert.equal(json.status, 200);
    assert.equal(json.body.events.length, 1);
    assert.equal(json.body.report[0].personName, 'Ana Silva');
    assert.ok(json.body.report[0].firstIn);
    const csv = await fetch(`${t.server.url}/api/attendance?date=${today}&format=csv`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const text = await csv.text();
    assert.match(text, /^person_id,person_name,first_in,last_out,events\n/);
    assert.match(text, /"Ana Silva"/);
    assert.equal((await t.api('GET', '/api/attendance', { token: kioskToken })).status, 403);
    assert.equal((await t.api('GET', '/api/attendance?date=27-11-2026')).status, 400);
    assert.equal((await t.api('GET', `/api/attendance?date=${today}`, { token: kioskToken })).status, 403);
  });

  it('a kiosk token cannot enrol, label or manage cameras', async () => {
    assert.equal((await post(`/api/persons/${anaId}/faces`, await ana(), kioskToken)).status, 403);
    assert.equal((await t.api('POST', '/api/cameras', { token: kioskToken, body: { name: 'x', url: 'rtsp://a/b' } })).status, 403);
    assert.equal((await t.api('DELETE', `/api/persons/${anaId}`, { token: kioskToken })).status, 403);
  });
});
