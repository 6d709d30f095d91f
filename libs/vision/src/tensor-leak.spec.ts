import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { FaceEngine } from './face-engine';
import { readSamplePhoto, toFrame } from './testing/sample-photos';

describe('tensor hygiene', () => {
  it('has no tensor growth over 100 frames (Tiny 320, faces present, descriptors on)', async () => {
    const engine = await FaceEngine.create({ detector: 'tiny', tinyInputSize: 320 });
    const baseline = engine.numTensors();
    const frame = await toFrame(sharp(readSamplePhoto(1)).resize({ width: 480 }));
    let faces = 0;
    for (let i = 0; i < 100; i++) faces += (await engine.detect(frame)).length;
    assert.ok(faces >= 100, `only ${faces} faces over 100 frames: the loop must exercise landmarks and descriptors`);
    assert.equal(engine.numTensors(), baseline);
  });
});
