// @engine-independent: the consoles in a browser; the API and SQL behind them run on both engines in tests/e2e.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { launchBrowser, openPage, screenshot, signInWithToken } from '../support/browser';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-kiosk-browser-'));
let t: TestServer;
let kioskToken: string;
let livenessKioskToken: string;
const browsers: Browser[] = [];

/** A face photo as a webcam: a short 640x480 Y4M clip that Chromium loops as its fake camera. */
async function webcamClip(name: string, photo: string, crop: { left: number; top: number; width: number; height: number }): Promise<string> {
  const jpeg = path.join(dir, `${name}.jpg`);
  await sharp(photo).extract(crop).jpeg({ quality: 95 }).toFile(jpeg);
  const clip = path.join(dir, `${name}.y4m`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', jpeg, '-t', '2', '-r', '10',
    '-vf', 'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2', '-pix_fmt', 'yuv420p', clip]);
  return clip;
}

async function kioskWith(clip: string, token = kioskToken) {
  const browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  browsers.push(browser);
  const watched = await openPage(browser, t.server.url, { width: 1180, height: 820 }); // a landscape tablet
  await signInWithToken(watched.page, t.server.url, token, '/kiosk');
  return watched;
}

describe('attendance kiosk in Chromium with a fake webcam', { timeout: 300_000 }, () => {
  let anaClip: string;
  let strangerClip: string;

  before(async () => {
    anaClip = await webcamClip('ana', samplePhotoPath(1), { left: 250, top: 180, width: 500, height: 560 });
    strangerClip = await webcamClip('stranger', samplePhotoPath(6), { left: 560, top: 200, width: 420, height: 560 });
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1' });
    const ana = (await t.api('POST', '/api/persons', { body: { name: 'Ana Silva', list: 'employee', consent: { method: 'signed-form' } } })).body.id as string;
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toBuffer())], { type: 'image/jpeg' }), 'ana.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${ana}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());
    kioskToken = (await t.api('POST', '/api/tokens', { body: { name: 'Lobby kiosk', role: 'kiosk', liveness: 'off' } })).body.token;
    livenessKioskToken = (await t.api('POST', '/api/tokens', { body: { name: 'Gate kiosk', role: 'kiosk' } })).body.token;
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with liveness required, a still photo of an enrolled employee is asked to turn, then refused; nothing booked', async () => {
    const { page, foreign, errors } = await kioskWith(anaClip, livenessKioskToken);
    await page.getByTestId('kiosk-prompt').getByText(/^Turn your head to your (LEFT|RIGHT)$/).waitFor({ timeout: 120_000 });
    const promptSize = await page.getByTestId('kiosk-prompt').evaluate((el: any) => parseFloat((globalThis as any).getComputedStyle(el).fontSize));
    assert.ok(promptSize >= 40, `the prompt in large type (${promptSize}px)`);
    const result = page.getByTestId('kiosk-result');
    await result.getByText('Could not confirm a live person', { exact: true }).waitFor({ timeout: 120_000 });
    await result.getByText('Please try again and turn your head as shown.').waitFor();
    await screenshot(page, 'kiosk-not-live');
    await page.close();
    assert.deepEqual((await t.api('GET', '/api/attendance')).body.events, [], 'nothing booked for a photo');
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  });

  it('checks an enrolled employee in and says so in large type, with the time', async () => {
    const { page, foreign, errors } = await kioskWith(anaClip);
    assert.equal(new URL(page.url()).pathname, '/kiosk');
    // A device signs in with its token, kept for the tab session only (no cookie session).
    assert.equal(await page.evaluate('sessionStorage.getItem("vigil.token")'), kioskToken, 'the token is kept for the tab session');
    await page.getByText('Look at the camera to check in or out').first().waitFor();
    const result = page.getByTestId('kiosk-result');
    await result.getByText(/^Checked in, Ana Silva — \d\d:\d\d$/).waitFor({ timeout: 120_000 });
    await screenshot(page, 'kiosk-checked-in');
    const fontSize = await result.locator('.kiosk__title').evaluate((el: any) => parseFloat((globalThis as any).getComputedStyle(el).fontSize));
    assert.ok(fontSize >= 32, `large type (${fontSize}px)`);
    const day = (await t.api('GET', '/api/attendance')).body;
    assert.deepEqual(day.events.map((e: any) => [e.personName, e.kind]), [['Ana Silva', 'in']], 'booked once, as "in"');
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  });

  it('tells an unknown face clearly that it was not recognised', async () => {
    const { page, foreign, errors } = await kioskWith(strangerClip);
    const result = page.getByTestId('kiosk-result');
    await result.getByText('Not recognised', { exact: true }).waitFor({ timeout: 120_000 });
    await result.getByText('Please ask at the front desk.').waitFor();
    await screenshot(page, 'kiosk-not-recognised');
    assert.equal((await t.api('GET', '/api/attendance')).body.events.length, 1, 'nothing booked for a stranger');
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  });
});
