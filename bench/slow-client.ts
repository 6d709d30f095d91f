/**
 * One slow client cannot hurt the others (docs/reliability: realtime delivery). 20 consoles
 * receive alerts raised at `--rate` per second, first alone (baseline), then beside a console that
 * stops reading its socket (its TCP stream is paused: the kernel buffers fill, then the server's
 * own write buffer for it grows). Prints JSON: the normal consoles' raise → receipt latency p50 /
 * p99 / max in both phases, what they missed, the process's RSS growth in each phase (server and
 * clients share it), and whether the slow console, once it reads again, gets every alert.
 *
 * Latency is measured from just before `AlertsService.raise` (which commits) to the client's
 * handler, so it includes the commit and the relay's wake-up. Server and clients share one process
 * (as in the other benches), so the figures compare phases, not machines.
 *
 * Usage: npm run build && node dist/bench/slow-client.js [--clients 20] [--alerts 2000] [--rate 100]
 */
import type { Socket } from 'socket.io-client';
import type { AlertEvent } from '@vigil/contracts';
import { AlertsService } from '../apps/server/src/alerts/alerts.service';
import { connectSocket, until } from '../tests/support/socket-client';
import { startTestServer, TEST_ADMIN_TOKEN } from '../tests/support/test-server';
import { percentile } from './percentile';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLIENTS = arg('clients', 20);
const ALERTS = arg('alerts', 2000);
const RATE = arg('rate', 100);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Console {
  socket: Socket;
  received: Map<string, number>;
}

/** The TCP socket under a socket.io-client websocket (ws in Node): pausing it stops reading. */
function tcpOf(socket: Socket): { pause(): void; resume(): void } {
  const engine = (socket.io as unknown as { engine: { transport: { ws?: { _socket?: { pause(): void; resume(): void } } } } }).engine;
  const tcp = engine.transport.ws?._socket;
  if (!tcp) throw new Error('no TCP socket under this socket.io client (not the websocket transport?)');
  return tcp;
}

async function main(): Promise<void> {
  const t = await startTestServer({ VIGIL_ALERT_ESCALATE_SECONDS: '0' });
  try {
    const alerts = t.server.app.get(AlertsService);
    const personId = (await t.api('POST', '/api/persons', { body: { name: 'Flood Person', list: 'watchlist' } })).body.id as string;
    const connect = async (): Promise<Console> => {
      const received = new Map<string, number>();
      const socket = await connectSocket(t.server.url, { token: TEST_ADMIN_TOKEN }, (s) =>
        s.on('alert', (e: AlertEvent, ack: () => void) => {
          ack();
          if (!received.has(e.id)) received.set(e.id, Date.now());
        }),
      );
      return { socket, received };
    };
    const consoles = await Promise.all(Array.from({ length: CLIENTS }, connect));

    /** Raises ALERTS alerts at RATE per second; returns id → the time just before its raise. */
    const flood = async (): Promise<Map<string, number>> => {
      const startedAt = new Map<string, number>();
      const begin = Date.now();
      for (let i = 0; i < ALERTS; i++) {
        const due = begin + (i * 1000) / RATE;
        if (due > Date.now()) await sleep(due - Date.now());
        const before = Date.now();
        startedAt.set((await alerts.raise({ cameraId: null, personId, list: 'watchlist', score: 0.9 })).id, before);
      }
      return startedAt;
    };
    const measure = async (startedAt: Map<string, number>) => {
      await until('the normal consoles to receive the flood', 120_000, () => (consoles.every((c) => [...startedAt.keys()].every((id) => c.received.has(id))) ? true : undefined), 200).catch(() => undefined);
      const latencies: number[] = [];
      let missed = 0;
      for (const c of consoles) {
        for (const [id, before] of startedAt) {
          const at = c.received.get(id);
          if (at === undefined) missed++;
          else latencies.push(at - before);
        }
      }
      return { p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), maxMs: percentile(latencies, 1), missed };
    };

    await flood().then(measure); // warm-up (JIT, connection pools), not reported
    const rss = () => process.memoryUsage().rss;
    const rssAtBaseline = rss();
    const baseline = { ...(await measure(await flood())), serverRssGrowthMb: 0 };
    baseline.serverRssGrowthMb = Math.round((rss() - rssAtBaseline) / 1e6);

    const slow = await connect();
    const tcp = tcpOf(slow.socket);
    tcp.pause();
    const rssBefore = rss();
    const stalledFlood = await flood();
    const withSlow = { ...(await measure(stalledFlood)), serverRssGrowthMb: Math.round((rss() - rssBefore) / 1e6) };
    const receivedWhileStalled = [...stalledFlood.keys()].filter((id) => slow.received.has(id)).length;

    const resumedAt = Date.now();
    tcp.resume();
    const caughtUp = await until('the slow console to catch up', 120_000, () => ([...stalledFlood.keys()].every((id) => slow.received.has(id)) ? true : undefined), 100).catch(() => false);
    const catchUpMs = Date.now() - resumedAt;

    console.log(
      JSON.stringify(
        {
          settings: { clients: CLIENTS, alertsPerPhase: ALERTS, ratePerSecond: RATE, database: t.db.label },
          normalConsoles: { baseline, besideSlowConsole: withSlow },
          p99ChangePercent: baseline.p99Ms && withSlow.p99Ms ? Math.round(((withSlow.p99Ms - baseline.p99Ms) / baseline.p99Ms) * 100) : null,
          slowConsole: { receivedWhileStalled, ofRaised: stalledFlood.size, caughtUpAfterResume: caughtUp, catchUpMs },
        },
        null,
        2,
      ),
    );
    for (const c of [...consoles, slow]) c.socket.close();
  } finally {
    await t.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
