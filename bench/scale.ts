/**
 * Scale-out benchmark (issue #14): N file cameras at 5 fps shared by 1, then 2 worker processes
 * through PostgreSQL leases, then a `kill -9` of one worker.
 *
 * One api process (creates the cameras, enrols the walker so inference runs) and the workers run as
 * real server processes on a fresh PostgreSQL database (tests/support/cluster). Per phase and per
 * worker it prints: cameras held, ffmpeg processes, frames analysed/s (inference passes), lease
 * renewals/s, database statements per held camera per second (every statement the worker sent:
 * frames' writes and reads as well as lease work), and CPU in cores (the worker and its ffmpeg
 * children). Then the time the second worker took to be given its share (one move per
 * `--rebalance` seconds), and the failover time: `kill -9` of a worker → every camera online on the
 * survivor (goal: ≤ 2 × lease TTL + ffmpeg start). The coordination cost alone is measured by
 * `bench/lease-overhead` (no ingest, no inference).
 *
 * Usage: npm run build && node dist/bench/scale.js [--cameras 10] [--seconds 60] [--ttl 10] [--rebalance 5] [--detector tiny]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterRedisUrl, createClusterDatabase, metricValue, startNode, waitFor, type ClusterNode } from '../tests/support/cluster';
import { hallwayClip, walkerFace } from './hallway-clip';
import { childPids, cpuSeconds } from './proc-stats';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CAMERAS = arg('cameras', 10);
const SECONDS = arg('seconds', 60);
const TTL = arg('ttl', 10);
const REBALANCE = arg('rebalance', 5);
const detectorArg = process.argv.indexOf('--detector');
const DETECTOR = detectorArg >= 0 ? process.argv[detectorArg + 1]! : 'tiny';
const CYCLE_S = 15;
const FACE_S = 3;
const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

interface CameraRow {
  id: string;
  status: string;
  worker: { id: string; name: string } | null;
}

async function cameraList(api: ClusterNode): Promise<CameraRow[]> {
  const body = await api.get<CameraRow[] | { items: CameraRow[] }>('/api/cameras?limit=100');
  return Array.isArray(body) ? body : body.items;
}

function ffmpegChildren(pid: number): number {
  return childPids(pid).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'ffmpeg';
    } catch {
      return false;
    }
  }).length;
}

const cpuTree = (pid: number) => cpuSeconds(pid) + childPids(pid).reduce((s, p) => s + cpuSeconds(p), 0);

interface Sample {
  at: number;
  cpu: number;
  metrics: string;
}

async function sample(worker: ClusterNode): Promise<Sample> {
  return { at: Date.now(), cpu: cpuTree(worker.pid), metrics: await worker.metrics() };
}

function perWorker(worker: ClusterNode, a: Sample, b: Sample, cameras: CameraRow[]) {
  const seconds = (b.at - a.at) / 1000;
  const delta = (name: string) => metricValue(b.metrics, name) - metricValue(a.metrics, name);
  const held = cameras.filter((c) => c.worker?.name === worker.name).length;
  return {
    worker: worker.name,
    camerasHeld: held,
    camerasHeldMetric: metricValue(b.metrics, 'vigil_lease_cameras_held'),
    ffmpegProcesses: ffmpegChildren(worker.pid),
    framesAnalysedPerS: round(delta('vigil_recognition_analyses_total') / seconds),
    framesDeliveredPerS: round(delta('vigil_camera_frames_total') / seconds),
    leaseRenewalsPerS: round(delta('vigil_lease_renewals_total') / seconds, 3),
    dbStatementsPerCameraPerS: held > 0 ? round(delta('vigil_db_statements_total') / held / seconds, 3) : null,
    cpuCores: round((b.cpu - a.cpu) / seconds),
  };
}

async function measure(workers: ClusterNode[], api: ClusterNode) {
  const before = await Promise.all(workers.map(sample));
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const after = await Promise.all(workers.map(sample));
  const cameras = await cameraList(api);
  return workers.map((w, i) => perWorker(w, before[i]!, after[i]!, cameras));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-scale-'));
  const db = await createClusterDatabase();
  const redisUrl = await clusterRedisUrl();
  const nodes: ClusterNode[] = [];
  const workerEnv = {
    VIGIL_ALLOW_FILE_URLS: '1', VIGIL_DETECTOR: DETECTOR, VIGIL_LEASE_TTL_SECONDS: String(TTL),
    VIGIL_LEASE_REBALANCE_SECONDS: String(REBALANCE), VIGIL_ALERT_ESCALATE_SECONDS: '0',
  };
  try {
    const clips: string[] = [];
    for (let i = 0; i < CAMERAS; i++) clips.push(await hallwayClip(dir, (Math.round(((i * CYCLE_S) / CAMERAS) * 10) / 10) % (CYCLE_S - FACE_S), { cycleS: CYCLE_S, faceS: FACE_S }));
    const api = await startNode({ name: 'api', roles: ['api'], databaseUrl: db.url, redisUrl, env: workerEnv });
    nodes.push(api);
    const post = async (route: string, body: unknown) => {
      const res = await fetch(`${api.baseUrl}${route}`, { method: 'POST', headers: { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`POST ${route}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    };
    const person = await post('/api/persons', { name: 'Bench Walker', list: 'watchlist' });
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await walkerFace().jpeg({ quality: 95 }).toBuffer())], { type: 'image/jpeg' }), 'walker.jpg');
    const enrolled = await fetch(`${api.baseUrl}/api/persons/${person.id}/faces`, { method: 'POST', headers: { authorization: `Bearer ${api.adminToken}` }, body: form });
    if (enrolled.status !== 201) throw new Error(`enrolment failed: ${await enrolled.text()}`);
    for (const [i, clip] of clips.entries()) await post('/api/cameras', { name: `Hallway ${i + 1}`, url: pathToFileURL(clip).toString(), fps: 5 });

    const allOnlineOn = (names: string[]) => async () => {
      const list = await cameraList(api);
      return list.length === CAMERAS && list.every((c) => c.status === 'online' && c.worker && names.includes(c.worker.name)) ? list : undefined;
    };

    // Phase 1: one worker holds every camera.
    const w1 = await startNode({ name: 'worker-1', roles: ['worker'], databaseUrl: db.url, env: workerEnv });
    nodes.push(w1);
    await waitFor('every camera online on worker-1', allOnlineOn(['worker-1']), 240_000, 500);
    await new Promise((r) => setTimeout(r, 5_000)); // models warm, first scans done
    const oneWorker = await measure([w1], api);

    // Phase 2: a second worker joins; cameras move one at a time until the split is even.
    const joinedAt = Date.now();
    const w2 = await startNode({ name: 'worker-2', roles: ['worker'], databaseUrl: db.url, env: workerEnv });
    nodes.push(w2);
    const balanced = await waitFor('cameras balanced over two workers', async () => {
      const list = await cameraList(api);
      const a = list.filter((c) => c.worker?.name === 'worker-1' && c.status === 'online').length;
      const b = list.filter((c) => c.worker?.name === 'worker-2' && c.status === 'online').length;
      return a + b === CAMERAS && Math.abs(a - b) <= 1 ? Date.now() : undefined;
    }, 60_000 + CAMERAS * REBALANCE * 1000, 500);
    const twoWorkers = await measure([w1, w2], api);

    // Failover: kill -9 the first worker; its cameras must come up on the second.
    const movedCount = (await cameraList(api)).filter((c) => c.worker?.name === 'worker-1').length;
    const killedAt = Date.now();
    w1.kill('SIGKILL');
    await w1.exited;
    const failedOver = await waitFor('every camera online on worker-2', allOnlineOn(['worker-2']), 120_000, 250);
    const failoverMs = Date.now() - killedAt;

    console.log(JSON.stringify({
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, load1: round(os.loadavg()[0]!) },
      settings: { cameras: CAMERAS, ingestFps: 5, seconds: SECONDS, detector: DETECTOR, leaseTtlSeconds: TTL, rebalanceSeconds: REBALANCE, source: 'file 1280x720 H.264 looped with -re' },
      oneWorker,
      twoWorkers,
      rebalance: { secondsUntilEven: round((balanced - joinedAt) / 1000, 1), note: 'from the second worker\'s start (its boot included) to an even split, all online' },
      failover: { ms: failoverMs, camerasMoved: movedCount, camerasOnSurvivor: failedOver.length, goalMs: 2 * TTL * 1000, note: 'kill -9 → every camera online on the survivor (lease expiry + claim + ffmpeg start)' },
    }, null, 2));
  } finally {
    for (const n of nodes.reverse()) await n.stop().catch(() => undefined);
    await db.cleanup().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
