import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOffset } from './alert-offset';

describe('parseOffset: the socket handshake\'s auth.offset', () => {
  const cases: Array<[unknown, string | null]> = [
    [0, '0'],
    [42, '42'],
    ['42', '42'],
    ['007', '7'],
    ['0', '0'],
    ['9223372036854775807', '9223372036854775807'],
    ['9999999999999999999', null],
    [-1, null],
    [1.5, null],
    [Number.MAX_SAFE_INTEGER + 1, null],
    ['-1', null],
    ['', null],
    [null, null],
    [undefined, null],
    [{}, null],
  ];
  for (const [raw, expected] of cases) it(`${JSON.stringify(raw) ?? 'undefined'} → ${expected}`, () => assert.equal(parseOffset(raw), expected));
});
