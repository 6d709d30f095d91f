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

/** A sample of the server's Prometheus metrics, e.g. metric('vigil_inference_pool', 'stat="dropped"'). */
async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${t.server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function newKioskToken(name: string): Promise<string> {
  return (await t.api('POST', '/api/tokens', { body: { name, role: 'kiosk', liveness: 'off' } })).body.token as string;
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
    // Kiosk limits small enough to reach: 20 checks at once per token, then 1 a minute; one kiosk image waiting.
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1', VIGIL_TIMEZONE: 'Europe/Lisbon', VIGIL_KIOSK_BURST: '20', VIGIL_KIOSK_CHECKS_PER_MINUTE: '1', VIGIL_KIOSK_QUEUE_SIZE: '1' });
    kioskToken = (await t.api('POST', '/api/tokens', { body: { name: 'Lobby kiosk', role: 'kiosk', liveness: 'off' } })).body.token;
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

  it('a watchlist person at the kiosk is not told so, but raises one alert however many frames they send (the cameras\' cooldown)', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await post('/api/kiosk/check', await walt(), kioskToken);
      assert.deepEqual(res.body, { decision: 'not_recognised', message: 'Not recognised. Please ask at the front desk.' }, 'the same answer as a stranger');
    }
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

  it('a flood of kiosk frames waits in its own bounded lane: refused with 503 + Retry-After, never pushing a camera job out', async () => {
    const token = await newKioskToken('Flooding kiosk');
    const frame = await stranger();
    const dropped = await metric('vigil_inference_pool', 'stat="dropped"');
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const form = new FormData();
        form.append('image', new Blob([new Uint8Array(frame)], { type: 'image/jpeg' }), 'frame.jpg');
        const res = await fetch(`${t.server.url}/api/kiosk/check`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
      }),
    );
    for (const a of answers) {
      assert.ok(a.status === 200 || a.status === 503, JSON.stringify(a));
      if (a.status === 200) assert.equal(a.body.decision, 'not_recognised');
      else {
        assert.equal(a.retryAfter, '1');
        assert.match(a.body.message, /busy right now; try again in a moment/);
      }
    }
    const busy = answers.filter((a) => a.status === 503).length;
    // Kiosk images have their own lane: none was put in (or evicted from) the camera queue.
    assert.equal(await metric('vigil_inference_pool', 'stat="dropped"'), dropped);
    assert.equal(await metric('vigil_inference_pool', 'stat="refused"'), busy);
    assert.equal(await metric('vigil_kiosk_refused_total', 'reason="busy"'), busy);
  });

  it('a kiosk token over its rate is refused with 429 and Retry-After before any analysis; other kiosks are not affected', async () => {
    const fast = await newKioskToken('Fast kiosk');
    // Frames without an image are cheap (400) but still count: the limit is on checks, not on faces.
    for (let i = 0; i < 20; i++) assert.equal((await post('/api/kiosk/check', null, fast)).status, 400);
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await stranger())], { type: 'image/jpeg' }), 'frame.jpg');
    const processed = await metric('vigil_inference_pool', 'stat="processed"');
    const refused = await fetch(`${t.server.url}/api/kiosk/check`, { method: 'POST', headers: { authorization: `Bearer ${fast}` }, body: form });
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${String(refused.headers.get('retry-after'))}`);
    const body = (await refused.json()) as { message: string; details: { retryAfterSeconds: number } };
    assert.match(body.message, /sending checks too fast; try again in \d+ s\./);
    assert.equal(body.details.retryAfterSeconds, retryAfter);
    assert.equal(await metric('vigil_kiosk_refused_total', 'reason="rate_limited"'), 1);
    assert.equal(await metric('vigil_inference_pool', 'stat="processed"'), processed, 'nothing was analysed for it');
    assert.equal((await post('/api/kiosk/check', null, await newKioskToken('Calm kiosk'))).status, 400, 'another kiosk token has its own bucket');
  });

  it('a kiosk token cannot enrol, label or manage cameras', async () => {
    assert.equal((await post(`/api/persons/${anaId}/faces`, await ana(), kioskToken)).status, 403);
    assert.equal((await t.api('POST', '/api/cameras', { token: kioskToken, body: { name: 'x', url: 'rtsp://a/b' } })).status, 403);
    assert.equal((await t.api('DELETE', `/api/persons/${anaId}`, { token: kioskToken })).status, 403);
  });
});
