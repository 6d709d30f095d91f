import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canMint, isRole, ROLES } from './roles';
import { consentApplies, isPersonList } from './person-list';

describe('roles', () => {
  const cases: Array<[unknown, boolean]> = [
    ['admin', true],
    ['security', true],
    ['reviewer', true],
    ['kiosk', true],
    ['Admin', false],
    ['root', false],
    ['', false],
    [undefined, false],
    [3, false],
  ];
  for (const [value, expected] of cases) {
    it(`isRole(${JSON.stringify(value)}) is ${expected}`, () => assert.equal(isRole(value), expected));
  }

  it('admins can mint every role except admin', () => {
    assert.deepEqual(
      ROLES.filter((r) => canMint(r)),
      ['security', 'reviewer', 'kiosk'],
    );
  });
});

describe('person lists', () => {
  const cases: Array<[unknown, boolean, boolean | null]> = [
    ['watchlist', true, false],
    ['employee', true, true],
    ['visitor', false, null],
    [null, false, null],
  ];
  for (const [value, valid, consent] of cases) {
    it(`${String(value)}: valid=${valid} consent=${String(consent)}`, () => {
      assert.equal(isPersonList(value), valid);
      if (isPersonList(value)) assert.equal(consentApplies(value), consent);
    });
  }
});
