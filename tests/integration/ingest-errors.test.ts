import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CameraSupervisor } from '@vigil/video';
import { CameraWatch } from '../support/camera-watch';
import { freePort, RtspTestServer, rtspSkip } from '../support/rtsp-server';

const USER = 'Operator';
const PASSWORD = 'Pa@ss:w0rd#!%Z';
const WRONG = 'Wr0ng@Secret!#';

/** Everything a supervisor exposes as text: its events and its stats (stderr tail included). */
function exposedText(cam: CameraSupervisor, watch: CameraWatch): string {
  return JSON.stringify({ events: watch.events, stats: cam.stats() });
}

function assertNoSecret(text: string, secret: string): void {
  for (const form of [secret, encodeURIComponent(secret), secret.slice(0, 6), encodeURIComponent(secret).slice(0, 8)]) {
    assert.ok(!text.includes(form), `leaked "${form}" in ${text}`);
  }
}

describe('unreachable or refused cameras go offline with a redacted reason', { skip: rtspSkip(), timeout: 120_000 }, () => {
  let server: RtspTestServer;
  before(async () => {
    server = await RtspTestServer.start({ mounts: { '/cam': 'live:320x240@15' }, user: USER, password: PASSWORD });
  });
  after(() => server?.stop());

  async function runUntilOffline(url: string, timeoutMs: number) {
    const cam = new CameraSupervisor({ cameraId: 'e', url, width: 160, height: 120, socketTimeoutMs: 3000, backoff: { baseMs: 500, capMs: 1000 } });
    const watch = new CameraWatch(cam);
    cam.start();
    try {
      const offline = await watch.waitFor('offline', timeoutMs);
      return { cam, watch, offline };
    } finally {
      await cam.stop();
    }
  }

  it('the right credentials work (so the next case is about the password)', async () => {
    const cam = new CameraSupervisor({ cameraId: 'ok', url: server.url('/cam', { user: USER, password: PASSWORD }), width: 160, height: 120 });
    const watch = new CameraWatch(cam);
    cam.start();
    try {
      await watch.waitFor('online', 10_000);
    } finally {
      await cam.stop();
    }
    assertNoSecret(exposedText(cam, watch), PASSWORD);
  });

  const cases: Array<[string, () => Promise<string>, RegExp, number]> = [
    ['wrong credentials', async () => server.url('/cam', { user: USER, password: WRONG }), /401|Unauthorized/, 10_000],
    ['closed port', async () => `rtsp://${USER}:${encodeURIComponent(WRONG)}@127.0.0.1:${await freePort()}/x`, /refused|code 1/i, 10_000],
    ['DNS failure', async () => `rtsp://${USER}:${encodeURIComponent(WRONG)}@nonexistent.invalid/x`, /resolve|not known|Name or service|Input\/output error|code 1/i, 20_000],
  ];
  for (const [name, url, reason, timeoutMs] of cases) {
    it(name, async () => {
      const { cam, watch, offline } = await runUntilOffline(await url(), timeoutMs);
      console.log(`# ${name}: ${offline.reason}`);
      assert.match(offline.reason ?? '', reason);
      assertNoSecret(exposedText(cam, watch), WRONG);
    });
  }
});
