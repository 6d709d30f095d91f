import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { stripImageMetadata, type StoredImageFormat } from './strip-metadata';

/** A 40x20 photo (wider than tall) carrying GPS, camera and owner EXIF, XMP, an ICC profile and orientation 6 (rotate 90° to show). */
async function taggedPhoto(format: StoredImageFormat): Promise<Buffer> {
  const base = sharp({ create: { width: 40, height: 20, channels: 3, background: '#3a6' } })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Serial-12345', Copyright: 'Ana Silva' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '38/1 42/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '9/1 8/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Ana Silva"/></rdf:RDF></x:xmpmeta>');
  return base.toFormat(format).toBuffer();
}

describe('stripImageMetadata', () => {
  for (const format of ['jpeg', 'png', 'webp'] as const) {
    it(`${format}: drops EXIF (GPS, camera, owner) and XMP, keeps the format, shows upright`, async () => {
      const tagged = await taggedPhoto(format);
      const before = await sharp(tagged).metadata();
      assert.ok(before.exif && before.exif.includes(Buffer.from('Serial-12345')), 'the fixture carries EXIF');
      assert.ok(before.xmp, 'the fixture carries XMP');
      assert.equal(before.orientation, 6);
      assert.ok(before.icc, 'the fixture carries an ICC profile');

      const stripped = await stripImageMetadata(tagged, format);
      const after = await sharp(stripped).metadata();
      assert.equal(after.format, format);
      assert.equal(after.exif, undefined);
      assert.equal(after.xmp, undefined);
      assert.equal(after.iptc, undefined);
      assert.equal(after.icc, undefined);
      assert.equal(after.orientation, undefined);
      for (const secret of ['Serial-12345', 'PhoneCo', 'Ana Silva']) assert.ok(!stripped.includes(Buffer.from(secret)), `${secret} is gone`);
      assert.deepEqual([after.width, after.height], [20, 40], 'orientation applied to the pixels');
    });
  }

  it('refuses a photo that cannot be decoded', async () => {
    const truncated = (await taggedPhoto('jpeg')).subarray(0, 200);
    await assert.rejects(stripImageMetadata(truncated, 'jpeg'), /could not be re-encoded without its metadata/);
  });
});
