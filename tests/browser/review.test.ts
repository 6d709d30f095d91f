// @engine-independent: the consoles in a browser; the API and SQL behind them run on both engines in tests/e2e.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { AlertsService } from '../../apps/server/src/alerts/alerts.service';
import { launchBrowser, openPage, screenshot, signInWithPassword } from '../support/browser';
import { until } from '../support/socket-client';
import { startTestServer, TestServer } from '../support/test-server';
import { createUser, TestUser } from '../support/users';

let t: TestServer;
let browser: Browser;
let itemId: string;
let personId: string;
let cameraId: string;
let rita: TestUser;
let sam: TestUser;
let ada: TestUser;

/** Every alert is reviewed: raising one puts its item in the queue. */
async function reviewItemOf(alertId: string): Promise<string> {
  return until('the alert\'s review item', 10_000, async () => {
    const rows = (await t.server.database.dataSource.query('SELECT id FROM review_item WHERE alert_id = $1', [alertId])) as Array<{ id: string }>;
    return rows[0]?.id;
  });
}

async function reviewedCount(page: Page): Promise<number> {
  await page.getByRole('link', { name: 'Metrics' }).click();
  const tile = page.getByTestId('metric-reviewed');
  await tile.waitFor();
  return Number(await tile.textContent());
}

/**
 * The reviewer console against the review API agreed with the lifecycle backend
 * (GET /api/reviews/queue, POST /api/reviews, GET /api/metrics/recognition): the review item of a
 * raised watchlist alert, labelled by two reviewers.
 */
describe('reviewer console in Chromium: keyboard labels, second-reviewer confirmation, metrics', { timeout: 240_000 }, () => {
  before(async () => {
    t = await startTestServer();
    personId = (await t.api('POST', '/api/persons', { body: { name: 'Banned Bart', list: 'watchlist' } })).body.id;
    cameraId = (await t.api('POST', '/api/cameras', { body: { name: 'Gate', url: 'rtsp://10.0.0.1/gate', enabled: false } })).body.id;
    // Every alert is reviewed: raising one puts it in the queue.
    const alert = await t.server.app.get(AlertsService).raise({ cameraId, personId, list: 'watchlist', score: 0.82, distance: 0.36 });
    itemId = await reviewItemOf(alert.id);
    rita = await createUser(t, 'rita', 'reviewer', { displayName: 'Rita Reviewer' });
    sam = await createUser(t, 'sam', 'reviewer', { displayName: 'Sam Second' });
    ada = await createUser(t, 'ada', 'admin', { displayName: 'Ada Admin' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('a reviewer labels the item with one key; a second person, in another browser, confirms it; the metrics view changes', async () => {
    const first = await openPage(browser, t.server.url);
    await signInWithPassword(first.page, t.server.url, rita.username, rita.password);
    await first.page.waitForURL((url) => url.pathname === '/review', { timeout: 5_000 });
    assert.equal(new URL(first.page.url()).pathname, '/review', 'a reviewer lands on the review console');
    const before = await reviewedCount(first.page);
    await screenshot(first.page, 'review-metrics-before');

    await first.page.getByRole('link', { name: 'Queue' }).click();
    await first.page.getByRole('heading', { name: 'Is this Banned Bart?' }).waitFor({ timeout: 15_000 });
    await screenshot(first.page, 'review-queue');
    await first.page.getByLabel('Notes (optional)').fill('clear face, same scar');
    await first.page.keyboard.press('Tab'); // leave the notes field: keys label only outside inputs
    await first.page.keyboard.press('t');
    await first.page.getByTestId('review-feedback').getByText(/^Labelled TP/).waitFor();
    const queue = (await t.api('GET', '/api/reviews/queue?status=all')).body;
    const item = queue.items.find((i: any) => i.id === itemId);
    assert.deepEqual(item.labels.map((l: any) => [l.reviewerName, l.label, l.notes]), [['Rita Reviewer', 'TP', 'clear face, same scar']]);
    assert.equal(item.requiredLabels, 2, 'a watchlist alert needs a second reviewer');

    // A second person, in a browser context of their own (own cookie jar).
    const second = await openPage(browser, t.server.url);
    await signInWithPassword(second.page, t.server.url, sam.username, sam.password);
    // Still in the queue ("To review") until a second reviewer agrees.
    await second.page.getByRole('heading', { name: 'Is this Banned Bart?' }).waitFor({ timeout: 15_000 });
    await second.page.getByText('waiting for another reviewer').waitFor();
    await second.page.getByText('TP by Rita Reviewer').waitFor();
    await second.page.keyboard.press('t');
    await second.page.getByTestId('review-feedback').getByText(/^Labelled TP/).waitFor();
    const confirmed = (await t.api('GET', '/api/reviews/queue?status=confirmed')).body;
    assert.ok(confirmed.items.some((i: any) => i.id === itemId), 'two reviewers agreeing confirm the item');
    const audit = await t.server.database.repos.audit.forObject('review_item', itemId);
    const confirm = audit.find((e) => e.action === 'review.confirm')!;
    assert.deepEqual((confirm.details as { reviewers: Array<{ userId: string }> }).reviewers.map((r) => r.userId), [rita.id, sam.id], 'confirmed by two people');

    const afterLabels = await reviewedCount(second.page);
    assert.ok(afterLabels > before, `reviewed count went from ${before} to ${afterLabels}`);
    await screenshot(second.page, 'review-metrics-after');
    await second.page.getByRole('link', { name: 'Model versions' }).click();
    await second.page.getByRole('heading', { name: 'Model versions' }).waitFor();
    await screenshot(second.page, 'review-models');
    assert.equal(await second.page.getByRole('button', { name: 'Refresh now' }).count(), 0, 'a reviewer cannot refresh');

    // An administrator starts a refresh; it runs on the server in the background and the page
    // follows it to its decision (too few reviewed faces here to promote anything).
    const admin = await openPage(browser, t.server.url);
    await signInWithPassword(admin.page, t.server.url, ada.username, ada.password, '/review');
    await admin.page.getByRole('link', { name: 'Model versions' }).click();
    await admin.page.getByRole('button', { name: 'Refresh now' }).click();
    await admin.page.getByTestId('refresh-status').getByText(/^Candidate v2 was (not )?promoted: /).waitFor({ timeout: 60_000 });
    await admin.page.getByRole('rowheader', { name: 'v2' }).waitFor();
    await screenshot(admin.page, 'review-models-refreshed');
    const run = (await t.api('GET', '/api/model-versions/refresh')).body.run;
    assert.deepEqual([run.status, run.trigger, run.result.candidate.label], ['finished', 'admin', 'v2']);
    for (const r of [first, second, admin]) {
      assert.deepEqual(r.foreign, []);
      assert.deepEqual(r.errors, []);
    }
  });

  it('one person holding two reviewer tokens cannot confirm an item alone', async () => {
    const alert = await t.server.app.get(AlertsService).raise({ cameraId, personId, list: 'watchlist', score: 0.8, distance: 0.38 });
    const item = await reviewItemOf(alert.id);
    const owned = async (name: string) => {
      const r = await t.api('POST', '/api/tokens', { body: { name, role: 'reviewer', ownerUserId: rita.id } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.token as string;
    };
    const [laptop, tablet] = [await owned('Rita laptop'), await owned('Rita tablet')];
    const by = (token: string) => t.api('POST', '/api/reviews', { token, body: { itemId: item, label: 'TP' } });
    const firstLabel = await by(laptop);
    assert.equal(firstLabel.status, 201, JSON.stringify(firstLabel.body));
    assert.notEqual(firstLabel.body.item.status, 'confirmed', 'one label is not enough for an alert');
    const again = await by(tablet);
    assert.equal(again.status, 403, 'the same person with another token');
    assert.match(again.body.message, /already labelled this item \(with this or another of your tokens\)/);
    const stored = (await t.api('GET', '/api/reviews/queue?status=all')).body.items.find((i: any) => i.id === item);
    assert.deepEqual(stored.labels.map((l: any) => l.reviewerName), ['Rita laptop'], 'the refused label left nothing behind');
    assert.equal((await t.api('GET', '/api/reviews/queue?status=confirmed')).body.items.some((i: any) => i.id === item), false, 'not confirmed');
  });
});
