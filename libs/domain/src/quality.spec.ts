import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import {
  assessFaceQuality,
  DEFAULT_QUALITY_THRESHOLDS,
  QUALITY_THRESHOLD_BOUNDS,
  resolveQualityThresholds,
  type FaceQualityMeasures,
  type QualityReason,
  type QualityThresholds,
} from './quality';

const GOOD: FaceQualityMeasures = {
  boxSizePx: 180,
  interOcularPx: 80,
  sharpness: 0.12,
  meanLuminance: 120,
  clippedFraction: 0.01,
  yawDeg: 5,
  rollDeg: -3,
  detectorScore: 0.97,
};

describe('assessFaceQuality', () => {
  const recognition = resolveQualityThresholds('recognition');
  const cases: Array<{ name: string; change: Partial<FaceQualityMeasures>; reasons: QualityReason[] }> = [
    { name: 'good face', change: {}, reasons: [] },
    { name: 'small box', change: { boxSizePx: 30 }, reasons: ['too_small'] },
    { name: 'small inter-ocular distance', change: { interOcularPx: 8 }, reasons: ['too_small'] },
    { name: 'blurry', change: { sharpness: 0.01 }, reasons: ['blurry'] },
    { name: 'NaN sharpness counts as blurry', change: { sharpness: Number.NaN }, reasons: ['blurry'] },
    { name: 'dark', change: { meanLuminance: 25 }, reasons: ['too_dark'] },
    { name: 'washed out', change: { meanLuminance: 240 }, reasons: ['washed_out'] },
    { name: 'clipped', change: { clippedFraction: 0.6 }, reasons: ['clipped'] },
    { name: 'yaw left', change: { yawDeg: -70 }, reasons: ['pose_yaw'] },
    { name: 'yaw right', change: { yawDeg: 70 }, reasons: ['pose_yaw'] },
    { name: 'roll', change: { rollDeg: -55 }, reasons: ['pose_roll'] },
    { name: 'low score', change: { detectorScore: 0.3 }, reasons: ['low_score'] },
    { name: 'several at once, stable order', change: { detectorScore: 0.3, meanLuminance: 10, boxSizePx: 20 }, reasons: ['too_small', 'too_dark', 'low_score'] },
    { name: 'exactly at the limits passes', change: { boxSizePx: 40, sharpness: 0.02, meanLuminance: 40, yawDeg: 60, rollDeg: 50, detectorScore: 0.5 }, reasons: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const verdict = assessFaceQuality({ ...GOOD, ...c.change }, recognition);
      assert.deepEqual(verdict.reasons, c.reasons);
      assert.equal(verdict.ok, c.reasons.length === 0);
    });
  }

  it('enrolment rejects what recognition accepts (a 40° yaw)', () => {
    const face = { ...GOOD, yawDeg: 40 };
    assert.equal(assessFaceQuality(face, resolveQualityThresholds('recognition')).ok, true);
    assert.deepEqual(assessFaceQuality(face, resolveQualityThresholds('enrolment')).reasons, ['pose_yaw']);
  });
});

describe('profiles', () => {
  const keys = Object.keys(QUALITY_THRESHOLD_BOUNDS) as Array<keyof QualityThresholds>;
  for (const key of keys) {
    it(`enrolment is at least as strict as recognition for ${key}`, () => {
      const enrol = DEFAULT_QUALITY_THRESHOLDS.enrolment[key];
      const recog = DEFAULT_QUALITY_THRESHOLDS.recognition[key];
      if (key.startsWith('min')) assert.ok(enrol >= recog, `${enrol} < ${recog}`);
      else assert.ok(enrol <= recog, `${enrol} > ${recog}`);
    });
    it(`defaults respect the bounds for ${key}`, () => {
      for (const profile of ['enrolment', 'recognition'] as const) {
        const v = DEFAULT_QUALITY_THRESHOLDS[profile][key];
        assert.ok(v >= QUALITY_THRESHOLD_BOUNDS[key].min && v <= QUALITY_THRESHOLD_BOUNDS[key].max);
      }
    });
  }
});

describe('resolveQualityThresholds', () => {
  it('applies a valid override without touching the defaults', () => {
    const t = resolveQualityThresholds('recognition', { maxAbsYawDeg: 30 });
    assert.equal(t.maxAbsYawDeg, 30);
    assert.equal(DEFAULT_QUALITY_THRESHOLDS.recognition.maxAbsYawDeg, 60);
  });
  const invalid: Array<[string, Record<string, unknown>]> = [
    ['unknown key', { minFoo: 1 }],
    ['below bounds', { minBoxSizePx: 2 }],
    ['above bounds', { maxAbsRollDeg: 120 }],
    ['not a number', { minSharpness: '0.1' }],
    ['NaN', { minDetectorScore: Number.NaN }],
  ];
  for (const [name, overrides] of invalid) {
    it(`rejects ${name}`, () => assert.throws(() => resolveQualityThresholds('enrolment', overrides), InvalidInputError));
  }
  it('rejects an unknown profile', () => {
    assert.throws(() => resolveQualityThresholds('party' as never), InvalidInputError);
  });
});
