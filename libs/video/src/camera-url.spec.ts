import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '@vigil/domain';
import { validateCameraUrl } from './camera-url';

describe('validateCameraUrl accepts stream URLs (the policy: loopback and private LAN cameras stay allowed)', () => {
  const ok = [
    'rtsp://10.0.0.5:554/stream1',
    'rtsp://admin:p%40ss@192.168.1.20/h264',
    // An unencoded '@' in a password: ffmpeg and the URL parser both split at the last '@'.
    'rtsp://admin:p@ss@192.168.1.20/h264',
    'rtsps://cam.example.com/live',
    'http://127.0.0.1:8080/video.mjpg',
    'https://cam.local/stream.m3u8',
    'rtsp://[fd00::5]:554/s',
    'rtsp://[::1]:8554/cam',
    'rtsp://localhost:8554/cam',
    'rtsp://CAM.Local/x',
    'http://cam_1.lan/x',
    'rtsp://[2001:db8::5]/s',
    'rtsp://[::ffff:192.168.1.20]/s',
    'rtsp://10.0.0.5/onvif?channel=1&subtype=0',
    'rtsp://172.16.0.9/Streaming/Channels/101#frag',
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

/**
 * Security review #13, hole 3: URLs that passed the link-local check although ffmpeg would
 * connect to a blocked address, or that two parsers (WHATWG URL here, av_url_split in ffmpeg)
 * read with different hosts. Each must be refused with a reason a person can act on.
 */
describe('validateCameraUrl closes the bypasses (#13)', () => {
  const bypasses: Array<[string, string, RegExp]> = [
    ['IPv4-mapped, dotted', 'http://[::ffff:169.254.169.254]/latest', /link-local/],
    ['IPv4-mapped, hex (what the parser normalises to)', 'http://[::ffff:a9fe:a9fe]/latest', /link-local/],
    ['IPv4-mapped, rtsp', 'rtsp://[::FFFF:169.254.169.254]:80/x', /link-local/],
    ['IPv4-compatible', 'rtsp://[::169.254.169.254]/x', /link-local/],
    ['IPv4-translated (SIIT)', 'rtsp://[::ffff:0:169.254.169.254]/x', /link-local/],
    ['NAT64 well-known prefix', 'rtsp://[64:ff9b::169.254.169.254]/x', /link-local/],
    ['NAT64 local-use prefix', 'rtsp://[64:ff9b:1::a9fe:a9fe]/x', /NAT64/],
    ['6to4', 'rtsp://[2002:a9fe:a9fe::1]/x', /link-local/],
    ['Teredo (client address 169.254.169.254 obfuscated)', 'rtsp://[2001:0:4136:e378:8000:63bf:5601:5601]/x', /Teredo/],
    ['backslash: host x to the URL parser, 169.254.169.254 to ffmpeg', 'http://x\\@169.254.169.254/', /backslash/],
    ['backslash in rtsp', 'rtsp://x\\@169.254.169.254/', /backslash/],
    ['backslash after the host', 'http://169.254.169.254\\@cam.local/', /backslash/],
    ['decimal IPv4 (rtsp host is opaque to the URL parser)', 'rtsp://2852039166/x', /four decimal numbers/],
    ['decimal IPv4 over http (the URL parser rewrites it, ffmpeg gets the original)', 'http://2852039166/x', /four decimal numbers/],
    ['hex IPv4', 'rtsp://0xa9fea9fe/x', /four decimal numbers/],
    ['dotted hex IPv4', 'rtsp://0xa9.0xfe.0xa9.0xfe/x', /four decimal numbers/],
    ['octal IPv4', 'rtsp://0251.0376.0251.0376/x', /four decimal numbers/],
    ['three-part IPv4', 'rtsp://169.254.43518/x', /four decimal numbers/],
    ['short loopback', 'rtsp://127.1/x', /four decimal numbers/],
    ['leading zero (octal to inet_aton)', 'rtsp://010.0.0.5/x', /four decimal numbers/],
    ['trailing dot on an address', 'rtsp://169.254.169.254./x', /four decimal numbers/],
    ['percent-encoded host', 'http://169.254.169%2e254/x', /host/],
    ['percent-encoded rtsp host', 'rtsp://ca%6d/x', /host/],
    ['non-ASCII host', 'rtsp://cam\u3002local/x', /ASCII|xn--/],
    ['IPv6 zone id', 'rtsp://[fe80::1%25eth0]/x', /valid URL|host|link-local/],
    ['triple slash (the URL parser skips it, ffmpeg sees no host)', 'http:///169.254.169.254/', /scheme:\/\/host/],
    ['no slashes', 'http:169.254.169.254/', /scheme:\/\/host/],
    ['unspecified address (reaches this host)', 'rtsp://0.0.0.0:554/x', /unspecified/],
    ['unspecified IPv6', 'rtsp://[::]:554/x', /unspecified/],
    ['multicast', 'rtsp://239.1.2.3/x', /multicast/],
    ['IPv6 multicast', 'rtsp://[ff02::1]/x', /multicast/],
    ['broadcast', 'rtsp://255.255.255.255/x', /reserved|broadcast/],
    ['AWS metadata over IPv6', 'http://[fd00:ec2::254]/latest/meta-data', /metadata/],
    ['Alibaba Cloud metadata', 'http://100.100.100.200/latest/meta-data', /metadata/],
  ];
  for (const [name, url, reason] of bypasses) {
    it(`${name}: ${url}`, () => {
      assert.throws(() => validateCameraUrl(url), (e: unknown) => e instanceof InvalidInputError && reason.test(e.message), url);
    });
  }
});
