import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { VigilConfig } from '@vigil/config';
import type { KpiBreachEvent, KpiBreachView } from '@vigil/contracts';
import type { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import type { Leadership } from '../leadership/leadership';
import { KpiMonitor } from './kpi-monitor.service';
import type { RecognitionMetricsService } from './recognition-metrics.service';

const BREACH: KpiBreachView = { metric: 'accuracy', value: 0.5, target: 0.9, scope: 'camera:1' } as KpiBreachView;

function monitor(leads: () => boolean) {
  const db = { repos: { settings: { getMany: async () => ({}) } } } as unknown as Database;
  let breaches: KpiBreachView[] = [];
  const metrics = { report: async () => ({ kpi: { breaches } }) } as unknown as RecognitionMetricsService;
  const events = new AppEvents();
  const pushed: KpiBreachEvent[] = [];
  events.on('kpi.breach', (b) => pushed.push(b));
  const leadership = { isLeader: () => leads(), recordRun: () => undefined } as unknown as Leadership;
  const m = new KpiMonitor(db, metrics, events, { timeZone: 'UTC', roles: ['api'] } as unknown as VigilConfig, leadership);
  return { m, pushed, set: (b: KpiBreachView[]) => (breaches = b) };
}

describe('KpiMonitor announces breaches only where it leads the kpi-monitor job', () => {
  for (const [name, leads, announced] of [
    ['the leader announces a new breach once', true, 1],
    ['a process that does not lead keeps it for its health and announces nothing', false, 0],
  ] as const) {
    it(name, async () => {
      const { m, pushed, set } = monitor(() => leads);
      await m.check();
      set([BREACH]);
      await m.check();
      await m.check();
      assert.equal(pushed.length, announced);
      assert.deepEqual(m.current()?.breaches, [BREACH], 'health sees the breach either way');
    });
  }

  it('a process that takes over does not re-announce a breach it already saw', async () => {
    let leads = false;
    const { m, pushed, set } = monitor(() => leads);
    set([BREACH]);
    await m.check();
    leads = true;
    await m.check();
    assert.equal(pushed.length, 0);
  });
});
