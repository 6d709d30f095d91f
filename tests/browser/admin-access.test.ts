// @engine-independent: the consoles in a browser; the API and SQL behind them run on both engines in tests/e2e.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { launchBrowser, openPage, screenshot, signInWithPassword, signInWithToken, WatchedPage } from '../support/browser';
import { startTestServer, TestServer } from '../support/test-server';
import { createUser, TEST_PASSWORD, TestUser } from '../support/users';

let t: TestServer;
let browser: Browser;
let admin: WatchedPage;
let page: Page;
let mintedKioskToken: string;
let adminUser: TestUser;

describe('admin console in Chromium, and what other roles may open', { timeout: 300_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1' });
    adminUser = await createUser(t, 'ada', 'admin', { displayName: 'Ada Admin' });
    browser = await launchBrowser();
    admin = await openPage(browser, t.server.url);
    page = admin.page;
    page.on('dialog', (dialog) => void dialog.accept());
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an administrator adds a person and sees the quality verdict of each uploaded photo', async () => {
    await signInWithPassword(page, t.server.url, adminUser.username, adminUser.password);
    await page.getByRole('link', { name: 'Ada Admin' }).waitFor(); // the person's name, linking to their account
    for (const link of ['Dashboard', 'Review', 'Admin']) await page.getByRole('link', { name: link, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Walter Banned');
    await page.getByLabel('Watchlist (alerts)').check();
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByRole('heading', { name: /^Walter Banned/ }).waitFor();
    await page.getByText('No photo enrolled').waitFor();

    const group = await sharp(samplePhotoPath(2)).jpeg().toBuffer();
    await page.getByLabel(/^Enrol a photo/).setInputFiles({ name: 'group.jpg', mimeType: 'image/jpeg', buffer: group });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    const verdict = page.getByTestId('enrol-verdict');
    await verdict.getByText('Refused.').waitFor({ timeout: 120_000 });
    await verdict.getByText('more than one face').waitFor();

    const single = await sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toBuffer();
    await page.getByLabel(/^Enrol a photo/).setInputFiles({ name: 'walter.jpg', mimeType: 'image/jpeg', buffer: single });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await verdict.getByText('Accepted.').waitFor({ timeout: 60_000 });
    await verdict.getByText(/sharpness/).waitFor();
    await page.getByRole('img', { name: 'Reference 1 of Walter Banned' }).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Erase Walter Banned' }).isVisible());
    const people = (await t.api('GET', '/api/persons')).body.items;
    assert.deepEqual(people.map((p: any) => [p.name, p.list, p.referenceCount]), [['Walter Banned', 'watchlist', 1]]);
    await screenshot(page, 'admin-people');
  });

  it('imports a folder of people in bulk, with a verdict per photo', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vigil-bulk-'));
    try {
      const folder = path.join(root, 'people');
      for (const sub of ['Bulk Ana', 'Group Photo']) mkdirSync(path.join(folder, sub), { recursive: true });
      writeFileSync(path.join(folder, 'Bulk Ana', 'ana.jpg'), await sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toBuffer());
      writeFileSync(path.join(folder, 'Bulk Ana', 'notes.txt'), 'not a photo');
      writeFileSync(path.join(folder, 'Group Photo', 'group.jpg'), await sharp(samplePhotoPath(2)).jpeg().toBuffer());
      writeFileSync(path.join(folder, 'loose.jpg'), await sharp(samplePhotoPath(3)).jpeg().toBuffer());
      writeFileSync(path.join(folder, '.DS_Store'), 'ignored');

      await page.getByLabel('Folder to import').setInputFiles(folder);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const summary = page.getByTestId('bulk-summary');
      await summary.getByText('Import finished: 1 accepted, 3 refused, 2 people added.').waitFor({ timeout: 120_000 });
      const report = page.getByTestId('bulk-report');
      const verdictOf = async (file: string) => (await report.getByRole('row').filter({ has: page.getByRole('rowheader', { name: file, exact: true }) }).textContent()) ?? '';
      assert.match(await verdictOf('ana.jpg'), /Bulk Ana.*Accepted/);
      assert.match(await verdictOf('group.jpg'), /Group Photo.*Refused: more than one face/);
      assert.match(await verdictOf('loose.jpg'), /Refused: not inside a person's folder/);
      assert.match(await verdictOf('notes.txt'), /Refused: /);
      assert.equal(await report.getByRole('rowheader', { name: '.DS_Store' }).count(), 0, 'dot-files are ignored');
      await screenshot(page, 'admin-bulk-import');

      const people = (await t.api('GET', '/api/persons?list=watchlist')).body.items as Array<{ name: string; referenceCount: number }>;
      assert.deepEqual(
        people.filter((p) => p.name !== 'Walter Banned').map((p) => [p.name, p.referenceCount]).sort(),
        [['Bulk Ana', 1], ['Group Photo', 0]],
      );
      await page.getByRole('button', { name: 'Bulk Ana' }).waitFor(); // the people list was reloaded
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('adds, edits and disables a camera', async () => {
    await page.getByRole('link', { name: 'Cameras' }).click();
    await page.getByRole('heading', { name: 'Add a camera' }).waitFor();
    await page.locator('#add-name').fill('Back door');
    await page.locator('#add-url').fill('rtsp://guard:secret@10.0.0.9:554/stream');
    await page.getByRole('button', { name: 'Add camera' }).click();
    const row = page.getByRole('row', { name: /Back door/ });
    await row.getByText('rtsp://***@10.0.0.9:554/stream').waitFor();
    await page.getByRole('button', { name: 'Edit Back door' }).click();
    await page.locator('#edit-name').fill('Back door east');
    await page.getByRole('button', { name: 'Save' }).click();
    // The edit is saved (the console says so) before the next change is made: on a loaded machine
    // a Save still in flight could otherwise land after the Disable and undo it.
    await page.getByText('Camera “Back door east” saved.').waitFor();
    await page.getByRole('button', { name: 'Disable Back door east' }).click();
    await page.getByText('“Back door east” disabled.').waitFor();
    await page.getByRole('row', { name: /Back door east/ }).getByText('Disabled').waitFor();
    let cams: any[] = [];
    for (let i = 0; i < 40; i++) {
      cams = (await t.api('GET', '/api/cameras')).body.items;
      if (cams[0]?.enabled === false) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(cams.map((c: any) => [c.name, c.enabled, c.url]), [['Back door east', false, 'rtsp://***@10.0.0.9:554/stream']]);
    await screenshot(page, 'admin-cameras');
  });

  it('mints a kiosk token and shows its secret once', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByRole('heading', { name: 'Device and integration tokens' }).waitFor();
    await page.getByLabel('Name (where it is used)').fill('Lobby kiosk');
    await page.getByLabel('Role').selectOption('kiosk');
    await page.getByRole('button', { name: 'Create token' }).click();
    mintedKioskToken = (await page.getByTestId('minted-token').textContent())!;
    assert.match(mintedKioskToken, /^vgl_/);
    // Held by the administrator who made it (the select's default, "me").
    await page.getByRole('row', { name: /Lobby kiosk/ }).getByRole('cell', { name: 'ada', exact: true }).waitFor();
    await screenshot(page, 'admin-tokens');
    // A new kiosk token asks for liveness by default; the admin can turn it off per token (audited server-side).
    const liveness = page.getByRole('combobox', { name: 'Liveness check for Lobby kiosk' });
    assert.equal(await liveness.inputValue(), 'required');
    await liveness.selectOption('off');
    await page.getByText('“Lobby kiosk” books on one frame again (no liveness check).').waitFor();
    const listed = ((await t.api('GET', '/api/tokens')).body as Array<{ name: string; liveness: string }>).find((tk) => tk.name === 'Lobby kiosk');
    assert.equal(listed?.liveness, 'off');
    assert.deepEqual(admin.foreign, []);
    assert.deepEqual(admin.errors, []);
  });

  it('shows how long each kind of data is kept and saves a change to the frames\' days', async () => {
    await page.getByRole('link', { name: 'Retention' }).click();
    await page.getByRole('heading', { name: 'Retention' }).waitFor();
    const frames = page.getByLabel(/^Days to keep: Frames stored with alerts/);
    assert.equal(await frames.inputValue(), '30');
    const references = page.locator('tr[data-kind="references"]');
    await references.getByText('no expiry').waitFor();
    await references.getByText('until the person is erased').waitFor();
    await frames.fill('14');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Retention saved.').waitFor();
    assert.equal((await t.api('GET', '/api/settings/retention')).body.framesDays, 14);
    await page.locator('tr[data-kind="frames"]').getByText('set here').waitFor();
    await screenshot(page, 'admin-retention');
    await page.getByRole('button', { name: 'Use default (30)' }).click();
    await page.getByText('Back to the default (30 days).').waitFor();
    assert.equal((await t.api('GET', '/api/settings/retention')).body.framesDays, 30);
    assert.deepEqual(admin.foreign, []);
    assert.deepEqual(admin.errors, []);
  });

  it('a kiosk token cannot open the admin pages (nor the dashboard), and the API refuses it too', async () => {
    const kiosk = await openPage(browser, t.server.url);
    const apiCalls: string[] = [];
    kiosk.page.on('request', (req) => {
      const { pathname } = new URL(req.url());
      // The sign-in screen asks whether a cookie session exists: not data of a console.
      if (pathname.startsWith('/api/') && pathname !== '/api/auth/session') apiCalls.push(pathname);
    });
    await signInWithToken(kiosk.page, t.server.url, mintedKioskToken, '/admin');
    await kiosk.page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    await kiosk.page.getByText('needs the administrator role').waitFor();
    await kiosk.page.getByText('You are signed in as “Lobby kiosk” (kiosk)').waitFor();
    assert.equal(await kiosk.page.getByRole('heading', { name: 'People' }).count(), 0);
    await screenshot(kiosk.page, 'kiosk-token-on-admin');
    await kiosk.page.goto(`${t.server.url}/admin/tokens`);
    await kiosk.page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    assert.equal(await kiosk.page.getByTestId('minted-token').count(), 0);
    assert.deepEqual(apiCalls, [], 'the refused screens load no data');
    assert.equal((await t.api('GET', '/api/persons', { token: mintedKioskToken })).status, 403);
    assert.equal((await t.api('GET', '/api/tokens', { token: mintedKioskToken })).status, 403);
    // At the start page a kiosk token goes straight to the kiosk.
    await kiosk.page.goto(t.server.url);
    await kiosk.page.waitForURL(`${t.server.url}/kiosk`);
    assert.deepEqual(kiosk.errors, []);
  });

  it('security and reviewer staff are kept out of the admin pages as well', async () => {
    for (const role of ['security', 'reviewer'] as const) {
      const user = await createUser(t, `desk-${role}`, role, { displayName: `Desk ${role}` });
      const other = await openPage(browser, t.server.url);
      await signInWithPassword(other.page, t.server.url, user.username, user.password, '/admin/cameras');
      await other.page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
      await other.page.getByText(`You are signed in as “Desk ${role}” (${role})`).waitFor();
      assert.equal(await other.page.getByRole('link', { name: 'Admin', exact: true }).count(), 0);
      await other.page.context().close();
    }
  });

  it('an administrator creates an account in the Users tab; disabling it drops that person\'s open console to the sign-in screen at once', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.getByLabel('Username').fill('Gina.Guard');
    await page.getByLabel('Name', { exact: true }).fill('Gina Guard');
    await page.getByLabel('Role', { exact: true }).selectOption('security');
    await page.getByLabel(/^Initial password/).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Account “gina.guard” created.').waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'gina.guard', exact: true }) });
    await row.getByText('Gina Guard').waitFor();
    assert.equal(await row.getByLabel('Role of gina.guard').inputValue(), 'security');
    await screenshot(page, 'admin-users');

    const gina = await openPage(browser, t.server.url);
    await signInWithPassword(gina.page, t.server.url, 'gina.guard', TEST_PASSWORD);
    await gina.page.getByRole('heading', { name: /^Alerts/ }).waitFor();
    await gina.page.getByRole('link', { name: 'Gina Guard' }).waitFor();
    await gina.page.getByTestId('connection').getByText('Live').waitFor();

    await row.getByRole('button', { name: 'Disable gina.guard' }).click(); // the confirm dialog is accepted
    await page.getByText('“gina.guard” disabled.').waitFor();
    await row.getByText('disabled', { exact: true }).waitFor();
    // The server cuts the page's socket at once; its reconnect is refused and the page says why.
    await gina.page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor({ timeout: 15_000 });
    await gina.page.getByRole('alert').getByText(/^Your session has ended/).waitFor();
    await screenshot(gina.page, 'sign-in-session-ended');
    assert.equal((await t.api('GET', '/api/users')).body.find((u: { username: string }) => u.username === 'gina.guard').disabled, true);
    assert.deepEqual(gina.errors, []);
    assert.deepEqual(admin.errors, []);
    await gina.page.context().close();
  });
});
