import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { SAMPLE5, SAMPLE6, type SampleFace } from './face-crops';

/**
 * "LFW mini": a committed pairs file in LFW's pairs.txt format (tests/fixtures/lfw-mini/pairs.txt:
 * 10 folds × (30 same-person + 30 different-person pairs)) and the image folder it refers to,
 * made on demand from face-api's sample photos, so that no LFW image is ever committed.
 *
 * People: the five faces of sample photo 5 and the four of sample 6, named Sample5_Face1… and
 * Sample6_Face1…; each has three "photos": crops of the same face with a wide margin, as LFW
 * frames its faces, with other framing, exposure and a small roll (LFW_MINI_PHOTOS). They keep the
 * sample photo's resolution: scaled to LFW's 250×250, SSD misses several of these faces.
 * Different-person pairs only pair faces of the same sample photo (faces of one photo are
 * certainly different people). With only 27 same and 144 different image pairs available, pairs
 * repeat across folds. The last pair of fold 9 (line 601) pairs Nobody_Blank_0001.jpg, a grey
 * picture without a face, with Sample5_Face1_0001.jpg. The pairs file was written once by a
 * throwaway script following that recipe; it is plain data.
 *
 * 28 images, so an evaluation embeds 28 images (55 with --degrade: the blank has no copy). On
 * wasm, the degraded copies of Sample5_Face1's photos and of Sample5_Face3_0003 show no face.
 */

export const LFW_MINI_PAIRS = path.resolve(__dirname, '../../../tests/fixtures/lfw-mini/pairs.txt');

/** Person folder name → the sample face its photos are cropped from. */
export const LFW_MINI_PEOPLE: Readonly<Record<string, SampleFace>> = Object.fromEntries([
  ...SAMPLE5.map((face, i) => [`Sample5_Face${i + 1}`, face] as const),
  ...SAMPLE6.map((face, i) => [`Sample6_Face${i + 1}`, face] as const),
]);

type Photo = { margin: number; shift: number; apply: (s: sharp.Sharp) => sharp.Sharp };

/** Photo number − 1 → how it is cut from the sample photo: margin and sideways shift in face widths. */
export const LFW_MINI_PHOTOS: readonly Photo[] = [
  { margin: 0.8, shift: 0, apply: (s) => s },
  { margin: 0.7, shift: 0.15, apply: (s) => s.linear(1.2, 0) },
  { margin: 0.9, shift: -0.1, apply: (s) => s.linear(0.8, 0).rotate(5, { background: { r: 0, g: 0, b: 0 } }) },
];

async function lfwStylePhoto(face: SampleFace, photo: Photo): Promise<Buffer> {
  const file = samplePhotoPath(face.photo);
  const meta = await sharp(file).metadata();
  const { x, y, width, height } = face.box;
  const left = Math.max(0, Math.floor(x - width * (photo.margin - photo.shift)));
  const top = Math.max(0, Math.floor(y - height * photo.margin));
  const right = Math.min(meta.width!, Math.ceil(x + width * (1 + photo.margin + photo.shift)));
  const bottom = Math.min(meta.height!, Math.ceil(y + height * (1 + photo.margin)));
  return photo.apply(sharp(file).extract({ left, top, width: right - left, height: bottom - top })).jpeg({ quality: 90 }).toBuffer();
}

/** The person whose only photo has no face. */
export const LFW_MINI_NO_FACE = 'Nobody_Blank/Nobody_Blank_0001.jpg';

const imagePath = (name: string, n: number) => `${name}/${name}_${String(n).padStart(4, '0')}.jpg`;

/**
 * Writes the image folder of the fixture under `dir` (`<dir>/images/<Name>/<Name>_0001.jpg`…) and
 * returns it with the committed pairs.txt. `dir` should be a fresh temporary folder.
 */
export async function makeLfwFixture(dir: string): Promise<{ imagesDir: string; pairsPath: string }> {
  const imagesDir = path.join(dir, 'images');
  for (const [name, face] of Object.entries(LFW_MINI_PEOPLE)) {
    await mkdir(path.join(imagesDir, name), { recursive: true });
    for (const [i, photo] of LFW_MINI_PHOTOS.entries()) {
      await writeFile(path.join(imagesDir, imagePath(name, i + 1)), await lfwStylePhoto(face, photo));
    }
  }
  await mkdir(path.join(imagesDir, path.dirname(LFW_MINI_NO_FACE)), { recursive: true });
  await sharp({ create: { width: 250, height: 250, channels: 3, background: { r: 122, g: 122, b: 122 } } })
    .jpeg()
    .toFile(path.join(imagesDir, LFW_MINI_NO_FACE));
  return { imagesDir, pairsPath: LFW_MINI_PAIRS };
}
