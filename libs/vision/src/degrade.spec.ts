import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { degradeImage } from './degrade';

const photo = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: { r: 90, g: 140, b: 200 } } }).png().toBuffer();

describe('degradeImage', () => {
  const cases: Array<{ name: string; size: [number, number]; eyes: number; expected: [number, number]; scale: number }> = [
    { name: 'a portrait with 80 px between the eyes is halved', size: [400, 300], eyes: 80, expected: [200, 150], scale: 0.5 },
    { name: 'a face already at 40 px keeps its size', size: [250, 250], eyes: 40, expected: [250, 250], scale: 1 },
    { name: 'a small face is never enlarged', size: [120, 90], eyes: 20, expected: [120, 90], scale: 1 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const out = await degradeImage(await photo(...c.size), { eyeDistancePx: c.eyes });
      const meta = await sharp(out.jpeg).metadata();
      assert.equal(meta.format, 'jpeg');
      assert.deepEqual([meta.width, meta.height, out.scale], [...c.expected, c.scale]);
    });
  }

  it('blurs: a sharp edge is softened', async () => {
    const edge = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } })
      .composite([{ input: await sharp({ create: { width: 32, height: 64, channels: 3, background: '#fff' } }).png().toBuffer(), left: 32, top: 0 }])
      .png()
      .toBuffer();
    const out = await degradeImage(edge, { eyeDistancePx: 40, jpegQuality: 95, blurSigma: 2 });
    const { data } = await sharp(out.jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
    const row = Array.from(data.subarray(32 * 64, 33 * 64));
    assert.ok(row[31] > 40 && row[32] < 215, `edge softened: ${row[30]} ${row[31]} ${row[32]} ${row[33]}`);
  });

  it('quality 30 is much smaller than quality 95', async () => {
    const noisy = await sharp(Buffer.from(Array.from({ length: 200 * 200 * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width: 200, height: 200, channels: 3 } }).png().toBuffer();
    const low = await degradeImage(noisy, { eyeDistancePx: 40, blurSigma: 0 });
    const high = await degradeImage(noisy, { eyeDistancePx: 40, blurSigma: 0, jpegQuality: 95 });
    assert.ok(low.jpeg.length < high.jpeg.length * 0.6, `${low.jpeg.length} vs ${high.jpeg.length}`);
  });

  const refused: Array<{ name: string; options: Parameters<typeof degradeImage>[1]; message: RegExp }> = [
    { name: 'no eye distance', options: { eyeDistancePx: 0 }, message: /eyeDistancePx must be a positive number/ },
    { name: 'a target out of range', options: { eyeDistancePx: 50, targetEyeDistancePx: 2 }, message: /targetEyeDistancePx/ },
    { name: 'a tiny blur libvips refuses', options: { eyeDistancePx: 50, blurSigma: 0.1 }, message: /blurSigma/ },
    { name: 'a JPEG quality of 0', options: { eyeDistancePx: 50, jpegQuality: 0 }, message: /jpegQuality/ },
  ];
  for (const c of refused) it(`refuses ${c.name}`, async () => assert.rejects(degradeImage(await photo(50, 50), c.options), c.message));
});
