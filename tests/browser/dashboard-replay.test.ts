// @engine-independent: the consoles in a browser; the API and SQL behind them run on both engines in tests/e2e.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import type { AlertEvent } from '@vigil/contracts';
import { AlertsService } from '../../apps/server/src/alerts/alerts.service';
import { launchBrowser, openPage, screenshot, signInWithPassword, WatchedPage } from '../support/browser';
import { until } from '../support/socket-client';
import { startTestServer, TestServer } from '../support/test-server';
import { createUser, TestUser } from '../support/users';

let t: TestServer;
let alerts: AlertsService;
let browser: Browser;
let watched: WatchedPage;
let page: Page;
let personId: string;
let gateId: string;
let lobbyId: string;
let guard: TestUser;

/** While true, the page's socket.io websocket is refused: a cut network, as the page sees it. */
let cut = false;
const routed = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A small replay window, so that a cut can outlast it (the 5-alert replay below stays within). */
const REPLAY_MAX = 6;
const raise = async (n: number) => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await alerts.raise({ cameraId: gateId, personId, list: 'watchlist', score: 0.91 })).id);
  return ids;
};
const cardIds = async () => Promise.all((await page.locator('article[data-alert-id]').all()).map(async (card) => (await card.getAttribute('data-alert-id'))!));
/** Cuts the page's socket (and refuses new ones) until `cut` is false again. */
const cutConnection = async () => {
  cut = true;
  for (const r of routed) {
    await r.page.close({ code: 1006, reason: 'test: network cut' }).catch(() => undefined);
    await r.server.close().catch(() => undefined);
  }
  routed.clear();
  await page.getByTestId('connection').getByText('Reconnecting…').waitFor({ timeout: 10_000 });
};
const cardStatuses = async () => Promise.all((await page.locator('article[data-alert-id]').all()).map(async (card) => (await card.getAttribute('data-status'))!));

describe(`security dashboard in Chromium: live alerts, camera health, nothing missed across a cut connection (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 240_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_SOCKET_REPLAY_MAX: String(REPLAY_MAX) });
    alerts = t.server.app.get(AlertsService);
    personId = (await t.api('POST', '/api/persons', { body: { name: 'Banned Bart', list: 'watchlist' } })).body.id;
    gateId = (await t.api('POST', '/api/cameras', { body: { name: 'Gate', url: 'rtsp://10.0.0.1/gate' } })).body.id;
    lobbyId = (await t.api('POST', '/api/cameras', { body: { name: 'Lobby', url: 'rtsp://10.0.0.2/lobby' } })).body.id;
    guard = await createUser(t, 'frontdesk', 'security', { displayName: 'Front desk' });
    browser = await launchBrowser();
    watched = await openPage(browser, t.server.url);
    page = watched.page;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (cut) {
        void ws.close({ code: 1011, reason: 'test: network cut' });
        return;
      }
      routed.add({ page: ws, server: ws.connectToServer() });
    });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('refuses a wrong password with the server\'s message, then shows the security dashboard; a reload stays signed in by cookie', async () => {
    await page.goto(t.server.url);
    await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor();
    await screenshot(page, 'sign-in');
    await page.getByLabel('Username').fill(guard.username);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('The username or password is not right.').waitFor();
    await screenshot(page, 'sign-in-refused');

    await signInWithPassword(page, t.server.url, guard.username, guard.password);
    await page.getByRole('heading', { name: /^Alerts/ }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0, 'security sees no admin link');
    assert.equal(await page.getByRole('link', { name: 'Review' }).count(), 0, 'security sees no review link');
    await page.getByRole('link', { name: 'Front desk' }).waitFor(); // the person's name, linking to their account
    assert.equal(await page.evaluate('sessionStorage.getItem("vigil.token")'), null, 'no token kept in the tab');
    assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is HttpOnly: out of the page\'s reach');

    await page.reload();
    await page.getByRole('heading', { name: /^Alerts/ }).waitFor();
    await page.getByTestId('connection').getByText('Live').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByRole('heading', { name: 'Sign in to Vigil' }).count(), 0, 'still signed in after a reload');
  });

  it('shows raised alerts live and the camera grid with live status, fps and last frame; offline is flagged', async () => {
    await raise(2);
    await until('two alert cards', 15_000, async () => ((await cardIds()).length === 2 ? true : undefined));
    await page.getByText('2 unacknowledged').waitFor();
    await t.server.database.transaction(async (repos) => {
      await repos.cameras.recordStatus({ cameraId: lobbyId, status: 'online', fps: 5, at: new Date() });
      await repos.cameras.recordLiveness(lobbyId, 4.9, new Date());
      await repos.cameras.recordStatus({ cameraId: gateId, status: 'offline', reason: 'Connection refused (rtsp://10.0.0.1/gate)', fps: null, at: new Date() });
    });
    const gate = page.locator(`li[data-camera-id="${gateId}"]`);
    await gate.getByText('Offline').waitFor({ timeout: 20_000 });
    assert.match((await gate.getAttribute('class'))!, /camera--flagged/);
    await gate.getByText('Connection refused').waitFor();
    const lobby = page.locator(`li[data-camera-id="${lobbyId}"]`);
    await lobby.getByText('Online').waitFor({ timeout: 20_000 });
    await lobby.getByText('4.9 fps').waitFor({ timeout: 20_000 }); // liveness arrives with the next poll
    await lobby.getByText(/s ago/).waitFor();
    await screenshot(page, 'dashboard');
  });

  it('after a cut connection, replays exactly the alerts it missed, once each, unacknowledged on top', async () => {
    const before = await cardIds();
    await cutConnection();
    const missed = await raise(5);
    await sleep(1500);
    assert.deepEqual(await cardIds(), before, 'nothing reached the page while cut');
    await screenshot(page, 'dashboard-reconnecting');

    cut = false;
    await page.getByTestId('connection').getByText('Live').waitFor({ timeout: 15_000 });
    await until('the missed alerts replayed', 15_000, async () => ((await cardIds()).length >= before.length + 5 ? true : undefined));
    const live = await raise(2);
    await until('live alerts after the replay', 15_000, async () => ((await cardIds()).length >= before.length + 7 ? true : undefined));
    await sleep(1000); // a duplicate from the replay/live switch would show up by now
    const shown = await cardIds();
    assert.equal(new Set(shown).size, shown.length, 'no alert shown twice');
    assert.deepEqual(new Set(shown), new Set([...before, ...missed, ...live]));
    const stored = ((await t.api('GET', '/api/alerts?after=0&limit=500')).body as AlertEvent[]).map((a) => a.id);
    assert.deepEqual(new Set(shown), new Set(stored), 'the page shows exactly what the server holds');
    assert.deepEqual(shown.slice(0, 2), [...live].reverse(), 'newest first');

    // Acknowledging moves an alert below the unacknowledged ones.
    const first = page.locator(`article[data-alert-id="${shown[0]}"]`);
    await first.getByRole('button', { name: /^Acknowledge alert/ }).click();
    await first.getByText('Acknowledged', { exact: true }).waitFor();
    const statuses = await cardStatuses();
    assert.equal(statuses.at(-1), 'acknowledged');
    assert.ok(statuses.slice(0, -1).every((s) => s === 'new'));
    assert.equal((await page.locator('article[data-alert-id]').first().getAttribute('data-alert-id')), shown[1]);
    await screenshot(page, 'dashboard-after-replay');
  });

  it('after a longer cut, replays the newest alerts, says how many older ones it left out, and still lists the open ones', async () => {
    const before = await cardIds();
    await cutConnection();
    const missed = await raise(REPLAY_MAX + 3);
    cut = false;
    await page.getByTestId('connection').getByText('Live').waitFor({ timeout: 15_000 });
    const notice = page.getByTestId('alerts-skipped');
    await notice.getByText('3 older alerts from while this screen was offline are not shown').waitFor({ timeout: 15_000 });
    await until('every missed alert listed (the left-out ones are open: reloaded from the board)', 15_000, async () => {
      const ids = await cardIds();
      return missed.every((id) => ids.includes(id)) ? true : undefined;
    });
    const shown = await cardIds();
    assert.equal(new Set(shown).size, shown.length, 'no alert shown twice');
    assert.deepEqual(new Set(shown), new Set([...before, ...missed]));
    await screenshot(page, 'dashboard-skipped');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
  });

  it('fits a tablet, and the page never reached another origin or threw', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await screenshot(page, 'dashboard-tablet');
    assert.deepEqual(watched.foreign, []);
    assert.deepEqual(watched.errors, []);
  });
});
