import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { augmentPhoto, ENROLMENT_AUGMENTATIONS, type EnrolmentAugmentation } from './augmentation';

/** 200x120 grey picture with a bright square in the top-left corner (so flips and tilts are visible). */
async function photo(): Promise<Buffer> {
  const square = await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 240, g: 240, b: 240 } } }).png().toBuffer();
  return sharp({ create: { width: 200, height: 120, channels: 3, background: { r: 100, g: 100, b: 100 } } })
    .composite([{ input: square, left: 10, top: 10 }])
    .png()
    .toBuffer();
}

async function stats(jpeg: Buffer) {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
  let sum = 0;
  for (let i = 0; i < data.length; i += info.channels) sum += data[i]!;
  return { width: info.width, height: info.height, mean: sum / (info.width * info.height), at };
}

describe('enrolment augmentation', () => {
  let variants: Map<EnrolmentAugmentation, Awaited<ReturnType<typeof stats>>>;
  let original: Awaited<ReturnType<typeof stats>>;

  before(async () => {
    const src = await photo();
    original = await stats(await sharp(src).jpeg({ quality: 95 }).toBuffer());
    const out = await augmentPhoto(src);
    assert.deepEqual(out.map((v) => v.name), [...ENROLMENT_AUGMENTATIONS]);
    variants = new Map();
    for (const v of out) variants.set(v.name, await stats(v.jpeg));
  });

  it('only what cameras produce: a mirror, ±8° tilts and ±20 % exposure', () => {
    assert.deepEqual([...ENROLMENT_AUGMENTATIONS], ['flip', 'rotate+8', 'rotate-8', 'brightness+20', 'brightness-20']);
  });

  it('keeps the picture size (rotations are cropped back around the centre)', () => {
    for (const [name, v] of variants) assert.deepEqual([v.width, v.height], [200, 120], name);
  });

  it('flip mirrors left and right', () => {
    const flip = variants.get('flip')!;
    assert.ok(flip.at(180, 25) > 200 && flip.at(20, 25) < 130, 'the bright square moved to the top-right');
  });

  it('rotations tilt the picture by a small angle, not more', () => {
    for (const name of ['rotate+8', 'rotate-8'] as const) {
      const v = variants.get(name)!;
      assert.ok(Math.abs(v.at(100, 60) - original.at(100, 60)) < 10, `${name}: the centre stays`);
      assert.ok(v.at(30, 30) > 200, `${name}: the square is still near its corner`);
    }
  });

  it('brightness changes exposure by about 20 %', () => {
    const brighter = variants.get('brightness+20')!.mean / original.mean;
    const darker = variants.get('brightness-20')!.mean / original.mean;
    assert.ok(brighter > 1.15 && brighter < 1.25, `brighter ×${brighter}`);
    assert.ok(darker > 0.75 && darker < 0.85, `darker ×${darker}`);
  });

  it('refuses a bad size limit', async () => {
    await assert.rejects(augmentPhoto(await photo(), { maxSide: 0 }), /maxSide/);
  });
});
