import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { REVIEW_SETTINGS, resolveReviewSettings, validateReviewSettingsPatch } from './review-settings';

const defaults = resolveReviewSettings({});

describe('resolveReviewSettings', () => {
  it('has the documented defaults', () => {
    assert.equal(defaults.kpiMinAccuracy, 0.95);
    assert.equal(defaults.kpiMaxFar, 0.0001);
    assert.equal(defaults.kpiMinPrecision, null);
    assert.equal(defaults.unknownRetentionDays, 30);
    assert.equal(defaults.samplingSeed, 1);
  });

  const cases: Array<[string, Record<string, unknown>, Partial<typeof defaults>]> = [
    ['stored values by key', { 'review.unknownSampleRate': 0.3, 'kpi.minAccuracy': 0.9 }, { unknownSampleRate: 0.3, kpiMinAccuracy: 0.9 }],
    ['bounds inclusive', { 'review.attendanceSampleRate': 1, 'review.unknownRetentionDays': 365 }, { attendanceSampleRate: 1, unknownRetentionDays: 365 }],
    ['out of bounds → default', { 'review.attendanceSampleRate': 1.5, 'review.unknownRetentionDays': 0 }, {}],
    ['wrong type → default', { 'kpi.maxFar': '0.1', 'review.samplingSeed': 1.5 }, {}],
    ['null only where a setting may be off', { 'kpi.minPrecision': null, 'kpi.minAccuracy': null }, {}],
    ['a nullable target set', { 'kpi.minRecall': 0.8 }, { kpiMinRecall: 0.8 }],
    ['unknown keys ignored', { 'review.colour': 3 }, {}],
  ];
  for (const [name, stored, expected] of cases) {
    it(name, () => assert.deepEqual(resolveReviewSettings(stored), { ...defaults, ...expected }));
  }
});

describe('validateReviewSettingsPatch', () => {
  it('maps names to keys', () => {
    assert.deepEqual(validateReviewSettingsPatch({ unknownSampleRate: 0.2, kpiMinPrecision: null, kpiWindowDays: 7 }), {
      'review.unknownSampleRate': 0.2,
      'kpi.minPrecision': null,
      'kpi.windowDays': 7,
    });
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ['rate above 1', { unknownSampleRate: 2 }, /unknownSampleRate must be between 0 and 1/],
    ['fractional count', { attendanceDailyCap: 2.5 }, /whole number/],
    ['retention 0 days', { unseenRetentionDays: 0 }, /between 1 and 365/],
    ['null where not allowed', { kpiMaxFar: null }, /must not be null/],
    ['unknown name', { colour: 1 }, /colour: unknown setting/],
    ['string', { samplingSeed: '3' }, /must be a number/],
  ];
  for (const [name, patch, message] of invalid) {
    it(`refuses ${name}`, () => assert.throws(() => validateReviewSettingsPatch(patch), (e: unknown) => e instanceof InvalidInputError && message.test(e.message)));
  }

  it('every setting has a unique key and a default within its bounds', () => {
    const keys = Object.values(REVIEW_SETTINGS).map((s) => s.key);
    assert.equal(new Set(keys).size, keys.length);
    for (const s of Object.values(REVIEW_SETTINGS)) assert.ok(s.default === null ? s.nullable : s.default >= s.min && s.default <= s.max, s.key);
  });
});
