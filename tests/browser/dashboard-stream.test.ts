// @engine-independent: the consoles in a browser; the API and SQL behind them run on both engines in tests/e2e.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import type { AlertEvent } from '@vigil/contracts';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { launchBrowser, openPage, screenshot, signInWithPassword, WatchedPage } from '../support/browser';
import { until } from '../support/socket-client';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';
import { createUser } from '../support/users';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-dash-stream-'));
let t: TestServer;
let browser: Browser;
let watched: WatchedPage;

describe('security dashboard in Chromium: an alert raised by a real camera stream, acknowledged on screen', { timeout: 300_000 }, () => {
  let clip: string;
  let walterId: string;

  before(async () => {
    const jpeg = path.join(dir, 'walter.jpg');
    await sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toFile(jpeg);
    clip = path.join(dir, 'walter.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', jpeg, '-t', '6', '-r', '25',
      '-vf', 'scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2', '-c:v', 'libx264', '-preset', 'ultrafast',
      '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', clip]);
    t = await startTestServer({ VIGIL_ROLES: 'api,worker', VIGIL_DEMO: '0', VIGIL_INFERENCE_WORKERS: '1', VIGIL_ALLOW_FILE_URLS: '1' });
    await until('inference ready', 120_000, async () => ((await t.api('GET', '/api/health')).body.inference.status === 'ready' ? true : undefined));
    walterId = (await t.api('POST', '/api/persons', { body: { name: 'Watch Walter', list: 'watchlist' } })).body.id;
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await sharp(jpeg).toBuffer())], { type: 'image/jpeg' }), 'walter.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${walterId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());
    browser = await launchBrowser();
    watched = await openPage(browser, t.server.url);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the alert live with crop, enrolled photo, person, list, camera, time and score, and acknowledges it', async () => {
    const { page } = watched;
    const guard = await createUser(t, 'nightshift', 'security', { displayName: 'Night shift' });
    await signInWithPassword(page, t.server.url, guard.username, guard.password);
    await page.getByText('No alerts.').waitFor();

    const cam = await t.api('POST', '/api/cameras', { body: { name: 'Entrance', url: pathToFileURL(clip).toString(), settings: { motionSensitivity: 1 } } });
    assert.equal(cam.status, 201, JSON.stringify(cam.body));
    const tile = page.locator(`li[data-camera-id="${cam.body.id}"]`);
    await tile.getByText('Online').waitFor({ timeout: 60_000 });

    const card = page.locator('article[data-alert-id]').filter({ hasText: 'Watch Walter' });
    await card.waitFor({ timeout: 120_000 });
    await page.getByRole('alert').getByText('New alert: Watch Walter (watchlist) at Entrance').waitFor();
    await card.getByText('Watchlist').waitFor();
    await card.getByText('Entrance').waitFor();
    await card.getByText('Unacknowledged').waitFor();
    const crop = card.getByRole('img', { name: 'Face seen by Entrance' });
    const enrolledPhoto = card.getByRole('img', { name: 'Enrolled photo of Watch Walter' });
    for (const img of [crop, enrolledPhoto]) {
      await img.waitFor({ timeout: 15_000 });
      assert.ok((await img.evaluate((el: any) => el.naturalWidth as number)) > 20, 'the image really loaded');
    }
    const alertId = (await card.getAttribute('data-alert-id'))!;
    const score = ((await t.api('GET', '/api/alerts?after=0')).body as AlertEvent[]).find((a) => a.id === alertId)!.score;
    await card.getByText(score.toFixed(2), { exact: true }).waitFor();
    await tile.getByText(/fps/).waitFor();
    await screenshot(page, 'dashboard-live-alert');

    await card.getByRole('button', { name: /^Acknowledge alert: Watch Walter/ }).click();
    await card.getByText('Acknowledged', { exact: true }).waitFor();
    const stored = ((await t.api('GET', '/api/alerts?after=0')).body as AlertEvent[]).find((a) => a.id === alertId)!;
    assert.equal(stored.status, 'acknowledged', 'the API shows it acknowledged');
    const audit = await t.server.database.repos.audit.forObject('alert', alertId);
    const acknowledged = audit.find((a) => a.action === 'alert.acknowledge');
    assert.deepEqual([acknowledged?.actorName, acknowledged?.actorUserId], ['Night shift', guard.id], 'audited as the person who acknowledged');
    await screenshot(page, 'dashboard-acknowledged');
    assert.deepEqual(watched.foreign, []);
    assert.deepEqual(watched.errors, []);
  });
});
