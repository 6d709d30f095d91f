import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '@vigil/domain';
import { buildFfmpegArgs, buildVideoFilter, presetForUrl, type FfmpegArgsInput } from './ffmpeg-args';

const base = { width: 640, height: 360, fps: 5, ffmpegVersion: 5 };
const SELECT_640 =
  'select=isnan(prev_selected_t)+gte(t-prev_selected_t\\,0.18),' +
  'scale=640:360:force_original_aspect_ratio=decrease:flags=bilinear,pad=640:360:(ow-iw)/2:(oh-ih)/2,setsar=1';
const OUTPUT = ['-an', '-sn', '-dn', '-vf', SELECT_640, '-fps_mode', 'passthrough', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'];
const OUTPUT4 = OUTPUT.map((a) => (a === '-fps_mode' ? '-vsync' : a));
const HEAD = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
const LOW_DELAY = ['-fflags', '+genpts+discardcorrupt+nobuffer', '-flags', 'low_delay', '-probesize', '32', '-analyzeduration', '0'];

describe('buildFfmpegArgs builds the whole argv per preset and ffmpeg version', () => {
  const cases: Array<[string, Partial<FfmpegArgsInput> & { url: string }, string[]]> = [
    [
      'rtsp on ffmpeg 5: TCP, -timeout is the socket timeout',
      { url: 'rtsp://u:p@10.0.0.5/s' },
      [...HEAD, '-rtsp_transport', 'tcp', ...LOW_DELAY, '-use_wallclock_as_timestamps', '1', '-timeout', '5000000',
        '-protocol_whitelist', 'rtsp,rtp,tcp,udp', '-i', 'rtsp://u:p@10.0.0.5/s', ...OUTPUT],
    ],
    [
      'rtsp on ffmpeg 4: -stimeout (its -timeout would mean listen mode)',
      { url: 'rtsp://cam/s', ffmpegVersion: 4, socketTimeoutMs: 2000 },
      [...HEAD, '-rtsp_transport', 'tcp', ...LOW_DELAY, '-use_wallclock_as_timestamps', '1', '-stimeout', '2000000',
        '-protocol_whitelist', 'rtsp,rtp,tcp,udp', '-i', 'rtsp://cam/s', ...OUTPUT4],
    ],
    [
      'rtsps adds tls to the whitelist',
      { url: 'rtsps://cam/s' },
      [...HEAD, '-rtsp_transport', 'tcp', ...LOW_DELAY, '-use_wallclock_as_timestamps', '1', '-timeout', '5000000',
        '-protocol_whitelist', 'rtsp,rtp,tcp,udp,tls', '-i', 'rtsps://cam/s', ...OUTPUT],
    ],
    [
      'rtsp-udp when asked for',
      { url: 'rtsp://cam/s', preset: 'rtsp-udp' },
      [...HEAD, '-rtsp_transport', 'udp', ...LOW_DELAY, '-use_wallclock_as_timestamps', '1', '-timeout', '5000000',
        '-protocol_whitelist', 'rtsp,rtp,tcp,udp', '-i', 'rtsp://cam/s', ...OUTPUT],
    ],
    [
      'http: rw_timeout on every version, web protocols only',
      { url: 'https://cam/video.mjpg', ffmpegVersion: 4 },
      [...HEAD, '-fflags', '+genpts+discardcorrupt+nobuffer', '-flags', 'low_delay', '-use_wallclock_as_timestamps', '1',
        '-rw_timeout', '5000000', '-protocol_whitelist', 'http,https,tcp,tls,crypto,hls,httpproxy', '-i', 'https://cam/video.mjpg', ...OUTPUT4],
    ],
    [
      'file URL: looping in real time, file protocol only, path made explicit',
      { url: 'file:///data/demo%20clip.mp4' },
      [...HEAD, '-re', '-stream_loop', '-1', '-fflags', '+genpts', '-protocol_whitelist', 'file', '-i', 'file:/data/demo clip.mp4', ...OUTPUT],
    ],
    [
      'plain absolute path is a file',
      { url: '/tmp/concat:x.mp4' },
      [...HEAD, '-re', '-stream_loop', '-1', '-fflags', '+genpts', '-protocol_whitelist', 'file', '-i', 'file:/tmp/concat:x.mp4', ...OUTPUT],
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(buildFfmpegArgs({ ...base, ...input }), expected));
  }
  it('the URL is always exactly one argument right after -i', () => {
    const args = buildFfmpegArgs({ ...base, url: 'rtsp://cam/a;b&c|d' });
    assert.equal(args[args.indexOf('-i') + 1], 'rtsp://cam/a;b&c|d');
  });
});

describe('buildVideoFilter', () => {
  const cases: Array<[Parameters<typeof buildVideoFilter>, string]> = [
    [[320, 240, 5, 'fps-filter'], 'fps=5,scale=320:240:force_original_aspect_ratio=decrease:flags=bilinear,pad=320:240:(ow-iw)/2:(oh-ih)/2,setsar=1'],
    [[320, 240, 5, 'node'], 'scale=320:240:force_original_aspect_ratio=decrease:flags=bilinear,pad=320:240:(ow-iw)/2:(oh-ih)/2,setsar=1'],
    [[640, 360, 2, 'select'], SELECT_640.replace('0.18', '0.45')],
    [[640, 360, 3, 'select'], SELECT_640.replace('0.18', '0.3')],
  ];
  for (const [args, expected] of cases) it(args.join(' '), () => assert.equal(buildVideoFilter(...args), expected));
});

describe('buildFfmpegArgs refuses bad input', () => {
  const bad: Array<[Partial<FfmpegArgsInput>, RegExp]> = [
    [{ url: 'rtsp://cam/s', width: 641 }, /width must be an even integer/],
    [{ url: 'rtsp://cam/s', height: 0 }, /height must be an even integer/],
    [{ url: 'rtsp://cam/s', fps: 0 }, /fps must be/],
    [{ url: 'rtsp://cam/s', fps: 120 }, /fps must be/],
    [{ url: '-f lavfi' }, /must start with a scheme/],
    [{ url: 'ftp://cam/x' }, /no ingest preset reads "ftp:"/],
    [{ url: 'rtsp://cam/s', preset: 'file' }, /preset "file" reads file: URLs, not rtsp:/],
    [{ url: 'http://cam/s', preset: 'rtsp-udp' }, /preset "rtsp-udp"/],
  ];
  for (const [input, reason] of bad) {
    it(JSON.stringify(input), () =>
      assert.throws(() => buildFfmpegArgs({ ...base, url: 'x', ...input }), (e: unknown) => e instanceof InvalidInputError && reason.test(e.message)),
    );
  }
});

describe('presetForUrl', () => {
  const cases: Array<[string, string]> = [
    ['rtsp://c/s', 'rtsp'],
    ['RTSPS://c/s', 'rtsp'],
    ['http://c/s', 'http'],
    ['https://c/s.m3u8', 'http'],
    ['file:///x.mp4', 'file'],
    ['/x.mp4', 'file'],
  ];
  for (const [url, preset] of cases) it(url, () => assert.equal(presetForUrl(url), preset));
});
