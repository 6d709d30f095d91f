import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { InvalidInputError, PayloadTooLargeError, UnprocessableError, UnsupportedMediaError } from '@vigil/domain';
import { decodeImage } from './image-decoder';
import { assertRgbFrame } from './rgb-frame';
import { readSamplePhoto } from './testing/sample-photos';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid PNG header claiming width x height, with a token IDAT: a pixel bomb's first bytes. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodeImage', () => {
  it('decodes a JPEG to packed RGB', async () => {
    const frame = await decodeImage(readSamplePhoto(1));
    const meta = await sharp(readSamplePhoto(1)).metadata();
    assert.equal(frame.format, 'jpeg');
    assert.equal(frame.width, meta.width);
    assert.equal(frame.height, meta.height);
    assert.equal(frame.data.length, frame.width * frame.height * 3);
  });

  it('expands a greyscale PNG to 3 channels', async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#808080' } })
      .greyscale()
      .png()
      .toBuffer();
    const frame = await decodeImage(png);
    assert.equal(frame.data.length, 20 * 10 * 3);
  });

  it('downscales large images to maxSide', async () => {
    const frame = await decodeImage(readSamplePhoto(1), { maxSide: 200 });
    assert.equal(Math.max(frame.width, frame.height), 200);
    assert.equal(frame.data.length, frame.width * frame.height * 3);
  });

  const unsupported: Array<[string, Buffer]> = [
    ['an SVG named .jpg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')],
    ['an HTML page named .jpg', Buffer.from('<!doctype html><html><body><img src=x onerror=alert(1)></body></html>')],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
    ['an empty upload', Buffer.alloc(0)],
    ['a JPEG signature followed by garbage', Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01, 0x02, 0x03])],
  ];
  for (const [name, buf] of unsupported) {
    it(`refuses ${name} with UnsupportedMediaError`, async () => {
      await assert.rejects(decodeImage(buf), UnsupportedMediaError);
    });
  }

  it('refuses a 17000x17000 PNG from its header with PayloadTooLargeError', async () => {
    const bomb = pngHeader(17000, 17000);
    assert.ok(bomb.length < 2000);
    await assert.rejects(decodeImage(bomb), (err: unknown) => err instanceof PayloadTooLargeError && /17000x17000/.test(err.message));
  });

  it('refuses payloads above maxBytes with PayloadTooLargeError', async () => {
    await assert.rejects(decodeImage(readSamplePhoto(1), { maxBytes: 1000 }), PayloadTooLargeError);
  });

  it('refuses a truncated JPEG with UnprocessableError', async () => {
    const jpeg = await sharp(readSamplePhoto(2)).jpeg({ quality: 90 }).toBuffer();
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    await assert.rejects(decodeImage(truncated), UnprocessableError);
  });
});

describe('assertRgbFrame', () => {
  const bad: Array<[string, { width: number; height: number; data: Uint8Array }]> = [
    ['short buffer', { width: 4, height: 4, data: new Uint8Array(47) }],
    ['RGBA-sized buffer', { width: 4, height: 4, data: new Uint8Array(64) }],
    ['zero width', { width: 0, height: 4, data: new Uint8Array(0) }],
    ['fractional height', { width: 4, height: 2.5, data: new Uint8Array(30) }],
  ];
  for (const [name, frame] of bad) it(`rejects ${name}`, () => assert.throws(() => assertRgbFrame(frame), InvalidInputError));
  it('accepts a consistent frame', () => {
    const frame = { width: 4, height: 4, data: Buffer.alloc(48) };
    assert.equal(assertRgbFrame(frame), frame);
  });
});
