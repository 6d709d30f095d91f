/**
 * Ingest benchmark: prints one JSON document with, per decimation strategy,
 * - CPU per camera (ffmpeg child from /proc/<pid>/stat, and this Node process) for 640x360 and
 *   1280x720 live H.264 sources (25 fps) ingested at 640x360, 5 fps;
 * - glass-to-frame latency: the test RTSP server's picture turns from black to white every
 *   0.7-1.3 s (random, so flashes are not phase-locked to the sampling grid) and prints the wall-clock time of each switch ("FLASH <ms>"); latency is the time
 *   from that switch to the first bright frame the supervisor emits. It includes the server's
 *   encode (openh264), RTP over loopback, ffmpeg decode + filter, the pipe and the decimation's
 *   sampling delay (a flash can fall between two kept frames); it excludes any camera's sensor
 *   and encoder, which a real camera adds on top. Same machine, same clock.
 * Usage: npm run build && node dist/bench/ingest.js [--seconds 10]
 * Needs the GStreamer RTSP server (see tests/support/rtsp-server.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { CameraSupervisor, resolveFfmpeg, type Decimation } from '@vigil/video';
import { RtspTestServer, rtspServerAvailable } from '../tests/support/rtsp-server';
import { percentile } from './percentile';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg >= 0 ? Number(process.argv[secondsArg + 1]) : 10;
const DECIMATIONS: Decimation[] = ['select', 'fps-filter', 'node'];
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
}

async function online(cam: CameraSupervisor): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (cam.stats().status !== 'online') {
    if (Date.now() > deadline) throw new Error(`camera not online: ${JSON.stringify(cam.stats())}`);
    await sleep(50);
  }
}

async function cpu(url: string, decimation: Decimation) {
  const cam = new CameraSupervisor({ cameraId: 'bench', url, width: 640, height: 360, fps: 5, decimation });
  let frames = 0;
  cam.on('frame', () => frames++);
  cam.start();
  await online(cam);
  await sleep(2000); // past connection set-up and probing
  const pid = cam.stats().pid!;
  const f0 = frames;
  const t0 = process.hrtime.bigint();
  const c0 = processCpuSeconds(pid);
  const n0 = process.cpuUsage();
  await sleep(SECONDS * 1000);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const ffmpeg = (processCpuSeconds(pid) - c0) / wall;
  const n = process.cpuUsage(n0);
  const node = (n.user + n.system) / 1e6 / wall;
  const out = { ffmpegCorePercent: round(ffmpeg * 100), nodeCorePercent: round(node * 100), fps: round((frames - f0) / wall), decimated: cam.stats().decimated };
  await cam.stop();
  return out;
}

async function latency(server: RtspTestServer, decimation: Decimation) {
  const cam = new CameraSupervisor({ cameraId: 'flash', url: server.url('/flash'), width: 640, height: 360, fps: 5, decimation });
  const samples: number[] = [];
  let wasBright = true; // ignore a flash already in progress when we connect
  cam.on('frame', (f) => {
    const mean = f.thumb.data.reduce((a, b) => a + b, 0) / f.thumb.data.length;
    const bright = mean > 128;
    if (bright && !wasBright) {
      const flashes = server.output.filter((l) => l.startsWith('FLASH ')).map((l) => Number(l.slice(6)));
      const flash = flashes.filter((t) => t <= f.at).pop();
      if (flash !== undefined && f.at - flash < 1000) samples.push(f.at - flash);
    }
    wasBright = bright;
  });
  cam.start();
  await online(cam);
  await sleep(SECONDS * 3000);
  await cam.stop();
  return { p50Ms: percentile(samples, 0.5), p90Ms: percentile(samples, 0.9), minMs: percentile(samples, 0), maxMs: percentile(samples, 1), n: samples.length };
}

async function main(): Promise<void> {
  const available = rtspServerAvailable();
  if (!available.ok) throw new Error(available.reason);
  const ffmpeg = await resolveFfmpeg();
  const server = await RtspTestServer.start({ mounts: { '/small': 'live:640x360@25', '/hd': 'live:1280x720@25', '/flash': 'flash' } });
  try {
    const results: Record<string, unknown> = {};
    for (const decimation of DECIMATIONS) {
      results[decimation] = {
        cpu640x360: await cpu(server.url('/small'), decimation),
        cpu1280x720: await cpu(server.url('/hd'), decimation),
        latency: await latency(server, decimation),
      };
    }
    const doc = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, ffmpeg: ffmpeg.versionLine },
      settings: { output: '640x360 rgb24', fps: 5, transport: 'rtsp/tcp', sources: 'openh264 live videotestsrc, 25 fps', seconds: SECONDS },
      results,
    };
    console.log(JSON.stringify(doc, null, 2));
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
