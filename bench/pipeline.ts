/**
 * Pipeline benchmark: N cameras → ingest → motion gate → inference pool → tracker/vote → matcher →
 * alert committed → pushed to a socket.io console, all in one real server process.
 *
 * Each camera plays (file source, `-re`, looped, 5 fps ingest) a clip of an empty hallway in which
 * an enrolled watchlist face appears for 3 s of every 15 s (20 % of frames), at a phase that
 * differs per camera. Alert cooldown is 0, so every appearance that the vote decides is an alert.
 *
 * Prints one JSON document: analysed frames/s (inference jobs done), frames delivered, passed by
 * the motion gate and not analysed (dropped while the camera's previous frame was still in
 * inference), appearances vs alerts, and latencies:
 *  - firstSightToAlertMs: track's first detection (frame time) → alert received by the console;
 *  - appearToAlertMs: the face's appearance in the source (estimated from the clip's phase, which
 *    is taken from the camera's first "online" and so runs ~1–2 s late: read it with care) → alert
 *    received; includes ingest, motion gate, queueing and the 3-sighting vote;
 *  - recall: appearances in the window that got at least one alert (see SLOT_BEFORE_MS);
 * plus CPU (this process and its ffmpeg children, in cores) and RSS.
 *
 * Usage: npm run build && node dist/bench/pipeline.js [--cameras 8] [--seconds 60] [--workers N] [--detector ssd|tiny]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AlertEvent } from '@vigil/contracts';
import { connectSocket, until } from '../tests/support/socket-client';
import { startTestServer, TEST_ADMIN_TOKEN } from '../tests/support/test-server';
import { hallwayClip, walkerFace } from './hallway-clip';
import { percentile as rawPercentile } from './percentile';
import { childPids, cpuSeconds, rssMb } from './proc-stats';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CAMERAS = arg('cameras', 8);
const SECONDS = arg('seconds', 60);
const WORKERS = arg('workers', os.availableParallelism());
const detectorArg = process.argv.indexOf('--detector');
const DETECTOR = detectorArg >= 0 ? process.argv[detectorArg + 1]! : 'ssd';
const CYCLE_S = 15;
/** The slot of an appearance for the recall: from 5 s before its estimated start to 10 s after (15 s in all). */
const SLOT_BEFORE_MS = 5_000;
const SLOT_AFTER_MS = CYCLE_S * 1000 - SLOT_BEFORE_MS;
const FACE_S = 3;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

/** Whole milliseconds / megabytes. */
function percentile(values: number[], q: number): number | null {
  const v = rawPercentile(values, q);
  return v === null ? null : Math.round(v);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-pipeline-'));
  // Clips first: encoding blocks this process, which also hosts the server.
  // Phases spread over the cycle so that faces do not all appear at once.
  const clips: Array<{ clip: string; faceAt: number }> = [];
  for (let i = 0; i < CAMERAS; i++) {
    const faceAt = (Math.round(((i * CYCLE_S) / CAMERAS) * 10) / 10) % (CYCLE_S - FACE_S);
    clips.push({ clip: await hallwayClip(dir, faceAt, { cycleS: CYCLE_S, faceS: FACE_S }), faceAt });
  }
  const t = await startTestServer({
    VIGIL_ROLES: 'api,worker', VIGIL_DEMO: '0', VIGIL_ALLOW_FILE_URLS: '1', VIGIL_INFERENCE_WORKERS: String(WORKERS),
    VIGIL_ALERT_COOLDOWN_SECONDS: '0', VIGIL_ALERT_ESCALATE_SECONDS: '0', VIGIL_DETECTOR: DETECTOR,
  });
  try {
    await until('inference ready', 180_000, async () => ((await t.api('GET', '/api/health')).body.inference.status === 'ready' ? true : undefined), 250);
    const person = (await t.api('POST', '/api/persons', { body: { name: 'Bench Walker', list: 'watchlist' } })).body.id as string;
    const form = new FormData();
    const jpeg = await walkerFace().jpeg({ quality: 95 }).toBuffer();
    form.append('image', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'walker.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${person}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    if (enrolled.status !== 201) throw new Error(`enrolment failed: ${await enrolled.text()}`);

    const received: Array<{ event: AlertEvent; at: number }> = [];
    const socket = await connectSocket(t.server.url, { token: TEST_ADMIN_TOKEN }, (s) =>
      s.on('alert', (event: AlertEvent, ack: () => void) => {
        ack();
        received.push({ event, at: Date.now() });
      }),
    );

    const cameras: Array<{ id: string; faceAt: number; startedAt: number }> = [];
    for (const [i, { clip, faceAt }] of clips.entries()) {
      const body = { name: `Hallway ${i + 1}`, url: pathToFileURL(clip).toString(), fps: 5 };
      const created = await t.api('POST', '/api/cameras', { body });
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
      cameras.push({ id: created.body.id, faceAt, startedAt: 0 });
    }
    // The clip's t=0 is when ffmpeg starts reading (-re): take the camera's first `online`.
    await until('cameras online', 60_000, async () => {
      const list = (await t.api('GET', '/api/cameras?limit=100')).body;
      const items = (Array.isArray(list) ? list : list.items) as Array<{ id: string; status: string }>;
      for (const c of cameras) if (!c.startedAt && items.find((x) => x.id === c.id)?.status === 'online') c.startedAt = Date.now();
      return cameras.every((c) => c.startedAt) ? true : undefined;
    }, 50);

    const metrics0 = await scrape(t.server.url);
    const health0 = (await t.api('GET', '/api/health')).body.inference.stats;
    const cpu0 = cpuAll();
    const t0 = Date.now();
    const rssSamples: number[] = [];
    while (Date.now() - t0 < SECONDS * 1000) {
      await sleep(1000);
      rssSamples.push(rssAll());
    }
    const wall = (Date.now() - t0) / 1000;
    const cpu = (cpuAll() - cpu0) / wall;
    const metrics1 = await scrape(t.server.url);
    const health1 = (await t.api('GET', '/api/health')).body.inference.stats;
    socket.close();

    const window = received.filter((r) => r.at >= t0);
    const firstSight: number[] = [];
    const appear: number[] = [];
    for (const r of window) {
      const [track] = (await t.server.database.dataSource.query('SELECT started_at AS "startedAt" FROM track WHERE id = $1', [r.event.trackId])) as Array<{ startedAt: Date }>;
      if (track) firstSight.push(r.at - new Date(track.startedAt).getTime());
      const cam = cameras.find((c) => c.id === r.event.cameraId)!;
      // The latest appearance of the face in this camera's loop at or before the decision.
      const decided = new Date(r.event.at).getTime();
      const cycles = Math.floor((decided - cam.startedAt - cam.faceAt * 1000) / (CYCLE_S * 1000));
      appear.push(r.at - (cam.startedAt + cam.faceAt * 1000 + cycles * CYCLE_S * 1000));
    }
    // Recall: of the appearances whose whole slot lies in the measured window, how many got an
    // alert. Appearance k of a camera owns the slot [start − 5 s, start + 10 s): the slots tile the
    // timeline, so every alert belongs to exactly one appearance, and the estimate of the clip's
    // phase (from the camera's first "online", measured ~1–2 s late) may be off by a few seconds.
    const windowEnd = t0 + wall * 1000;
    let eligible = 0;
    let alerted = 0;
    for (const cam of cameras) {
      for (let start = cam.startedAt + cam.faceAt * 1000; start + SLOT_AFTER_MS <= windowEnd; start += CYCLE_S * 1000) {
        if (start - SLOT_BEFORE_MS < t0) continue;
        eligible++;
        if (window.some((r) => r.event.cameraId === cam.id && new Date(r.event.at).getTime() >= start - SLOT_BEFORE_MS && new Date(r.event.at).getTime() < start + SLOT_AFTER_MS)) alerted++;
      }
    }
    const appearances = cameras.reduce((n, c) => n + Math.floor((SECONDS - c.faceAt) / CYCLE_S) + (SECONDS % CYCLE_S > c.faceAt ? 1 : 0), 0);
    const delta = (name: string) => sum(metrics1, name) - sum(metrics0, name);
    const drops: Record<string, number> = {};
    for (const reason of ['busy', 'no_gallery', 'not_ready', 'queue_full', 'throttled', 'timeout', 'failed']) {
      drops[reason] = sumLabelled(metrics1, 'vigil_recognition_dropped_frames_total', reason) - sumLabelled(metrics0, 'vigil_recognition_dropped_frames_total', reason);
    }
    const analyses: Record<string, number> = {};
    for (const kind of ['scan', 'follow']) for (const detector of ['ssd', 'tiny']) {
      analyses[`${kind}/${detector}`] = sumLabelled(metrics1, 'vigil_recognition_analyses_total', `kind="${kind}",detector="${detector}"`) - sumLabelled(metrics0, 'vigil_recognition_analyses_total', `kind="${kind}",detector="${detector}"`);
    }
    const doc = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, backend: (await t.api('GET', '/api/health')).body.inference.backend },
      settings: { cameras: CAMERAS, seconds: SECONDS, ingestFps: 5, inferenceWorkers: WORKERS, source: 'file 1280x720 H.264, looped with -re', faces: `${FACE_S} s of every ${CYCLE_S} s`, detector: DETECTOR, minSightings: 3 },
      results: {
        framesDelivered: delta('vigil_camera_frames_total'),
        framesPassedMotionGate: delta('vigil_camera_analysed_frames_total'),
        analysedFps: round((health1.processed - health0.processed) / wall, 2),
        inferenceDropped: health1.dropped - health0.dropped,
        ingestDropped: delta('vigil_camera_dropped_frames_total'),
        faceAppearances: appearances,
        alerts: window.length,
        recall: { appearances: eligible, alerted, rate: eligible > 0 ? round(alerted / eligible, 3) : null },
        recognitionDrops: drops,
        analyses,
        loadLevelAtEnd: sum(metrics1, 'vigil_recognition_load_level'),
        firstSightToAlertMs: { p50: percentile(firstSight, 0.5), p95: percentile(firstSight, 0.95), max: percentile(firstSight, 1) },
        appearToAlertMs: { p50: percentile(appear, 0.5), p95: percentile(appear, 0.95), max: percentile(appear, 1) },
        cpuCores: round(cpu, 2),
        rssMb: { median: percentile(rssSamples, 0.5), max: percentile(rssSamples, 1) },
      },
    };
    console.log(JSON.stringify(doc, null, 2));
  } finally {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** This process (incl. worker threads) and its direct children (ffmpeg). */
function cpuAll(): number {
  return cpuSeconds(process.pid) + childPids(process.pid).reduce((s, p) => s + cpuSeconds(p), 0);
}
function rssAll(): number {
  return rssMb(process.pid) + childPids(process.pid).reduce((s, p) => s + rssMb(p), 0);
}

async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).text();
}
/** Sum of a metric's samples whose label text contains `match` (e.g. a drop reason or kind/detector pair). */
function sumLabelled(text: string, name: string, match: string): number {
  let total = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`) && line.includes(match.includes('=') ? match : `reason="${match}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}
function sum(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
