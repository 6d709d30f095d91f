import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { livenessPhoto, type LivenessPhoto } from '../support/liveness-fixtures';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';
import { PLANAR_WARPS, warpPhoto } from '../support/warp';

/**
 * The kiosk's liveness challenge end to end (one server boot): LFW photos of one person at
 * increasing yaw (tests/fixtures/liveness) stand in for a head turning; the attacks are one photo
 * repeated, warped copies of it, a second person mid-challenge and replayed/expired/foreign nonces.
 */
let t: TestServer;
let kiosk: string;
let kioskId: string;
let colinId: string;

type Challenge = { nonce: string; action: 'turn_left' | 'turn_right'; prompt: string; expiresAt: string; frames: number; captureMs: number };

async function challenge(token: string): Promise<Challenge> {
  const res = await t.api('POST', '/api/kiosk/challenge', { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Challenge;
}

async function check(token: string, frames: Buffer[], nonce?: string) {
  const form = new FormData();
  if (nonce) form.append('nonce', nonce);
  for (const [i, f] of frames.entries()) form.append('image', new Blob([new Uint8Array(f)], { type: 'image/jpeg' }), `frame-${i}.jpg`);
  const res = await fetch(`${t.server.url}/api/kiosk/check`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

/** A real turn the way the challenge asked: frontal, then two photos turned further that way. */
const turnAsAsked = (c: Challenge): Buffer[] =>
  (c.action === 'turn_left' ? ['colin-frontal', 'colin-left-19', 'colin-left-28'] : ['colin-frontal', 'colin-right-22', 'colin-right-29']).map((n) => livenessPhoto(n as LivenessPhoto));

async function attendanceEvents(): Promise<number> {
  const rows = (await t.server.database.dataSource.query('SELECT count(*)::int AS n FROM attendance_event')) as Array<{ n: number }>;
  return rows[0]!.n;
}

describe('kiosk liveness: the server books only after a real head turn', { timeout: 240_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1', VIGIL_KIOSK_BURST: '100' });
    const minted = await t.api('POST', '/api/tokens', { body: { name: 'Lobby kiosk', role: 'kiosk' } });
    assert.equal(minted.body.liveness, 'required', 'a new kiosk token asks for liveness unless told otherwise');
    kiosk = minted.body.token;
    kioskId = minted.body.id;
    colinId = (await t.api('POST', '/api/persons', { body: { name: 'Colin Powell', list: 'employee', consent: { method: 'signed-form' } } })).body.id;
    const enrolPhoto = await sharp(livenessPhoto('colin-enrol')).resize(500, 500).jpeg({ quality: 95 }).toBuffer();
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(enrolPhoto)], { type: 'image/jpeg' }), 'colin.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${colinId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());
  });
  after(async () => {
    await t?.stop();
  });

  it('a challenge names a random side, a large-text prompt, a short expiry', async () => {
    const c = await challenge(kiosk);
    assert.ok(['turn_left', 'turn_right'].includes(c.action));
    assert.match(c.prompt, /^Turn your head to your (LEFT|RIGHT)$/);
    assert.ok(c.frames >= 3 && c.captureMs > 0);
    const ttl = Date.parse(c.expiresAt) - Date.now();
    assert.ok(ttl > 0 && ttl <= 16_000, `expires in ${ttl} ms`);
    assert.ok(c.nonce.length >= 40);
  });

  it('one frame without a nonce from a liveness kiosk only says: run the challenge; nothing booked', async () => {
    const res = await check(kiosk, [livenessPhoto('colin-frontal')]);
    assert.equal(res.status, 200);
    assert.equal(res.body.decision, 'liveness_required');
    assert.match(res.body.message, /must run the liveness challenge/);
    assert.equal(res.body.person, undefined);
    assert.equal(await attendanceEvents(), 0);
    assert.equal((await check(kiosk, [livenessPhoto('colin-frontal'), livenessPhoto('colin-left-19')])).status, 400, 'several frames need a nonce');
  });

  it('the same photo repeated is not a live person: not_live, nothing booked', async () => {
    const c = await challenge(kiosk);
    const res = await check(kiosk, [0, 1, 2].map(() => livenessPhoto('colin-frontal')), c.nonce);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.decision, 'not_live');
    assert.equal(res.body.message, 'Could not confirm a live person — please try again and turn your head as shown.');
    assert.equal(res.body.person, undefined);
    assert.equal(await attendanceEvents(), 0);
  });

  it('warped copies of the photo (tilted, sheared, rotated print) are not a live person', async () => {
    const c = await challenge(kiosk);
    const photo = livenessPhoto('colin-frontal');
    // Every such sequence is refused in the domain spec (392 of them); here one per direction, end to end.
    const warps = c.action === 'turn_left' ? ['tilt −45° about vertical, near', 'tilt 45° about vertical, near'] : ['tilt 45° about vertical, near', 'tilt −45° about vertical, near'];
    const frames = [photo, ...(await Promise.all(warps.map((w) => warpPhoto(photo, PLANAR_WARPS[w]!))))];
    const res = await check(kiosk, frames, c.nonce);
    assert.equal(res.body.decision, 'not_live', JSON.stringify(res.body));
    assert.equal(await attendanceEvents(), 0);
  });

  it('a print of a photo already turned ~19°, swung ±45° close to the lens, is refused on its pixels', async () => {
    // Measured for turn_left (the fixture faces that way; mirrored it measures a turn under 20°
    // and is refused earlier), so ask until the random side is left: the server picks it.
    let c = await challenge(kiosk);
    for (let i = 0; i < 30 && c.action !== 'turn_left'; i++) c = await challenge(kiosk);
    assert.equal(c.action, 'turn_left');
    const photo = livenessPhoto('colin-left-19');
    const frames = [await warpPhoto(photo, PLANAR_WARPS['tilt −45° about vertical, near']!), photo, await warpPhoto(photo, PLANAR_WARPS['tilt 45° about vertical, near']!)];
    const res = await check(kiosk, frames, c.nonce);
    assert.equal(res.body.decision, 'not_live', JSON.stringify(res.body));
    assert.equal(res.body.reason, 'flat_picture');
    assert.equal(await attendanceEvents(), 0);
  });

  it('a different person mid-challenge is refused', async () => {
    const c = await challenge(kiosk);
    const frames = turnAsAsked(c);
    frames[1] = livenessPhoto('bush-frontal');
    const res = await check(kiosk, frames, c.nonce);
    assert.equal(res.body.decision, 'not_live');
    assert.equal(res.body.reason, 'identity_changed');
    assert.equal(await attendanceEvents(), 0);
  });

  let used: string;
  it('photos of the person at increasing yaw, the asked way, check in', async () => {
    const c = await challenge(kiosk);
    const res = await check(kiosk, turnAsAsked(c), c.nonce);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.decision, 'checked_in', JSON.stringify(res.body));
    assert.equal(res.body.person.name, 'Colin Powell');
    assert.equal(await attendanceEvents(), 1);
    used = c.nonce;
  });

  it('a replayed nonce is refused (409) whatever its frames', async () => {
    const res = await check(kiosk, turnAsAsked({ action: 'turn_left' } as Challenge), used);
    assert.equal(res.status, 409);
    assert.match(res.body.message, /already used/);
  });

  it('an expired nonce is refused (409)', async () => {
    const c = await challenge(kiosk);
    const hash = createHash('sha256').update(c.nonce).digest();
    await t.server.database.dataSource.query(`UPDATE kiosk_challenge SET issued_at = now() - interval '1 minute', expires_at = now() - interval '1 second' WHERE nonce_hash = $1`, [hash]);
    const res = await check(kiosk, turnAsAsked(c), c.nonce);
    assert.equal(res.status, 409);
    assert.match(res.body.message, /expired/);
  });

  it("another kiosk's nonce is refused (400), and stays usable by its own kiosk", async () => {
    const other = (await t.api('POST', '/api/tokens', { body: { name: 'Side door', role: 'kiosk' } })).body.token as string;
    const c = await challenge(other);
    const res = await check(kiosk, turnAsAsked(c), c.nonce);
    assert.equal(res.status, 400);
    assert.match(res.body.message, /not given that challenge/);
    const own = await check(other, turnAsAsked(c), c.nonce);
    assert.equal(own.body.decision, 'already_recorded', JSON.stringify(own.body));
  });

  it('an admin turns liveness off for a token (audited); it then books on one frame', async () => {
    const patched = await t.api('PATCH', `/api/tokens/${kioskId}`, { body: { liveness: 'off' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.liveness, 'off');
    const res = await check(kiosk, [livenessPhoto('colin-frontal')]);
    assert.equal(res.status, 200);
    assert.equal(res.body.decision, 'already_recorded');
    const audit = (await t.server.database.dataSource.query(`SELECT details FROM audit_event WHERE action = 'token.liveness' AND object_id = $1`, [kioskId])) as Array<{ details: unknown }>;
    assert.deepEqual(audit.map((a) => a.details), [{ from: 'required', to: 'off' }]);
    assert.equal((await t.api('PATCH', `/api/tokens/${kioskId}`, { body: { liveness: 'maybe' } })).status, 400);
    assert.equal((await t.api('PATCH', `/api/tokens/${kioskId}`, { token: kiosk, body: { liveness: 'required' } })).status, 403);
  });

  it('the outcomes are counted by reason', async () => {
    const text = await (await fetch(`${t.server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).text();
    for (const outcome of ['issued', 'live', 'flat_picture', 'identity_changed', 'nonce_used', 'nonce_expired', 'nonce_unknown', 'nonce_missing']) {
      assert.match(text, new RegExp(`^vigil_kiosk_liveness_total\\{outcome="${outcome}"\\} [1-9]`, 'm'), outcome);
    }
  });
});
