import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { assessFaceQuality, CALIBRATED_DEFAULTS, euclideanDistance, NORMALISED_DESCRIPTOR_LENGTH, followRegion, InvalidInputError, resolveQualityThresholds } from '@vigil/domain';
import { backendPreferenceFromEnv } from './backend';
import { FaceEngine, type DetectedFace } from './face-engine';
import { alignedFaceCrop } from './face-crop';
import { descriptorMethod, EMBEDDING_MODEL_ID, PRODUCT_DESCRIPTOR_METHOD } from './descriptor-method';
import { decodeSample, readSamplePhoto, SAMPLE_FACE_COUNTS, toFrame } from './testing/sample-photos';

// Measured on wasm (docs/vision-measurements.md): SSD finds 22/22; 16/22 pass enrolment;
// blur σ=4 keeps 22/22 detections, all 'blurry'; ×0.2 brightness keeps 17/22, all 'too_dark'.
describe('FaceEngine on the face-api sample photos', () => {
  let engine: FaceEngine;
  const faces: DetectedFace[][] = [];

  before(async () => {
    engine = await FaceEngine.create();
    for (let i = 1; i <= 6; i++) faces.push(await engine.detect(await decodeSample(i)));
  });

  it('records the chosen backend and why the others were skipped', () => {
    const b = engine.backend;
    assert.ok(['tensorflow-gpu', 'tensorflow', 'wasm'].includes(b.name));
    assert.ok(b.reason.length > 0);
    if (b.name === 'wasm') {
      assert.deepEqual(b.tried.map((t) => t.name), ['tensorflow-gpu', 'tensorflow']);
      for (const t of b.tried) assert.ok(t.error.length > 0);
    }
  });

  it('rejects an invalid VIGIL_TF_BACKEND value', () => {
    assert.throws(() => backendPreferenceFromEnv({ VIGIL_TF_BACKEND: 'cpu' }), InvalidInputError);
    assert.equal(backendPreferenceFromEnv({}), 'auto');
    assert.equal(backendPreferenceFromEnv({ VIGIL_TF_BACKEND: 'WASM' }), 'wasm');
  });

  it('SSD finds 3/3/3/4/5/4 faces', () => {
    assert.deepEqual(faces.map((f) => f.length), [...SAMPLE_FACE_COUNTS]);
  });

  it('returns 68 landmarks, a finite 128-d descriptor and quality measures per face', () => {
    for (const face of faces.flat()) {
      assert.equal(face.landmarks.length, 68);
      assert.ok(face.descriptor instanceof Float32Array && face.descriptor.length === 128);
      assert.ok(face.descriptor.every(Number.isFinite));
      assert.ok(Math.hypot(...face.descriptor) > 0.5);
      assert.ok(face.quality.interOcularPx > 10 && face.quality.interOcularPx < face.box.width);
    }
  });

  it('all 22 faces pass the recognition profile and at least 14 pass enrolment', () => {
    const all = faces.flat();
    const recognition = resolveQualityThresholds('recognition');
    const enrolment = resolveQualityThresholds('enrolment');
    const failed = all.map((f) => assessFaceQuality(f.quality, recognition)).filter((v) => !v.ok);
    assert.deepEqual(failed, []);
    const enrolled = all.filter((f) => assessFaceQuality(f.quality, enrolment).ok).length;
    assert.ok(enrolled >= 14, `${enrolled} of 22 pass enrolment`);
    assert.ok(enrolled < 22, 'enrolment should be stricter than recognition on these photos');
  });

  it('rejects blurred copies as blurry', async () => {
    const thresholds = resolveQualityThresholds('recognition');
    let detected = 0;
    for (let i = 1; i <= 6; i++) {
      const blurred = await engine.detect(await toFrame(sharp(readSamplePhoto(i)).blur(4)));
      detected += blurred.length;
      for (const f of blurred) assert.ok(assessFaceQuality(f.quality, thresholds).reasons.includes('blurry'));
    }
    assert.ok(detected >= 20, `only ${detected} faces detected in blurred copies`);
  });

  it('rejects darkened copies as too_dark (rarely as blurry: sharpness is contrast-normalised)', async () => {
    const thresholds = resolveQualityThresholds('recognition');
    let detected = 0;
    let alsoBlurry = 0;
    for (let i = 1; i <= 6; i++) {
      const dark = await engine.detect(await toFrame(sharp(readSamplePhoto(i)).linear(0.2, 0)));
      detected += dark.length;
      for (const f of dark) {
        const reasons = assessFaceQuality(f.quality, thresholds).reasons;
        assert.ok(reasons.includes('too_dark'), `reasons ${reasons.join(',')}`);
        if (reasons.includes('blurry')) alsoBlurry++;
      }
    }
    assert.ok(detected >= 15, `only ${detected} faces detected in darkened copies`);
    // ×0.2 leaves ~50 grey levels, which erases the finest detail of a few faces.
    assert.ok(alsoBlurry <= 2, `${alsoBlurry} of ${detected} dark faces also judged blurry`);
  });

  it('Tiny detector at 416 finds most faces too', async () => {
    let found = 0;
    for (let i = 1; i <= 6; i++) found += (await engine.detect(await decodeSample(i), { detector: 'tiny', tinyInputSize: 416 })).length;
    assert.ok(found >= 18 && found <= 22, `tiny found ${found}`);
  });

  // Photo scale (faces 145–220 px) and camera scale (the photos at 640 px wide, faces ~50–70 px).
  for (const scale of ['photo', 'camera'] as const) {
    it(`following a face inside its followRegion (Tiny at 224) gives the full-frame face at ${scale} scale: same box, landmarks and identity`, async (t) => {
      let followed = 0;
      let total = 0;
      let worst = 0;
      for (let i = 1; i <= 6; i++) {
        const frame = scale === 'photo' ? await decodeSample(i) : await toFrame(sharp(readSamplePhoto(i)).resize({ width: 640 }));
        const scanned = scale === 'photo' ? faces[i - 1]! : await engine.detect(frame);
        for (const face of scanned) {
          total++;
          const { x, y, width, height } = face.box;
          const r = followRegion([face.box], frame.width, frame.height)!;
          const found = await engine.detect(frame, { region: r, detector: 'tiny', tinyInputSize: 224 });
          const centre = (f: DetectedFace) => ({ x: f.box.x + f.box.width / 2, y: f.box.y + f.box.height / 2 });
          assert.ok(found.map(centre).every((c) => c.x >= r.x && c.x <= r.x + r.width && c.y >= r.y && c.y <= r.y + r.height), 'no face centred outside the region');
          const same = found.find((f) => Math.abs(centre(f).x - (x + width / 2)) < width / 4 && Math.abs(centre(f).y - (y + height / 2)) < height / 4);
          if (!same) continue;
          followed++;
          const eye = (f: DetectedFace) => f.landmarks[36]!;
          assert.ok(Math.hypot(eye(same).x - eye(face).x, eye(same).y - eye(face).y) < 0.1 * width, 'landmarks in frame pixels');
          const distance = Math.hypot(...same.descriptor!.map((v, k) => v - face.descriptor![k]!));
          worst = Math.max(worst, distance);
          assert.ok(distance < 0.35, `same person: descriptor distance ${distance.toFixed(3)} (match threshold 0.45)`);
        }
      }
      t.diagnostic(`${scale}: followed ${followed} of ${total} faces; largest descriptor distance to the full-frame face ${worst.toFixed(3)}`);
      assert.ok(total >= 20 && followed >= total - 3, `followed ${followed} of ${total} faces`);
    });
  }

  it('a region without the face finds nothing there; a region off the frame is refused', async () => {
    const frame = await decodeSample(1);
    assert.deepEqual(await engine.detect(frame, { region: { x: 0, y: 0, width: 40, height: 40 } }), []);
    await assert.rejects(engine.detect(frame, { region: { x: frame.width - 8, y: 0, width: 100, height: 100 } }), /at least 16x16/);
    await assert.rejects(engine.detect(frame, { region: { x: Number.NaN, y: 0, width: 100, height: 100 } }), InvalidInputError);
  });

  it('rejects a wrong-size raw frame and invalid options', async () => {
    await assert.rejects(engine.detect({ width: 10, height: 10, data: new Uint8Array(299) }), InvalidInputError);
    const frame = { width: 10, height: 10, data: new Uint8Array(300) };
    await assert.rejects(engine.detect(frame, { tinyInputSize: 300, detector: 'tiny' }), InvalidInputError);
    await assert.rejects(engine.detect(frame, { detector: 'yolo' as never }), InvalidInputError);
  });

  it('finds no face in a flat grey frame', async () => {
    const frame = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 3).fill(128) };
    assert.deepEqual(await engine.detect(frame), []);
  });
});

describe('descriptors of JS-made crops', () => {
  let engine: FaceEngine;
  before(async () => {
    engine = await FaceEngine.create({ descriptorMethod: 'faceapi' });
  });

  it('the JS crop reproduces face-api\'s own descriptor; a tilted photo, levelled, comes back to it', async () => {
    const photo = await decodeSample(1);
    const [face] = await engine.detect(photo);
    assert.ok(face?.descriptor);
    const own = face.descriptor;
    const crop = await engine.describeCrop(alignedFaceCrop(photo, face.landmarks, { levelEyes: false, flip: false }));
    // Same geometry, different resampling: measured 0.03–0.08 on LFW photos.
    assert.ok(euclideanDistance(own, crop) < 0.1, `JS crop ${euclideanDistance(own, crop)} from face-api's`);
    // The same photo turned 20°: face-api's crop (no rotation) drifts; the levelled crop does not.
    const tilted = await toFrame(sharp(readSamplePhoto(1)).rotate(20, { background: '#000' }));
    const tiltedFace = (await engine.detect(tilted)).sort((a, b) => euclideanDistance(a.descriptor!, own) - euclideanDistance(b.descriptor!, own))[0];
    assert.ok(tiltedFace?.descriptor);
    const levelled = await engine.describeCrop(alignedFaceCrop(tilted, tiltedFace.landmarks, { levelEyes: true, flip: false }));
    assert.ok(euclideanDistance(levelled, crop) < euclideanDistance(tiltedFace.descriptor, own), 'levelling brings the tilted face closer to the upright one');
    await assert.rejects(engine.describeCrop(new Float32Array(10)), /150x150/);
  });
});

describe('the descriptor method the product embeds with', () => {
  it('is the calibrated one: flip-averaged from the mirrored crop, normalised to the median length, as chosen', async () => {
    const method = PRODUCT_DESCRIPTOR_METHOD;
    assert.equal(method.id, CALIBRATED_DEFAULTS.descriptor);
    assert.equal(EMBEDDING_MODEL_ID.endsWith(method.id === 'faceapi' ? 'face-recognition-net-128' : `+${method.id}`), true);
    const product = await FaceEngine.create();
    const plain = await FaceEngine.create({ descriptorMethod: 'faceapi' });
    const photo = await decodeSample(2);
    const [a] = await product.detect(photo);
    const [b] = await plain.detect(photo);
    const length = Math.hypot(...a!.descriptor!);
    if (method.normalise) assert.ok(Math.abs(length - NORMALISED_DESCRIPTOR_LENGTH) < 1e-4, `length ${length}`);
    if (method.id === 'faceapi') assert.deepEqual(a!.descriptor, b!.descriptor);
    else assert.ok(euclideanDistance(a!.descriptor!, b!.descriptor!) > 1e-3, 'a different method gives a different descriptor');
    assert.throws(() => descriptorMethod('flip+sharpen'), /unknown descriptor variant/);
    assert.deepEqual(descriptorMethod('level+flip+norm'), { id: 'level+flip+norm', levelEyes: true, flipAverage: true, normalise: true });
  });
});
