import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { parseSameLabel } from './pair-label';

describe('parseSameLabel', () => {
  const cases: Array<[string, boolean]> = [
    ['Yes', true], ['YES', true], [' yes ', true], ['true', true], ['TRUE', true], ['1', true],
    ['No', false], ['no', false], ['False', false], ['0', false],
  ];
  for (const [raw, expected] of cases) it(`'${raw}' → ${expected}`, () => assert.equal(parseSameLabel(raw, 'x'), expected));
  for (const bad of ['', 'y', '2', 'maybe']) {
    it(`rejects '${bad}' naming the location`, () =>
      assert.throws(() => parseSameLabel(bad, 'line 7'), (e: unknown) => e instanceof InvalidInputError && /line 7/.test(e.message)));
  }
});
