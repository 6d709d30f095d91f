import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOffset } from '../alerts/alert-offset';
import { isSeq } from './seq';

describe('isSeq: a seq offset within a PostgreSQL bigint', () => {
  const cases: Array<[unknown, boolean]> = [
    ['0', true],
    ['42', true],
    ['9223372036854775807', true],
    ['9223372036854775808', false],
    ['9999999999999999999', false],
    ['00000000000000000001', false],
    ['-1', false],
    ['1.5', false],
    ['', false],
    [' 1', false],
    [42, false],
    [null, false],
  ];
  for (const [value, expected] of cases) it(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(isSeq(value), expected));

  it('the socket offset follows the same rule (beyond a bigint means no offset)', () => {
    assert.equal(parseOffset('9223372036854775807'), '9223372036854775807');
    assert.equal(parseOffset('9999999999999999999'), null);
    assert.equal(parseOffset('007'), '7');
  });
});
