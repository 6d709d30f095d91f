/**
 * The coordination cost of camera leases alone (issue #14 goal: < 2 % of a core per 10 cameras):
 * one worker's CameraLeases holding N cameras on a fresh PostgreSQL database, with no ingest and
 * no inference, so the process's CPU is the lease rounds (renew + heartbeat, plan read, claims)
 * plus the driver. A baseline of the same process with the database open and no leases is
 * measured first and subtracted. Database statements come from the process's own counter
 * (vigil_db_statements_total's source).
 *
 * Usage: npm run build && node dist/bench/lease-overhead.js [--cameras 10,100] [--seconds 60] [--ttl 10]
 */
import * as os from 'node:os';
import { Database } from '@vigil/persistence';
import { CameraLeases } from '../apps/server/src/leases/camera-leases';
import { createClusterDatabase } from '../tests/support/cluster';

const argOf = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const SIZES = argOf('cameras', '10,100').split(',').map(Number);
const SECONDS = Number(argOf('seconds', '60'));
const TTL = Number(argOf('ttl', '10'));
const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds of this process over `seconds`, and the statements it sent meanwhile. */
async function window(db: Database, seconds: number): Promise<{ cpu: number; statements: number; wall: number }> {
  const cpu0 = process.cpuUsage();
  const st0 = db.statements;
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1e6, statements: db.statements - st0, wall: (performance.now() - t0) / 1000 };
}

async function measure(cameras: number) {
  const cluster = await createClusterDatabase();
  const db = await Database.open({ kind: 'postgres', url: cluster.url });
  try {
    for (let i = 0; i < cameras; i++) await db.repos.cameras.create({ name: `cam-${i}`, url: `rtsp://camera-${i}.invalid/stream` });
    const idle = await window(db, SECONDS);
    let renewals = 0;
    const leases = new CameraLeases(db, { name: 'bench-worker', capacity: 1000, ttlSeconds: TTL, rebalanceSeconds: 30 }, {
      leaseCamerasHeld: { set: () => undefined },
      leaseRenewals: { inc: () => void renewals++ },
      leaseClaims: { inc: () => undefined },
      leaseReleases: { inc: () => undefined },
      leaseLost: { inc: () => undefined },
    });
    await leases.start();
    const held = leases.heldLeases().size;
    const renewals0 = renewals;
    const leased = await window(db, SECONDS);
    await leases.stop();
    const extraCpu = Math.max(0, leased.cpu / leased.wall - idle.cpu / idle.wall);
    return {
      cameras,
      held,
      leaseRoundsPerS: round((renewals - renewals0) / leased.wall, 3),
      statementsPerS: round(leased.statements / leased.wall, 2),
      statementsPerCameraPerS: round(leased.statements / leased.wall / cameras, 4),
      cpuPercentOfCore: round((100 * leased.cpu) / leased.wall, 3),
      idleCpuPercentOfCore: round((100 * idle.cpu) / idle.wall, 3),
      leaseCpuPercentPer10Cameras: round((100 * extraCpu * 10) / cameras, 3),
    };
  } finally {
    await db.close();
    await cluster.cleanup();
  }
}

async function main(): Promise<void> {
  const results = [];
  for (const n of SIZES) results.push(await measure(n));
  console.log(JSON.stringify({
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, load1: round(os.loadavg()[0]!) },
    settings: { seconds: SECONDS, leaseTtlSeconds: TTL, database: 'PostgreSQL 15 on loopback', note: 'one worker, no ingest/inference: lease rounds only; CPU is this process (driver included) minus an idle baseline' },
    goal: '< 2 % of a core per 10 cameras',
    results,
  }, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
