// @engine-independent: the consoles in a browser; the API and SQL behind them run on both engines in tests/e2e.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RecognitionAttemptsView } from '@vigil/contracts';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { launchBrowser, openPage, screenshot, SCREENS_DIR, signInWithPassword, WatchedPage } from '../support/browser';
import { until } from '../support/socket-client';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';
import { createUser } from '../support/users';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-attempts-'));
let t: TestServer;
let browser: Browser;
let admin: WatchedPage;
let page: Page;

/** A still picture of one face as a looping camera clip (someone standing at a door). */
function faceClip(name: string, jpeg: string): string {
  const out = path.join(dir, `${name}.mp4`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', jpeg, '-t', '6', '-r', '25',
    '-vf', 'scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2', '-c:v', 'libx264', '-preset', 'ultrafast',
    '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', out]);
  return out;
}

async function loaded(img: Locator): Promise<number> {
  await img.waitFor({ timeout: 30_000 });
  return img.evaluate((el: any) => el.naturalWidth as number);
}

describe('recognition attempts of a camera and its live picture, in Chromium', { timeout: 300_000 }, () => {
  let walterId: string;
  let cameraId: string;

  before(async () => {
    const jpeg = path.join(dir, 'walter.jpg');
    await sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toFile(jpeg);
    const clip = faceClip('walter', jpeg);
    t = await startTestServer({ VIGIL_ROLES: 'api,worker', VIGIL_DEMO: '0', VIGIL_INFERENCE_WORKERS: '1', VIGIL_ALLOW_FILE_URLS: '1' });
    await until('inference ready', 120_000, async () => ((await t.api('GET', '/api/health')).body.inference.status === 'ready' ? true : undefined));
    walterId = (await t.api('POST', '/api/persons', { body: { name: 'Watch Walter', list: 'watchlist' } })).body.id;
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await sharp(jpeg).toBuffer())], { type: 'image/jpeg' }), 'walter.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${walterId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());
    const cam = await t.api('POST', '/api/cameras', { body: { name: 'Entrance', url: pathToFileURL(clip).toString(), settings: { motionSensitivity: 1 } } });
    assert.equal(cam.status, 201, JSON.stringify(cam.body));
    cameraId = cam.body.id;
    browser = await launchBrowser();
    admin = await openPage(browser, t.server.url);
    page = admin.page;
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an administrator opens the camera\'s attempts: real faces with their distance to the nearest person, and the live picture boxed', async () => {
    const ada = await createUser(t, 'ada', 'admin', { displayName: 'Ada Admin' });
    await signInWithPassword(page, t.server.url, ada.username, ada.password, '/admin/cameras');
    await page.getByRole('button', { name: 'Recognition attempts of Entrance' }).click();
    const panel = page.getByRole('region', { name: 'Recognition attempts: Entrance' });
    await panel.waitFor();

    const matched = panel.getByRole('row').filter({ hasText: /Watch Walter · 0\.\d\d \/ 0\.\d\d/ });
    await matched.first().waitFor({ timeout: 120_000 });
    assert.match((await matched.first().textContent()) ?? '', /✓ within threshold/);
    const api = (await t.api('GET', `/api/cameras/${cameraId}/attempts`)).body as RecognitionAttemptsView;
    const distances = new Set(api.items.filter((a) => a.nearest?.personId === walterId).map((a) => a.nearest!.distance.toFixed(2)));
    assert.ok(distances.size > 0, JSON.stringify(api.items.slice(0, 3)));
    const shown = /Watch Walter · (0\.\d\d) \//.exec((await matched.first().textContent()) ?? '')![1]!;
    assert.ok(Number(shown) < 0.45, `a close distance for the enrolled face itself: ${shown}`);

    const live = panel.getByRole('img', { name: 'Live view of Entrance', exact: true });
    assert.ok((await loaded(live)) >= 320, 'the live picture really loaded');
    await panel.locator('.boxes rect.box').first().waitFor({ timeout: 30_000 });
    await panel.locator('figcaption').getByText(/1 face: (Watch Walter|deciding…)/).waitFor({ timeout: 30_000 });
    assert.ok((await loaded(panel.locator('img[alt^="Face seen at"]').first())) > 20, 'an attempt\'s face picture loaded');
    await screenshot(page, 'admin-attempts');
  });

  it('enrols the face of an attempt for the person it came close to: a second reference photo, verdict shown', async () => {
    const panel = page.getByRole('region', { name: 'Recognition attempts: Entrance' });
    await panel.getByRole('button', { name: 'Pause updates' }).click();
    await panel.getByRole('button', { name: /^Enrol the face seen at / }).first().click();
    const dialog = page.getByRole('dialog', { name: /^Enrol the face seen at / });
    await dialog.waitFor();
    await until('people listed', 15_000, async () => ((await dialog.getByLabel('Person').inputValue()) === walterId ? true : undefined));
    await dialog.getByRole('button', { name: 'Enrol this face' }).click();
    const verdict = dialog.getByTestId('enrol-verdict');
    await verdict.getByText(/^(Accepted|Refused)\.$/).waitFor({ timeout: 60_000 });
    assert.match((await verdict.textContent()) ?? '', /^Accepted\. Quality: sharpness/, await verdict.textContent() ?? '');
    await screenshot(page, 'admin-attempts-enrol');
    const faces = (await t.api('GET', `/api/persons/${walterId}/faces`)).body as unknown[];
    assert.equal(faces.length, 2, JSON.stringify(faces));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('enrolling the face for an employee without consent is refused with the consent message', async () => {
    const emma = (await t.api('POST', '/api/persons', { body: { name: 'Employee Emma', list: 'employee' } })).body;
    const panel = page.getByRole('region', { name: 'Recognition attempts: Entrance' });
    await panel.getByRole('button', { name: 'Resume updates' }).click();
    await panel.getByRole('button', { name: /^Enrol the face seen at / }).first().click();
    const dialog = page.getByRole('dialog', { name: /^Enrol the face seen at / });
    await dialog.getByLabel('Search by name').fill('Emma');
    await dialog.getByLabel('Person').selectOption(emma.id);
    await dialog.getByRole('button', { name: 'Enrol this face' }).click();
    const verdict = dialog.getByTestId('enrol-verdict');
    await verdict.getByText('Refused.').waitFor({ timeout: 60_000 });
    assert.match((await verdict.textContent()) ?? '', /consent/);
    const faces = (await t.api('GET', `/api/persons/${emma.id}/faces`)).body as unknown[];
    assert.equal(faces.length, 0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the dashboard tile shows what the camera sees, with the face boxed and named', async () => {
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    const tile = page.locator(`li[data-camera-id="${cameraId}"]`);
    const live = tile.getByRole('img', { name: 'Live view of Entrance', exact: true });
    assert.ok((await loaded(live)) >= 320, 'the live picture really loaded');
    await tile.locator('.boxes rect.box').first().waitFor({ timeout: 30_000 });
    await tile.locator('.boxes .box__tag', { hasText: 'Watch Walter' }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'dashboard-live-view');
    await tile.screenshot({ path: path.join(SCREENS_DIR, 'dashboard-live-tile.png') });
    assert.deepEqual(admin.foreign, []);
    assert.deepEqual(admin.errors, []);
  });
});
