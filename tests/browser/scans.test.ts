// @engine-independent: drives the console's Scans tab; the job rows' rules are tested on both engines in tests/integration/scan-jobs.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { referencePhoto, SAMPLE5, SAMPLE6 } from '../support/face-crops';
import { launchBrowser, openPage, screenshot, signInWithPassword, WatchedPage } from '../support/browser';
import { queueClip, SPOT } from '../support/queue-clips';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';
import { createUser } from '../support/users';

/** The admin uploads a recording in the Scans tab, watches it run and reads the report (issue #15). */
describe('scan jobs in the admin console (Chromium)', { timeout: 240_000 }, () => {
  let t: TestServer;
  let browser: Browser;
  let admin: WatchedPage;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-scan-ui-'));
    t = await startTestServer({ VIGIL_ROLES: 'api,worker', VIGIL_DEMO: '0', VIGIL_INFERENCE_WORKERS: '1', VIGIL_DATA_DIR: dataDir });
    const created = await t.api('POST', '/api/persons', { body: { name: 'Wanted Scan', list: 'watchlist' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await referencePhoto(SAMPLE5[0]!))], { type: 'image/jpeg' }), 'reference.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${created.body.id}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());
    browser = await launchBrowser();
    admin = await openPage(browser, t.server.url);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads a recording, follows it to Finished, opens the report: the crop beside the enrolled photo at the time in the video', async () => {
    const clip = await queueClip('scan-known-second', [
      { seconds: 3, people: [{ face: SAMPLE6[0]!, variant: 9, x: SPOT.centre }] },
      { seconds: 3, people: [{ face: SAMPLE5[0]!, variant: 9, x: SPOT.centre }] },
    ], 1);
    const user = await createUser(t, 'ada', 'admin', { displayName: 'Ada Admin' });
    const { page } = admin;
    await signInWithPassword(page, t.server.url, user.username, user.password, '/admin/scans');
    await page.getByRole('heading', { name: 'Scans' }).waitFor();
    await page.getByText('No scans yet.').waitFor();
    // Something that is not a video: refused with the server's words, nothing listed.
    await page.getByLabel('Video or photo').setInputFiles({ name: 'notes.mp4', mimeType: 'video/mp4', buffer: Buffer.from('not a video at all\n'.repeat(20)) });
    await page.getByRole('button', { name: 'Upload and scan' }).click();
    await page.getByRole('alert').getByText(/“notes\.mp4” is not a video or image/).waitFor();
    await page.getByText('No scans yet.').waitFor();

    await page.getByLabel('Video or photo').setInputFiles({ name: 'door camera.mp4', mimeType: 'video/mp4', buffer: readFileSync(clip) });
    await page.getByLabel('Look for').selectOption('watchlist');
    await page.getByRole('button', { name: 'Upload and scan' }).click();
    const row = page.locator('tr[data-scan]').filter({ hasText: 'door camera.mp4' });
    await row.waitFor();
    await row.locator('progress').waitFor({ timeout: 60_000 }); // live progress pushed over the socket
    await page.locator('tr[data-status="finished"]').filter({ hasText: 'door camera.mp4' }).waitFor({ timeout: 90_000 });
    await row.getByText(/1 match \(1 person\)/).waitFor();
    await row.getByRole('button', { name: 'Report' }).click();
    const report = page.locator('.scan-report');
    const match = report.locator('tr[data-person]').filter({ hasText: 'Wanted Scan' });
    await match.waitFor();
    await match.getByRole('img', { name: /Face found in door camera\.mp4 at 0:0[23]\.\d/ }).waitFor();
    await match.getByRole('img', { name: 'Enrolled photo of Wanted Scan' }).waitFor();
    await report.getByRole('button', { name: 'CSV' }).waitFor();
    await screenshot(page, 'admin-scans-report');
    assert.deepEqual(admin.errors, []);
    assert.deepEqual(admin.foreign, []);
  });
});
