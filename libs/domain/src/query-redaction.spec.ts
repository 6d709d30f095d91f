import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { queryKeyName, redactQueryValues, redactRequestQuery } from './query-redaction';

const SAFE = new Set(['limit', 'offset', 'channel']);

describe('redactRequestQuery (request logs): every value hidden unless its name is known safe', () => {
  const cases: Array<[string, string]> = [
    ['/api/persons', '/api/persons'],
    ['/api/persons?limit=10&offset=20', '/api/persons?limit=10&offset=20'],
    ['/api/persons?LIMIT=10', '/api/persons?LIMIT=10'],
    ['/api/persons?q=Pat%20Doe&limit=5', '/api/persons?q=***&limit=5'],
    ['/api/x?token=vgl_S3cret', '/api/x?token=***'],
    ['/api/x?access_token=S3cret&apikey=S3cret&api_key=S3cret&passwd=S3cret&auth=S3cret&key=S3cret', '/api/x?access_token=***&apikey=***&api_key=***&passwd=***&auth=***&key=***'],
    ['/api/x?%74oken=S3cret', '/api/x?%74oken=***'],
    ['/api/x?%6Cimit=5', '/api/x?%6Cimit=5'],
    ['/api/x?limit=5%26token%3DS3cret', '/api/x?limit=***'],
    ['/api/x?S3cret', '/api/x?***'],
    ['/api/x?limit=5&&S3cret', '/api/x?limit=5&&***'],
    ['/api/x?token=', '/api/x?token='],
    ['/api/x?%zz=S3cret', '/api/x?%zz=***'],
    ['/api/x?limit=5;token=S3cret', '/api/x?limit=***'],
  ];
  for (const [input, expected] of cases) {
    it(input, () => {
      const out = redactRequestQuery(input, SAFE);
      assert.equal(out, expected);
      assert.ok(!out.includes('S3cret'));
    });
  }
});

describe('redactQueryValues (free text)', () => {
  it('hides values in every URL of a line and keeps the safe ones', () => {
    assert.equal(
      redactQueryValues('a http://c/x?channel=2&sig=S3cret b rtsp://d/y?S3cret;channel=1', SAFE),
      'a http://c/x?channel=2&sig=*** b rtsp://d/y?***;channel=1',
    );
  });
  it('leaves text without a query alone', () => {
    assert.equal(redactQueryValues('Connection refused (what? again)', SAFE), 'Connection refused (what? again)');
  });
});

describe('queryKeyName', () => {
  const cases: Array<[string, string | null]> = [
    ['Access_Token', 'access_token'],
    ['%61pi%4Bey', 'apikey'],
    ['api+key', 'api key'],
    ['%E0%A4%A', null],
  ];
  for (const [raw, name] of cases) it(raw, () => assert.equal(queryKeyName(raw), name));
});
