import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redisErrorSummary } from './redis-error';

describe('redisErrorSummary: a Redis error as it may be logged', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
  const cases: Array<{ name: string; error: unknown; url: string; expected: { code?: string; message: string } }> = [
    { name: 'a refused connection keeps its code and address', error: withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'), url: 'redis://127.0.0.1:6379', expected: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:6379' } },
    { name: 'the password is taken out', error: new Error('AUTH s3cr3t-pw failed'), url: 'redis://:s3cr3t-pw@10.0.0.5:6379/0', expected: { message: 'AUTH *** failed' } },
    { name: 'a percent-encoded password is taken out in both spellings', error: new Error('bad p@ss and p%40ss'), url: 'redis://user:p%40ss@h:6379', expected: { message: 'bad *** and ***' } },
    { name: 'the whole URL is taken out', error: new Error('cannot reach redis://:pw123@h:6379/0 now'), url: 'redis://:pw123@h:6379/0', expected: { message: 'cannot reach *** now' } },
    { name: 'a non-Error is stringified', error: 'boom', url: 'redis://h:6379', expected: { message: 'boom' } },
    { name: 'a non-string code is left out', error: withCode('x', 42 as unknown as string), url: 'redis://h', expected: { message: 'x' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(redisErrorSummary(c.error, c.url), c.expected));
});
