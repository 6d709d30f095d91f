import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveLogFormat, type LogFormat } from './logger';

describe('resolveLogFormat', () => {
  const cases: Array<[LogFormat, boolean | undefined, 'json' | 'pretty']> = [
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['auto', undefined, 'json'], // a pipe or a file has no isTTY
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ];
  for (const [format, tty, expected] of cases) {
    it(`${format} with stdout ${tty === true ? 'a terminal' : 'not a terminal'} → ${expected}`, () => {
      assert.equal(resolveLogFormat(format, tty), expected);
    });
  }
});
