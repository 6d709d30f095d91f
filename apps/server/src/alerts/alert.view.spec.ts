import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertRow } from '@vigil/persistence';
import { toAlertStatusEvent } from './alert.view';

describe('toAlertStatusEvent: the `alert.status` push', () => {
  const t = (iso: string) => new Date(iso);
  const row = (over: Partial<AlertRow>): AlertRow => ({
    id: 'a1', seq: '7', cameraId: null, personId: 'p', personName: 'P', list: 'watchlist', score: 0.9, distance: null, trackId: null,
    status: 'new', cropMediaId: null, frameMediaId: null, raisedAt: t('2026-12-01T10:00:00Z'),
    acknowledgedAt: null, resolvedAt: null, escalatedAt: null, evidenceExpiredAt: null, leaseEpoch: null, ...over,
  });
  const now = t('2026-12-01T12:00:00Z');
  const cases: Array<{ name: string; row: AlertRow; by: string; reason?: 'unacknowledged'; at: string; hasReason: boolean }> = [
    { name: 'acknowledged: its acknowledgement time', row: row({ status: 'acknowledged', acknowledgedAt: t('2026-12-01T10:01:00Z'), escalatedAt: t('2026-12-01T10:00:30Z') }), by: 'Desk', at: '2026-12-01T10:01:00.000Z', hasReason: false },
    { name: 'resolved: its resolution time', row: row({ status: 'resolved', acknowledgedAt: t('2026-12-01T10:01:00Z'), resolvedAt: t('2026-12-01T10:05:00Z') }), by: 'Desk', at: '2026-12-01T10:05:00.000Z', hasReason: false },
    { name: 'escalated by the system: its escalation time and the reason', row: row({ status: 'escalated', escalatedAt: t('2026-12-01T10:02:00Z') }), by: 'system', reason: 'unacknowledged', at: '2026-12-01T10:02:00.000Z', hasReason: true },
    { name: 'a time not set (a racing change): now', row: row({ status: 'acknowledged' }), by: 'Desk', at: '2026-12-01T12:00:00.000Z', hasReason: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const event = toAlertStatusEvent(c.row, c.by, c.reason, now);
      assert.deepEqual(event, { id: 'a1', seq: '7', status: c.row.status, at: c.at, by: c.by, ...(c.hasReason ? { reason: 'unacknowledged' } : {}) });
      assert.equal('reason' in event, c.hasReason, 'no reason key unless there is one');
    });
  }
});
