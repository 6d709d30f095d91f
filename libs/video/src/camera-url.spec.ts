import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '@vigil/domain';
import { validateCameraUrl } from './camera-url';

describe('validateCameraUrl accepts stream URLs', () => {
  const ok = [
    'rtsp://10.0.0.5:554/stream1',
    'rtsp://admin:p%40ss@192.168.1.20/h264',
    'rtsps://cam.example.com/live',
    'http://127.0.0.1:8080/video.mjpg',
    'https://cam.local/stream.m3u8',
    'rtsp://[fd00::5]:554/s',
  ];
  for (const url of ok) it(url, () => assert.equal(validateCameraUrl(url), url));
  it('file: when allowed', () => assert.equal(validateCameraUrl('file:///tmp/clip.mp4', { allowFile: true }), 'file:///tmp/clip.mp4'));
});

describe('validateCameraUrl rejects with a reason', () => {
  const bad: Array<[unknown, RegExp]> = [
    ['', /non-empty/],
    [42, /non-empty/],
    ['file:///etc/passwd', /file: camera URLs are disabled/],
    ['concat:/a|/b', /scheme "concat" is not allowed/],
    ['lavfi:testsrc', /scheme "lavfi" is not allowed/],
    ['subfile,,start,0,end,0,,:/etc/passwd', /not a valid URL|not allowed/],
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://[fe80::1]/x', /link-local/],
    ['-i /etc/passwd', /spaces|scheme/],
    ['-f lavfi', /spaces|scheme/],
    ['rtsp://cam/a b', /spaces/],
    ['rtsp://cam/\nx', /control/],
    ['ftp://cam/x', /scheme "ftp"/],
    ['rtsp:///nohost', /host|valid URL/],
    ['rtsp://x/' + 'a'.repeat(3000), /at most 2048/],
  ];
  for (const [url, reason] of bad) {
    it(JSON.stringify(String(url).slice(0, 40)), () => {
      assert.throws(() => validateCameraUrl(url), (e: unknown) => e instanceof InvalidInputError && reason.test(e.message));
    });
  }
  it('file: with a host is refused even when file is allowed', () => {
    assert.throws(() => validateCameraUrl('file://server/share/x.mp4', { allowFile: true }), InvalidInputError);
  });
});
