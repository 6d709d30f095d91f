import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import sharp from 'sharp';
import { blockedAddressReason, CameraSupervisor } from '@vigil/video';
import { CameraWatch } from '../support/camera-watch';

/**
 * Security review #13, hole 3, with the real ffmpeg: an http camera is reached only through the
 * supervisor's checking proxy, so a redirect, an https redirect (CONNECT) or an HLS segment naming
 * a blocked host is refused before any connection. Names are stubbed: cam.test is this machine,
 * meta.test "resolves" to the metadata address, which is only ever a string here; the connect spy
 * refuses to open anything but loopback and records every attempt.
 */
const ANSWERS: Record<string, string> = { 'cam.test': '127.0.0.1', 'meta.test': '169.254.169.254' };

describe('http cameras go through the checking proxy (real ffmpeg)', { timeout: 120_000 }, () => {
  let origin: http.Server;
  let port: number;
  const originSaw: string[] = [];
  const lookups: string[] = [];
  const connects: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  before(async () => {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    origin = http.createServer((req, res) => {
      originSaw.push(req.url ?? '');
      if (req.url === '/mjpeg') {
        res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
        const timer = setInterval(() => res.write(Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`), jpeg, Buffer.from('\r\n')])), 100);
        timers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://meta.test/latest/meta-data' }).end();
      } else if (req.url === '/redirect-https') {
        res.writeHead(302, { location: 'https://meta.test/latest/meta-data' }).end();
      } else if (req.url === '/live.m3u8') {
        res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
        res.end('#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\nhttp://meta.test/segment0.ts\n#EXT-X-ENDLIST\n');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    port = (origin.address() as net.AddressInfo).port;
  });
  after(async () => {
    for (const t of timers) clearInterval(t);
    origin.closeAllConnections();
    await new Promise<void>((resolve) => origin.close(() => resolve()));
  });

  function camera(path: string): { cam: CameraSupervisor; watch: CameraWatch } {
    const cam = new CameraSupervisor({
      cameraId: `egress${path}`,
      url: `http://cam.test:${port}${path}`,
      width: 64,
      height: 48,
      fps: 5,
      socketTimeoutMs: 3000,
      backoff: { baseMs: 5000, capMs: 5000 },
      egress: {
        lookup: async (host) => {
          lookups.push(host);
          const address = ANSWERS[host];
          if (!address) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
          return [{ address, family: 4 }];
        },
        connect: (address, p) => {
          connects.push(`${address}:${p}`);
          if (address !== '127.0.0.1' || blockedAddressReason(address)) throw new Error(`the test refuses to connect to ${address}`);
          return net.connect({ host: address, port: p });
        },
      },
    });
    return { cam, watch: new CameraWatch(cam) };
  }

  it('an MJPEG camera by name streams through the proxy, connected to the checked address', async () => {
    const { cam, watch } = camera('/mjpeg');
    cam.start();
    try {
      await watch.waitFor('online', 20_000);
      await watch.waitForFrames(2, 10_000);
    } finally {
      await cam.stop();
    }
    assert.ok(lookups.includes('cam.test'));
    assert.ok(originSaw.includes('/mjpeg'));
    assert.deepEqual([...new Set(connects)], [`127.0.0.1:${port}`]);
  });

  const refused: Array<[string, string]> = [
    ['a redirect to a name that resolves to the metadata address', '/redirect'],
    ['a redirect to https (a CONNECT through the proxy)', '/redirect-https'],
    ['an HLS playlist whose segment is on a blocked host', '/live.m3u8'],
  ];
  for (const [name, path] of refused) {
    it(`${name}: refused before any connection, and the reason says why`, async () => {
      const before = { lookups: lookups.length, connects: connects.length };
      const { cam, watch } = camera(path);
      cam.start();
      let offline;
      try {
        offline = await watch.waitFor('offline', 20_000);
      } finally {
        await cam.stop();
      }
      assert.ok(originSaw.includes(path), 'the first request reached the camera');
      assert.ok(lookups.slice(before.lookups).includes('meta.test'), 'the next hop was checked');
      assert.deepEqual(connects.slice(before.connects).filter((c) => !c.startsWith('127.0.0.1:')), []);
      assert.match(offline.reason ?? '', /meta\.test.*169\.254\.169\.254.*link-local/);
    });
  }
});
