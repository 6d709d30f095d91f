import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import {
  EVIDENCE_RETENTION, evidenceRetentionDefaults, isRetentionDue, resolveEvidenceRetention, retentionCutoffs, retentionEnd,
  validateEvidenceRetentionPatch, type EvidenceRetention, type RetainedRecord,
} from './evidence-retention';

const DAY = 86_400_000;
const t0 = new Date('2027-03-01T12:00:00Z');
const at = (days: number, ms = 0) => new Date(t0.getTime() + days * DAY + ms);
const policy: EvidenceRetention = { framesDays: 30, cropsDays: 90, attendanceDays: 365 };
const media = (kind: 'reference' | 'upload' | 'crop' | 'frame', extra: { expiresAt?: Date; usedByReference?: boolean } = {}): RetainedRecord => ({
  kind, createdAt: t0, expiresAt: extra.expiresAt ?? null, usedByReference: extra.usedByReference ?? false,
});

describe('evidence retention defaults and settings', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(evidenceRetentionDefaults(), { framesDays: 30, cropsDays: 90, attendanceDays: 730 });
  });

  const cases: Array<[string, Partial<EvidenceRetention>, Record<string, unknown>, EvidenceRetention]> = [
    ['environment over the built-in defaults', { framesDays: 7 }, {}, { framesDays: 7, cropsDays: 90, attendanceDays: 730 }],
    ['an invalid environment value is ignored', { cropsDays: 0, attendanceDays: 3 }, {}, { framesDays: 30, cropsDays: 90, attendanceDays: 730 }],
    ['stored settings over the environment', { framesDays: 7 }, { 'retention.framesDays': 14, 'retention.attendanceDays': 1825 }, { framesDays: 14, cropsDays: 90, attendanceDays: 1825 }],
    ['bounds inclusive', {}, { 'retention.framesDays': 1, 'retention.cropsDays': 3650, 'retention.attendanceDays': 7 }, { framesDays: 1, cropsDays: 3650, attendanceDays: 7 }],
    ['out of bounds or the wrong type → default', { framesDays: 7 }, { 'retention.framesDays': 0, 'retention.cropsDays': '30', 'retention.attendanceDays': 6.5 }, { framesDays: 7, cropsDays: 90, attendanceDays: 730 }],
  ];
  for (const [name, env, stored, expected] of cases) {
    it(name, () => assert.deepEqual(resolveEvidenceRetention(stored, evidenceRetentionDefaults(env)), expected));
  }

  it('a patch maps names to keys; null means back to the default', () => {
    assert.deepEqual(validateEvidenceRetentionPatch({ framesDays: 14, attendanceDays: null }), { 'retention.framesDays': 14, 'retention.attendanceDays': null });
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ['0 days', { framesDays: 0 }, /framesDays must be between 1 and 3650 days/],
    ['a fraction', { cropsDays: 1.5 }, /whole number/],
    ['attendance under a week', { attendanceDays: 6 }, /attendanceDays must be between 7 and 3650/],
    ['a string', { cropsDays: '90' }, /must be a number/],
    ['an unknown name', { referencesDays: 5 }, /referencesDays: unknown setting/],
  ];
  for (const [name, patch, message] of invalid) {
    it(`refuses ${name}`, () => assert.throws(() => validateEvidenceRetentionPatch(patch), (e: unknown) => e instanceof InvalidInputError && message.test(e.message)));
  }

  it('every setting has a unique key and a default within its bounds', () => {
    const keys = Object.values(EVIDENCE_RETENTION).map((s) => s.key);
    assert.equal(new Set(keys).size, keys.length);
    for (const s of Object.values(EVIDENCE_RETENTION)) assert.ok(s.default !== null && s.default >= s.min && s.default <= s.max, s.key);
  });
});

describe('what retention removes at time t (frames 30, crops 90, attendance 365 days)', () => {
  const cases: Array<[string, RetainedRecord, Date, boolean]> = [
    ['a frame 29 days old stays', media('frame'), at(29), false],
    ['a frame exactly 30 days old goes', media('frame'), at(30), true],
    ['a frame 1 ms short of 30 days stays', media('frame'), at(30, -1), false],
    ['a crop 31 days old stays (crops keep 90)', media('crop'), at(31), false],
    ['a crop 90 days old goes', media('crop'), at(90), true],
    ['a reference photo never goes', media('reference'), at(10_000), false],
    ['an uploaded photo never goes', media('upload'), at(10_000), false],
    ['a crop that became a face reference never goes', media('crop', { usedByReference: true }), at(10_000), false],
    ['a crop with its own expiry goes then, before 90 days', media('crop', { expiresAt: at(10) }), at(10), true],
    ['a crop with its own expiry stays until then, past 90 days', media('crop', { expiresAt: at(365) }), at(200), false],
    ['an expiry wins even over a reference made from it', media('crop', { expiresAt: at(10), usedByReference: true }), at(10), true],
    ['an attendance booking 364 days old stays', { kind: 'attendance', at: t0 }, at(364), false],
    ['an attendance booking 365 days old goes', { kind: 'attendance', at: t0 }, at(365), true],
  ];
  for (const [name, record, now, due] of cases) {
    it(name, () => assert.equal(isRetentionDue(record, policy, now), due));
  }

  it('the cutoffs a query compares with give the same answers', () => {
    for (const [name, record, now, due] of cases) {
      const c = retentionCutoffs(policy, now);
      let byCutoff: boolean;
      if (record.kind === 'attendance') byCutoff = record.at <= c.attendanceBy;
      else if (record.expiresAt) byCutoff = record.expiresAt <= c.now;
      else if (record.usedByReference) byCutoff = false;
      else if (record.kind === 'frame') byCutoff = record.createdAt <= c.framesCreatedBy;
      else if (record.kind === 'crop') byCutoff = record.createdAt <= c.cropsCreatedBy;
      else byCutoff = false;
      assert.equal(byCutoff, due, name);
    }
  });

  it('retentionEnd says when, or null for never', () => {
    assert.equal(retentionEnd(media('frame'), policy)?.toISOString(), '2027-03-31T12:00:00.000Z');
    assert.equal(retentionEnd(media('reference'), policy), null);
  });
});
