import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { blockedAddressReason } from './address-policy';
import { EgressProxy } from './egress-proxy';

/**
 * The checking proxy against a loopback origin. Names are stubbed (nothing is resolved) and the
 * connect function is a spy that only ever opens loopback sockets: a refused target must never
 * reach it. Blocked addresses appear only as strings.
 */
const ANSWERS: Record<string, string[]> = {
  'cam.test': ['127.0.0.1'],
  'meta.test': ['169.254.169.254'],
  'mixed.test': ['127.0.0.1', '169.254.169.254'],
  'mapped.test': ['::ffff:169.254.169.254'],
};

describe('EgressProxy checks every request and connects only to checked addresses (#13)', () => {
  let origin: http.Server;
  let originPort: number;
  const originSaw: string[] = [];
  const connects: string[] = [];
  const refusals: string[] = [];
  let proxy: EgressProxy;
  let proxyPort: number;

  before(async () => {
    origin = http.createServer((req, res) => {
      originSaw.push(`${req.method} ${req.url} host=${req.headers.host}`);
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://meta.test/latest/meta-data' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    originPort = (origin.address() as net.AddressInfo).port;
    proxy = new EgressProxy({
      lookup: async (host) => {
        const answer = ANSWERS[host];
        if (!answer) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
        return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      },
      connect: (address, port) => {
        connects.push(`${address}:${port}`);
        assert.equal(blockedAddressReason(address), null, `connect to a blocked address ${address}`);
        assert.equal(address, '127.0.0.1', 'tests only ever connect to loopback');
        return net.connect({ host: address, port });
      },
      onRefused: (reason) => refusals.push(reason),
    });
    proxyPort = Number(new URL(await proxy.url()).port);
  });
  after(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => origin.close(() => resolve()));
  });

  function viaProxy(target: string, method = 'GET'): Promise<{ status: number; body: string; location?: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: proxyPort, method, path: target, headers: { host: new URL(target).host } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body, location: res.headers.location }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  function connectVia(authority: string): Promise<{ status: number; socket: net.Socket; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: authority });
      req.on('connect', (res, socket: net.Socket, head: Buffer) => {
        if (res.statusCode === 200) return resolve({ status: 200, socket, body: '' });
        let body = head.toString();
        socket.on('data', (d: Buffer) => (body += d.toString()));
        socket.on('end', () => resolve({ status: res.statusCode!, socket, body }));
        socket.on('close', () => resolve({ status: res.statusCode!, socket, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('an allowed name: forwarded to the checked address, with the original Host header', async () => {
    const before = connects.length;
    const res = await viaProxy(`http://cam.test:${originPort}/video.mjpg?channel=1`);
    assert.deepEqual([res.status, res.body], [200, 'hello']);
    assert.deepEqual(connects.slice(before), [`127.0.0.1:${originPort}`]);
    assert.equal(originSaw.at(-1), `GET /video.mjpg?channel=1 host=cam.test:${originPort}`);
  });

  const refused: Array<[string, RegExp]> = [
    ['http://meta.test/latest/meta-data', /meta\.test.*169\.254\.169\.254.*link-local/],
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://[::ffff:a9fe:a9fe]/latest', /link-local/],
    ['http://2852039166/latest', /169\.254\.169\.254.*link-local/],
    ['http://0xa9fea9fe/latest', /link-local/],
    ['http://mixed.test/', /mixed\.test.*169\.254\.169\.254/],
    ['http://mapped.test/', /link-local/],
    ['http://[fd00:ec2::254]/latest', /metadata/],
  ];
  for (const [target, reason] of refused) {
    it(`refused with 403 before any connection: ${target}`, async () => {
      const before = { connects: connects.length, refusals: refusals.length };
      const res = await viaProxy(target);
      assert.equal(res.status, 403);
      assert.match(res.body, reason);
      assert.equal(connects.length, before.connects, 'nothing was connected');
      assert.match(refusals.slice(before.refusals).join('\n'), reason);
    });
  }

  it('a redirect is passed on to the client, and the hop it names is checked like any request', async () => {
    const first = await viaProxy(`http://cam.test:${originPort}/redirect`);
    assert.equal(first.status, 302);
    const before = connects.length;
    const hop = await viaProxy(first.location!);
    assert.equal(hop.status, 403);
    assert.equal(connects.length, before);
  });

  it('a name that does not resolve: 502 with the reason, no connection', async () => {
    const before = connects.length;
    const res = await viaProxy('http://nowhere.test/x');
    assert.equal(res.status, 502);
    assert.match(res.body, /cannot resolve nowhere\.test/);
    assert.equal(connects.length, before);
  });

  it('only GET and HEAD are forwarded', async () => {
    const before = connects.length;
    assert.equal((await viaProxy(`http://cam.test:${originPort}/x`, 'POST')).status, 405);
    assert.equal(connects.length, before);
  });

  it('CONNECT (https) to a blocked name or address: 403, no connection', async () => {
    const before = connects.length;
    for (const authority of ['meta.test:443', '169.254.169.254:443', '[::ffff:169.254.169.254]:443']) {
      const res = await connectVia(authority);
      assert.equal(res.status, 403, authority);
      assert.match(res.body, /link-local/);
      res.socket.destroy();
    }
    assert.equal(connects.length, before);
  });

  it('CONNECT to an allowed name tunnels to the checked address', async () => {
    const before = connects.length;
    const { status, socket } = await connectVia(`cam.test:${originPort}`);
    assert.equal(status, 200);
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.write(`GET /tunnelled HTTP/1.1\r\nHost: cam.test\r\nConnection: close\r\n\r\n`);
    });
    assert.match(reply, /^HTTP\/1\.1 200 [\s\S]*\r\nhello\r\n/);
    assert.deepEqual(connects.slice(before), [`127.0.0.1:${originPort}`]);
  });
});
