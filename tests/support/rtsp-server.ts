import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * The GStreamer RTSP test server (rtsp-server.py) as a child process: start on a free port,
 * kill, restart on the same port, freeze with SIGSTOP. Mount specs are rtsp-server.py's
 * (`live:640x360@25`, `switch:1280x720,640x360@15`, `flash`, or an MP4 path).
 */
export const RTSP_SERVER_SCRIPT = path.resolve(__dirname, '../../../tests/support/rtsp-server.py');
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const RTSP_INSTALL_HINT = 'apt-get install -y python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-bad';

let availability: { ok: boolean; reason: string } | undefined;

/** Whether /usr/bin/python3 can import GstRtspServer and the elements the script uses. */
export function rtspServerAvailable(): { ok: boolean; reason: string } {
  availability ??= (() => {
    const probe = spawnSync(
      SYSTEM_PYTHON,
      ['-c', "import gi; gi.require_version('Gst','1.0'); gi.require_version('GstRtspServer','1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); assert Gst.ElementFactory.find('openh264enc') or Gst.ElementFactory.find('x264enc'), 'no H.264 encoder: openh264enc (plugins-bad) or x264enc (plugins-ugly)'"],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (probe.status === 0) return { ok: true, reason: '' };
    const why = (probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? 'unknown').slice(0, 200);
    return { ok: false, reason: `GStreamer RTSP server unavailable (${why}); install with: ${RTSP_INSTALL_HINT}` };
  })();
  return availability;
}

/**
 * For `describe(..., { skip: rtspSkip() })`: skip only when the server is missing AND this is
 * not CI; in CI a missing server must fail the tests, not hide them.
 */
export function rtspSkip(): string | false {
  const { ok, reason } = rtspServerAvailable();
  if (ok || process.env.CI === 'true') return false;
  return reason;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface RtspServerOptions {
  /** mount path (e.g. "/cam") → spec */
  mounts: Record<string, string>;
  port?: number;
  user?: string;
  password?: string;
}

export class RtspTestServer {
  private child: ChildProcess | null = null;
  /** Lines the server printed (FLASH <ms> lines for the latency bench). */
  readonly output: string[] = [];

  private constructor(
    readonly port: number,
    private readonly options: RtspServerOptions,
  ) {}

  static async start(options: RtspServerOptions): Promise<RtspTestServer> {
    const server = new RtspTestServer(options.port ?? (await freePort()), options);
    await server.restart();
    return server;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  url(mount: string, credentials?: { user: string; password: string }): string {
    const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : '';
    return `rtsp://${auth}127.0.0.1:${this.port}${mount}`;
  }

  /** (Re)starts on the same port; resolves when it prints READY. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('RTSP test server already running');
    const { mounts, user, password } = this.options;
    const args = [RTSP_SERVER_SCRIPT, '--port', String(this.port)];
    if (user) args.push('--user', user, '--password', password ?? '');
    args.push(...Object.entries(mounts).map(([m, spec]) => `${m}=${spec}`));
    const child = spawn(SYSTEM_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`RTSP server did not start in 15 s: ${err}`)), 15_000);
      child.stdout!.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          this.output.push(line);
          if (line.startsWith('READY')) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`RTSP server exited (${code}) before READY: ${err}`));
      });
    });
  }

  /** SIGKILL (like a crashed camera) and wait until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGCONT'); // a frozen server cannot die from SIGKILL any later, but be tidy
      child.kill('SIGKILL');
      await gone;
    }
  }

  /** Freeze (the TCP connection stays open, nothing flows) and thaw. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }
}
