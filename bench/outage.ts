/**
 * Long-outage soak: a console is cut off for `--minutes` (default 10) while alerts keep being raised
 * (one every `--every` seconds, default 5); it then reconnects with its last offset. Prints JSON:
 * raised vs received (after de-duplication by id), whether the order is the seq order, duplicates,
 * and how long the catch-up took. The e2e suite checks the same promise with a short outage; this
 * is the 10-minute version from docs/reliability (too long for every CI run).
 *
 * Usage: npm run build && node dist/bench/outage.js [--minutes 10] [--every 5]
 */
import type { AlertEvent } from '@vigil/contracts';
import { AlertsService } from '../apps/server/src/alerts/alerts.service';
import { connectSocket, until } from '../tests/support/socket-client';
import { startTestServer, TEST_ADMIN_TOKEN } from '../tests/support/test-server';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MINUTES = arg('minutes', 10);
const EVERY_S = arg('every', 5);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const t = await startTestServer({ VIGIL_ALERT_ESCALATE_SECONDS: '0' });
  try {
    const alerts = t.server.app.get(AlertsService);
    const personId = (await t.api('POST', '/api/persons', { body: { name: 'Soak Person', list: 'watchlist' } })).body.id as string;
    const received: AlertEvent[] = [];
    const seen = new Set<string>();
    let offset = '0';
    let deliveries = 0;
    const listen = (s: import('socket.io-client').Socket) =>
      s.on('alert', (e: AlertEvent, ack: () => void) => {
        ack();
        deliveries++;
        if (seen.has(e.id)) return;
        seen.add(e.id);
        received.push(e);
        offset = e.seq;
      });

    let socket = await connectSocket(t.server.url, { token: TEST_ADMIN_TOKEN, offset }, listen);
    const raised: string[] = [];
    for (let i = 0; i < 3; i++) raised.push((await alerts.raise({ cameraId: null, personId, list: 'watchlist', score: 0.9 })).id);
    await until('live alerts', 10_000, () => (received.length === 3 ? true : undefined));
    socket.close();

    const outageStarted = Date.now();
    while (Date.now() - outageStarted < MINUTES * 60_000) {
      raised.push((await alerts.raise({ cameraId: null, personId, list: 'watchlist', score: 0.9 })).id);
      await sleep(EVERY_S * 1000);
    }
    const reconnectAt = Date.now();
    socket = await connectSocket(t.server.url, { token: TEST_ADMIN_TOKEN, offset }, listen);
    await until('caught up', 60_000, () => (received.length >= raised.length ? true : undefined), 20);
    const catchUpMs = Date.now() - reconnectAt;
    await sleep(1000);
    socket.close();

    const ids = received.map((e) => e.id);
    const inOrder = received.every((e, i) => i === 0 || BigInt(received[i - 1]!.seq) < BigInt(e.seq));
    console.log(
      JSON.stringify(
        {
          outageMinutes: MINUTES,
          raised: raised.length,
          received: received.length,
          missing: raised.filter((id) => !seen.has(id)).length,
          unexpected: ids.filter((id) => !raised.includes(id)).length,
          duplicatesDropped: deliveries - received.length,
          inSeqOrder: inOrder,
          sameOrderAsRaised: JSON.stringify(ids) === JSON.stringify(raised),
          catchUpMs,
          database: t.db.label,
        },
        null,
        2,
      ),
    );
  } finally {
    await t.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
