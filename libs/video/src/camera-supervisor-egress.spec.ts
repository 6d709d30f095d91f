import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CameraSupervisor, type CameraStatusEvent } from './camera-supervisor';

/**
 * (The fake ffmpeg's log is read while the shell may still be writing it: the shell creates the
 * file before the line lands, so only lines ending in the \x01 marker count as runs.)
 *
 * Security review #13, hole 3, at connect time: the supervisor resolves the camera's name itself
 * (stubbed here: nothing is ever resolved or contacted), checks every address, and hands ffmpeg
 * the checked address. A fake ffmpeg records its argv and http_proxy: a refused camera must never
 * get that far. Loops are bounded by `until`'s deadline.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-egress-'));
let counter = 0;

function recordingFfmpeg(): { binary: { path: string; major: number; versionLine: string }; runs: () => string[] } {
  const log = path.join(dir, `runs-${++counter}.txt`);
  const file = path.join(dir, `ffmpeg-${counter}`);
  writeFileSync(file, `#!/bin/sh\nprintf 'proxy=%s no_proxy=%s argv=%s\\001\\n' "$http_proxy" "$no_proxy" "$*" >> '${log}'\nexit 1\n`);
  chmodSync(file, 0o755);
  return { binary: { path: file, major: 5, versionLine: 'fake' }, runs: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line.endsWith('\u0001')).map((line) => line.slice(0, -1)) : []) };
}

type Answer = string[] | Error;

/** A stub for dns.lookup(all: true): the answers in turn (the last one repeats), and the names asked. */
function stubLookup(...answers: Answer[]) {
  const asked: string[] = [];
  const lookup = async (host: string) => {
    asked.push(host);
    const answer = answers[Math.min(asked.length - 1, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, asked };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function supervisor(url: string, ffmpeg: ReturnType<typeof recordingFfmpeg>, lookup: ReturnType<typeof stubLookup>['lookup']) {
  // `egress` is passed untyped so that this spec also compiles against the code before the fix.
  const options: Record<string, unknown> = { cameraId: 'x', url, width: 2, height: 2, ffmpeg: ffmpeg.binary, backoff: { baseMs: 10, capMs: 20 }, egress: { lookup } };
  const cam = new CameraSupervisor(options as unknown as ConstructorParameters<typeof CameraSupervisor>[0]);
  const events: CameraStatusEvent[] = [];
  cam.on('status', (e) => events.push(e));
  return { cam, events };
}

describe('CameraSupervisor checks every resolved address before ffmpeg runs (#13)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  const refused: Array<[string, string, Answer[], RegExp]> = [
    ['a name that resolves to the metadata address', 'rtsp://admin:Hunter2Secret@cam.test:554/s', [['169.254.169.254']], /cam\.test.*169\.254\.169\.254.*link-local/],
    ['one blocked address among several', 'rtsp://cam.test/s', [['10.0.0.5', '169.254.169.254']], /169\.254\.169\.254.*link-local/],
    ['an IPv4-mapped answer', 'rtsp://cam.test/s', [['::ffff:169.254.169.254']], /link-local/],
    ['an IPv6 link-local answer', 'rtsps://cam.test/s', [['fe80::1']], /link-local/],
    ['an http camera whose name resolves to a blocked address', 'http://cam.test:8080/video.mjpg', [['169.254.169.254']], /link-local/],
    ['a name that resolves to nothing', 'rtsp://cam.test/s', [new Error('getaddrinfo ENOTFOUND cam.test')], /cannot resolve cam\.test/],
  ];
  for (const [name, url, answers, reason] of refused) {
    it(`${name}: offline with the reason, ffmpeg never started, retried with backoff`, async () => {
      const ffmpeg = recordingFfmpeg();
      const dns = stubLookup(...answers);
      const { cam, events } = supervisor(url, ffmpeg, dns.lookup);
      cam.start();
      await until(() => dns.asked.length >= 3);
      await cam.stop();
      assert.deepEqual(ffmpeg.runs(), [], 'ffmpeg was started');
      const offline = events.find((e) => e.status === 'offline');
      assert.match(offline?.reason ?? '', reason);
      assert.ok(!JSON.stringify(events).includes('Hunter2'));
    });
  }

  it('an allowed name: ffmpeg gets the checked address, never the name (no second resolution to rebind)', async () => {
    const ffmpeg = recordingFfmpeg();
    const dns = stubLookup(['192.168.1.20', '192.168.1.21']);
    const { cam } = supervisor('rtsp://admin:pw@cam.test:554/live?channel=1', ffmpeg, dns.lookup);
    cam.start();
    await until(() => ffmpeg.runs().length >= 1);
    await cam.stop();
    const run = ffmpeg.runs()[0]!;
    assert.match(run, / -i rtsp:\/\/admin:pw@192\.168\.1\.20:554\/live\?channel=1 /);
    assert.ok(!run.includes('cam.test'), run);
  });

  it('an IPv6 answer is bracketed in the URL ffmpeg gets', async () => {
    const ffmpeg = recordingFfmpeg();
    const { cam } = supervisor('rtsp://cam.test/s', ffmpeg, stubLookup(['fd00::5']).lookup);
    cam.start();
    await until(() => ffmpeg.runs().length >= 1);
    await cam.stop();
    assert.match(ffmpeg.runs()[0]!, / -i rtsp:\/\/\[fd00::5\]\/s /);
  });

  it('DNS rebinding: an allowed first answer, then a blocked one: the second start is refused before ffmpeg', async () => {
    const ffmpeg = recordingFfmpeg();
    const dns = stubLookup(['10.0.0.5'], ['169.254.169.254']);
    const { cam } = supervisor('rtsp://cam.test/s', ffmpeg, dns.lookup);
    cam.start();
    await until(() => dns.asked.length >= 4);
    await cam.stop();
    const runs = ffmpeg.runs();
    assert.equal(runs.length, 1, `only the first, allowed answer reached ffmpeg: ${runs.join('\n')}`);
    assert.match(runs[0]!, /rtsp:\/\/10\.0\.0\.5\/s/);
  });

  it('an http camera runs through the checking proxy: ffmpeg gets http_proxy on loopback and no no_proxy', async () => {
    const ffmpeg = recordingFfmpeg();
    const before = process.env.no_proxy;
    process.env.no_proxy = '*';
    try {
      const { cam } = supervisor('http://cam.test:8080/video.mjpg', ffmpeg, stubLookup(['192.168.1.30']).lookup);
      cam.start();
      await until(() => ffmpeg.runs().length >= 1);
      await cam.stop();
    } finally {
      if (before === undefined) delete process.env.no_proxy;
      else process.env.no_proxy = before;
    }
    const run = ffmpeg.runs()[0]!;
    assert.match(run, /^proxy=http:\/\/127\.0\.0\.1:\d+ no_proxy= /);
    assert.match(run, / -i http:\/\/cam\.test:8080\/video\.mjpg /, 'the name stays: the proxy resolves and checks each request');
    assert.match(run, /-protocol_whitelist \S*httpproxy/);
  });
});
