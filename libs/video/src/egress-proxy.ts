import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { EgressRefusedError, resolveAllowed, type ConnectFn, type EgressOptions } from './egress-check';

export interface EgressProxyOptions extends EgressOptions {
  /** Each refusal's reason (the supervisor shows it as the camera's status reason). */
  onRefused?: (reason: string) => void;
}

const defaultConnect: ConnectFn = (address, port) => net.connect({ host: address, port });

/** Headers that belong to one hop and are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

/**
 * A forward HTTP proxy on loopback through which ffmpeg reaches http(s) cameras (it reads
 * `http_proxy` for every request it makes, https included, via CONNECT). Each request — the first,
 * every redirect ffmpeg follows, every HLS playlist and segment, whatever host they name — is
 * resolved here, every address checked against the policy, and the connection made to a checked
 * address: nothing reaches a blocked address and a name is never resolved twice for one
 * connection. Only GET and HEAD are forwarded. A refusal answers 403 with the reason.
 */
export class EgressProxy {
  private server: http.Server | null = null;
  private listening: Promise<string> | null = null;
  private closed = false;
  private readonly sockets = new Set<Duplex>();
  private readonly connect: ConnectFn;

  constructor(private readonly options: EgressProxyOptions = {}) {
    this.connect = options.connect ?? defaultConnect;
  }

  /** `http://127.0.0.1:<port>`, listening from the first call on. */
  url(): Promise<string> {
    if (this.closed) return Promise.reject(new Error('egress proxy closed'));
    this.listening ??= new Promise<string>((resolve, reject) => {
      const server = http.createServer((req, res) => void this.onRequest(req, res));
      server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void this.onConnect(req, socket, head));
      server.on('connection', (socket: net.Socket) => this.track(socket));
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        resolve(`http://127.0.0.1:${port}`);
      });
      this.server = server;
    });
    return this.listening;
  }

  /** Stops listening and drops every open connection. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.listening) await this.listening.catch(() => undefined);
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private refused(reason: string): string {
    this.options.onRefused?.(reason);
    return reason;
  }

  /** The checked addresses for a host, or the HTTP status and reason to answer with. */
  private async check(hostname: string): Promise<{ addresses: string[] } | { status: number; reason: string }> {
    try {
      return { addresses: await resolveAllowed(hostname, this.options) };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      return e instanceof EgressRefusedError ? { status: 403, reason: this.refused(reason) } : { status: 502, reason };
    }
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const answer = (status: number, reason: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(`${reason}\n`);
    };
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      return answer(400, 'this proxy forwards absolute http:// URLs only');
    }
    if (target.protocol !== 'http:') return answer(400, 'this proxy forwards http:// URLs (https goes through CONNECT)');
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, `method ${req.method} is not forwarded to cameras`);
    const port = Number(target.port || 80);
    const checked = await this.check(target.hostname);
    if ('status' in checked) return answer(checked.status, checked.reason);
    const headers = forwardable(req.headers);
    headers.connection = 'close';
    const upstream = http.request({
      method: req.method,
      path: `${target.pathname}${target.search}`,
      headers,
      // No agent: with one, Node would open its own connection and ignore createConnection.
      createConnection: () => this.connect(checked.addresses[0]!, port),
    });
    upstream.on('response', (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardable(up.headers));
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) answer(502, `cannot reach ${target.host}: ${err.message}`);
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private async onConnect(req: http.IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    client.on('error', () => undefined);
    const answer = (status: string, reason: string) => {
      const body = `${reason}\n`;
      client.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    let target: URL;
    try {
      target = new URL(`http://${req.url ?? ''}`);
    } catch {
      return answer('400 Bad Request', 'CONNECT needs host:port');
    }
    const port = Number(target.port || 443);
    const checked = await this.check(target.hostname);
    if ('status' in checked) return answer(checked.status === 403 ? '403 Forbidden' : '502 Bad Gateway', checked.reason);
    if (client.destroyed) return;
    const upstream = this.connect(checked.addresses[0]!, port);
    this.track(upstream);
    let open = false;
    upstream.once('connect', () => {
      open = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (err) => {
      if (open) client.destroy();
      else answer('502 Bad Gateway', `cannot reach ${target.host}: ${err.message}`);
    });
    client.on('close', () => upstream.destroy());
  }
}
