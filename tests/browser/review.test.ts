import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { AlertsService } from '../../apps/server/src/alerts/alerts.service';
import { launchBrowser, openPage, screenshot, signIn, WatchedPage } from '../support/browser';
import { until } from '../support/socket-client';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

let t: TestServer;
let browser: Browser;
let itemId: string;
const reviewers: Record<'first' | 'second', { token: string; watched?: WatchedPage }> = { first: { token: '' }, second: { token: '' } };

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
    const personId = (await t.api('POST', '/api/persons', { body: { name: 'Banned Bart', list: 'watchlist' } })).body.id;
    const cameraId = (await t.api('POST', '/api/cameras', { body: { name: 'Gate', url: 'rtsp://10.0.0.1/gate', enabled: false } })).body.id;
    // Every alert is reviewed: raising one puts it in the queue.
    const alert = await t.server.app.get(AlertsService).raise({ cameraId, personId, list: 'watchlist', score: 0.82, distance: 0.36 });
    itemId = await until('the alert\'s review item', 10_000, async () => {
      const rows = (await t.server.database.dataSource.query('SELECT id FROM review_item WHERE alert_id = $1', [alert.id])) as Array<{ id: string }>;
      return rows[0]?.id;
    });
    reviewers.first.token = (await t.api('POST', '/api/tokens', { body: { name: 'Rita Reviewer', role: 'reviewer' } })).body.token;
    reviewers.second.token = (await t.api('POST', '/api/tokens', { body: { name: 'Sam Second', role: 'reviewer' } })).body.token;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('a reviewer labels the item with one key; a second reviewer confirms it; the metrics view changes', async () => {
    const first = (reviewers.first.watched = await openPage(browser, t.server.url));
    await signIn(first.page, t.server.url, reviewers.first.token);
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
    const queue = (await t.api('GET', '/api/reviews/queue?status=all', { token: reviewers.first.token })).body;
    const item = queue.items.find((i: any) => i.id === itemId);
    assert.deepEqual(item.labels.map((l: any) => [l.reviewerName, l.label, l.notes]), [['Rita Reviewer', 'TP', 'clear face, same scar']]);
    assert.equal(item.requiredLabels, 2, 'a watchlist alert needs a second reviewer');

    const second = (reviewers.second.watched = await openPage(browser, t.server.url));
    await signIn(second.page, t.server.url, reviewers.second.token);
    // Still in the queue ("To review") until a second reviewer agrees.
    await second.page.getByRole('heading', { name: 'Is this Banned Bart?' }).waitFor({ timeout: 15_000 });
    await second.page.getByText('waiting for another reviewer').waitFor();
    await second.page.getByText('TP by Rita Reviewer').waitFor();
    await second.page.keyboard.press('t');
    await second.page.getByTestId('review-feedback').getByText(/^Labelled TP/).waitFor();
    const confirmed = (await t.api('GET', '/api/reviews/queue?status=confirmed', { token: reviewers.second.token })).body;
    assert.ok(confirmed.items.some((i: any) => i.id === itemId), 'two reviewers agreeing confirm the item');

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
    await signIn(admin.page, t.server.url, TEST_ADMIN_TOKEN, '/review');
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
});
