import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { decideAttendance, localDate, type AttendanceEvent, type AttendanceRules } from './attendance-rules';

const utc = (iso: string): number => Date.parse(`${iso}Z`);
const ev = (kind: AttendanceEvent['kind'], iso: string): AttendanceEvent => ({ kind, at: utc(iso) });

describe('localDate', () => {
  const cases = [
    { at: '2024-03-10T23:30:00', tz: 'UTC', expected: '2024-03-10' },
    { at: '2024-03-10T23:30:00', tz: 'Europe/Berlin', expected: '2024-03-11' },
    { at: '2024-03-11T03:59:00', tz: 'America/New_York', expected: '2024-03-10' },
    { at: '2024-03-11T04:00:00', tz: 'America/New_York', expected: '2024-03-11' },
    // Berlin switches to summer time at 01:00 UTC on 31 March 2024: midnight is then 22:00 UTC.
    { at: '2024-03-31T22:00:00', tz: 'Europe/Berlin', expected: '2024-04-01' },
    { at: '2024-12-31T23:59:59', tz: 'Asia/Tokyo', expected: '2025-01-01' },
  ];
  for (const c of cases) it(`${c.at}Z in ${c.tz} → ${c.expected}`, () => assert.equal(localDate(utc(c.at), c.tz), c.expected));
  it('accepts a Date', () => assert.equal(localDate(new Date(utc('2024-01-02T00:00:00')), 'UTC'), '2024-01-02'));
  it('rejects unknown zones and invalid dates', () => {
    assert.throws(() => localDate(0, 'Mars/Olympus'), InvalidInputError);
    assert.throws(() => localDate(new Date('nope'), 'UTC'), InvalidInputError);
  });
});

describe('decideAttendance', () => {
  const cases: Array<{ name: string; events: AttendanceEvent[]; at: string; rules?: AttendanceRules; expected: { kind: string; reason: string } }> = [
    { name: 'first sighting of the day', events: [], at: '2024-05-06T08:00:00', expected: { kind: 'in', reason: 'first_of_day' } },
    {
      name: "yesterday's events do not count",
      events: [ev('in', '2024-05-05T08:00:00'), ev('out', '2024-05-05T17:00:00')],
      at: '2024-05-06T08:00:00',
      expected: { kind: 'in', reason: 'first_of_day' },
    },
    {
      name: 'debounce: same passage re-tracked',
      events: [ev('in', '2024-05-06T08:00:00')],
      at: '2024-05-06T08:01:59',
      expected: { kind: 'ignore', reason: 'debounce' },
    },
    {
      name: 'debounce boundary: exactly debounceMs is too soon, not debounce',
      events: [ev('in', '2024-05-06T08:00:00')],
      at: '2024-05-06T08:02:00',
      expected: { kind: 'ignore', reason: 'too_soon' },
    },
    {
      name: 'walking past again within the hour',
      events: [ev('in', '2024-05-06T08:00:00')],
      at: '2024-05-06T08:59:59',
      expected: { kind: 'ignore', reason: 'too_soon' },
    },
    { name: 'in → out after minGap', events: [ev('in', '2024-05-06T08:00:00')], at: '2024-05-06T09:00:00', expected: { kind: 'out', reason: 'toggle' } },
    {
      name: 'out → in after lunch',
      events: [ev('in', '2024-05-06T08:00:00'), ev('out', '2024-05-06T12:00:00')],
      at: '2024-05-06T13:00:00',
      expected: { kind: 'in', reason: 'toggle' },
    },
    {
      name: 'late frame before the last event',
      events: [ev('in', '2024-05-06T08:00:00'), ev('out', '2024-05-06T12:00:00')],
      at: '2024-05-06T11:00:00',
      expected: { kind: 'ignore', reason: 'out_of_order' },
    },
    {
      name: 'night shift: after local midnight is a new day',
      events: [ev('in', '2024-05-06T21:00:00')],
      at: '2024-05-06T22:30:00',
      rules: { timeZone: 'Europe/Berlin' },
      expected: { kind: 'in', reason: 'first_of_day' },
    },
    {
      name: 'same sighting in UTC is still the same day',
      events: [ev('in', '2024-05-06T21:00:00')],
      at: '2024-05-06T22:30:00',
      expected: { kind: 'out', reason: 'toggle' },
    },
    {
      name: 'local day, not UTC day: 23:00 UTC is the next morning in Tokyo',
      events: [ev('in', '2024-05-06T23:00:00')],
      at: '2024-05-07T01:00:00',
      rules: { timeZone: 'Asia/Tokyo' },
      expected: { kind: 'out', reason: 'toggle' },
    },
    {
      name: 'custom gaps',
      events: [ev('in', '2024-05-06T08:00:00')],
      at: '2024-05-06T08:10:00',
      rules: { debounceMs: 60_000, minGapMs: 5 * 60_000 },
      expected: { kind: 'out', reason: 'toggle' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(decideAttendance(c.events, utc(c.at), c.rules), c.expected));
  }

  it('accepts a Date for the sighting', () => {
    assert.deepEqual(decideAttendance([], new Date(utc('2024-05-06T08:00:00'))), { kind: 'in', reason: 'first_of_day' });
  });

  const bad: Array<[string, () => unknown]> = [
    ['unsorted events', () => decideAttendance([ev('out', '2024-05-06T12:00:00'), ev('in', '2024-05-06T08:00:00')], utc('2024-05-06T13:00:00'))],
    ['unknown event kind', () => decideAttendance([{ kind: 'lunch' as 'in', at: 0 }], 1)],
    ['invalid sighting time', () => decideAttendance([], Number.NaN)],
    ['minGap below debounce', () => decideAttendance([], 0, { debounceMs: 10, minGapMs: 5 })],
    ['unknown time zone', () => decideAttendance([], 0, { timeZone: 'Nowhere/Land' })],
  ];
  for (const [name, fn] of bad) it(`rejects ${name}`, () => assert.throws(fn, InvalidInputError));
});
