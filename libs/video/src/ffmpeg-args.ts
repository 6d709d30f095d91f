import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '@vigil/domain';

/**
 * How ffmpeg is told to read a camera, as data, and the argv built from it by a pure function.
 * Nothing here touches a shell: the argv goes to spawn() as is, so the URL stays one argument.
 */
export type IngestPreset = 'rtsp' | 'rtsp-udp' | 'http' | 'file';

/**
 * Where frames are thinned to the output rate (numbers: docs/performance.md):
 * - `select` (default): ffmpeg's select filter keeps a frame once ≥ 0.9 interval passed since
 *   the last kept one, so only kept frames are scaled, converted and piped. Measured: ffmpeg
 *   then hands each kept frame over only when the next one is produced (about one output
 *   interval, 200 ms at 5 fps; -flush_packets, -avioflags direct and -threads 1 did not change it).
 * - `fps-filter`: ffmpeg's fps filter; the same hold plus its own look-ahead: slowest.
 * - `node`: ffmpeg converts and pipes every frame and the supervisor drops; lowest latency, but
 *   ~2x ffmpeg CPU and every source frame crosses the pipe into Node's event loop.
 */
export type Decimation = 'select' | 'fps-filter' | 'node';

export const DEFAULT_DECIMATION: Decimation = 'select';

export interface PresetSpec {
  /** URL schemes this preset reads. */
  schemes: readonly string[];
  /** Whether `auto` picks this preset for its schemes (rtsp-udp must be asked for). */
  auto: boolean;
  /** Input options before `-i`, independent of the ffmpeg version. */
  input: readonly string[];
  /** ffmpeg protocols this input may open (stops a playlist or redirect reaching file: etc.). */
  protocols: string;
  /** Extra protocols for the TLS variant of the scheme (rtsps). */
  tlsProtocols?: string;
  /** Which socket-timeout option the input understands. */
  timeout: 'rtsp' | 'rw' | 'none';
}

// Low-delay input flags: without them ffmpeg buffers and probes (397 ms p50 vs 318 ms measured).
const LOW_DELAY = ['-fflags', '+genpts+discardcorrupt+nobuffer', '-flags', 'low_delay', '-probesize', '32', '-analyzeduration', '0'];
// Camera clocks are unreliable and RTP timestamps restart on reconnect: stamp on arrival.
const WALLCLOCK = ['-use_wallclock_as_timestamps', '1'];

export const PRESETS: Readonly<Record<IngestPreset, PresetSpec>> = {
  rtsp: {
    schemes: ['rtsp:', 'rtsps:'],
    auto: true,
    input: ['-rtsp_transport', 'tcp', ...LOW_DELAY, ...WALLCLOCK],
    protocols: 'rtsp,rtp,tcp,udp',
    tlsProtocols: 'rtsp,rtp,tcp,udp,tls',
    timeout: 'rtsp',
  },
  'rtsp-udp': {
    schemes: ['rtsp:', 'rtsps:'],
    auto: false,
    input: ['-rtsp_transport', 'udp', ...LOW_DELAY, ...WALLCLOCK],
    protocols: 'rtsp,rtp,tcp,udp',
    tlsProtocols: 'rtsp,rtp,tcp,udp,tls',
    timeout: 'rtsp',
  },
  // MJPEG (the usual HTTP camera) has no timestamps of its own, hence wall clock. HLS works too,
  // but its segments arrive in bursts, so wall-clock decimation keeps fewer frames. Every request
  // goes through the supervisor's checking proxy (http_proxy; httpproxy is its CONNECT for https).
  http: {
    schemes: ['http:', 'https:'],
    auto: true,
    input: ['-fflags', '+genpts+discardcorrupt+nobuffer', '-flags', 'low_delay', ...WALLCLOCK],
    protocols: 'http,https,tcp,tls,crypto,hls,httpproxy',
    timeout: 'rw',
  },
  // Demo and tests: loop the file forever at its own pace, like a camera.
  file: {
    schemes: ['file:'],
    auto: true,
    input: ['-re', '-stream_loop', '-1', '-fflags', '+genpts'],
    protocols: 'file',
    timeout: 'none',
  },
};

export interface FfmpegArgsInput {
  url: string;
  preset?: IngestPreset | 'auto';
  width: number;
  height: number;
  fps: number;
  /** Major version of the ffmpeg that will run the argv (see resolveFfmpeg). */
  ffmpegVersion: number;
  decimation?: Decimation;
  /** Socket I/O timeout; ffmpeg gives up on a silent server after a few of these. */
  socketTimeoutMs?: number;
  logLevel?: 'error' | 'warning';
}

function schemeOf(url: string): string {
  if (url.startsWith('/')) return 'file:'; // a plain absolute path (demo clip, tests)
  try {
    return new URL(url).protocol.toLowerCase();
  } catch {
    throw new InvalidInputError('url is not a valid URL; expected e.g. rtsp://camera.local:554/stream');
  }
}

export function presetForUrl(url: string): IngestPreset {
  const scheme = schemeOf(url);
  const found = (Object.keys(PRESETS) as IngestPreset[]).find((p) => PRESETS[p].auto && PRESETS[p].schemes.includes(scheme));
  if (!found) throw new InvalidInputError(`no ingest preset reads "${scheme}" URLs; use rtsp://, rtsps://, http://, https:// or file://`);
  return found;
}

function timeoutArgs(spec: PresetSpec, major: number, micros: number): string[] {
  if (spec.timeout === 'rw') return ['-rw_timeout', String(micros)];
  if (spec.timeout === 'none') return [];
  // ffmpeg 4.x: -stimeout is the socket timeout and -timeout means LISTEN mode (a trap);
  // ffmpeg 5+ removed -stimeout and -timeout is the socket timeout.
  return major >= 5 ? ['-timeout', String(micros)] : ['-stimeout', String(micros)];
}

/** The `-vf` graph: decimation, then exactly width x height whatever the source size. */
export function buildVideoFilter(width: number, height: number, fps: number, decimation: Decimation): string {
  const fit =
    `scale=${width}:${height}:force_original_aspect_ratio=decrease:flags=bilinear,` +
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;
  if (decimation === 'fps-filter') return `fps=${fps},${fit}`;
  if (decimation === 'node') return fit;
  // Keep a frame when ≥ 90 % of an interval passed, so jitter does not skip a whole interval.
  const gap = Number((0.9 / fps).toFixed(4));
  return `select=isnan(prev_selected_t)+gte(t-prev_selected_t\\,${gap}),${fit}`;
}

function checkSize(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 2 || value > max || value % 2 !== 0) {
    throw new InvalidInputError(`${name} must be an even integer between 2 and ${max}`);
  }
}

/** The ffmpeg argv (without the executable) that writes rgb24 frames of width x height to stdout. */
export function buildFfmpegArgs(input: FfmpegArgsInput): string[] {
  const { url, width, height, fps, ffmpegVersion } = input;
  checkSize('width', width, 7680);
  checkSize('height', height, 4320);
  if (!(fps > 0 && fps <= 60)) throw new InvalidInputError('fps must be a number in (0, 60]');
  if (url.startsWith('-')) throw new InvalidInputError('url must start with a scheme such as rtsp://');
  const preset = !input.preset || input.preset === 'auto' ? presetForUrl(url) : input.preset;
  const spec = PRESETS[preset];
  if (!spec.schemes.includes(schemeOf(url))) {
    throw new InvalidInputError(`preset "${preset}" reads ${spec.schemes.join(' or ')} URLs, not ${schemeOf(url)}`);
  }
  const tls = /^(rtsps|https):/i.test(url);
  // file: a path, prefixed with the file protocol so that a name like "concat:x" stays a file.
  const source = preset === 'file' ? `file:${url.startsWith('file:') ? fileURLToPath(url) : url}` : url;
  const micros = Math.round((input.socketTimeoutMs ?? 5000) * 1000);
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    input.logLevel ?? 'error',
    ...spec.input,
    ...timeoutArgs(spec, ffmpegVersion, micros),
    '-protocol_whitelist',
    tls && spec.tlsProtocols ? spec.tlsProtocols : spec.protocols,
    '-i',
    source,
    '-an',
    '-sn',
    '-dn',
    '-vf',
    buildVideoFilter(width, height, fps, input.decimation ?? DEFAULT_DECIMATION),
    // Without this ffmpeg's default constant-rate output duplicates frames to refill what
    // select dropped (measured: 249 of 250 frames out). -fps_mode exists from 5.0 on.
    ...(ffmpegVersion >= 5 ? ['-fps_mode', 'passthrough'] : ['-vsync', 'passthrough']),
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}
