import assert from 'node:assert/strict';
import type { TestServer } from './test-server';

/** A password the server's policy accepts (12+ characters, not a common one). */
export const TEST_PASSWORD = 'lantern orbit cobalt 7';

export interface TestUser {
  id: string;
  username: string;
  displayName: string;
  password: string;
}

/** Creates a staff account through the API (with the test admin token), as an administrator would. */
export async function createUser(
  t: TestServer,
  username: string,
  role: 'admin' | 'security' | 'reviewer',
  options: { displayName?: string; password?: string } = {},
): Promise<TestUser> {
  const displayName = options.displayName ?? username;
  const password = options.password ?? TEST_PASSWORD;
  const res = await t.api('POST', '/api/users', { body: { username, displayName, role, password } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id as string, username, displayName, password };
}
