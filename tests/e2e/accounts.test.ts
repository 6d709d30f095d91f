import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { FirstAdminSetup } from '@vigil/auth';
import { until } from '../support/socket-client';
import { startTestServer, TestServer } from '../support/test-server';

let t: TestServer;

interface Browser {
  cookie: string;
  csrf: string;
}

/** fetch as a browser holding a session cookie; `csrf: false` leaves the CSRF header out. */
async function call(b: Browser | null, method: string, path: string, body?: unknown, opts: { csrf?: boolean; origin?: string } = {}) {
  const headers: Record<string, string> = {};
  if (b) headers.cookie = b.cookie;
  if (b && opts.csrf !== false && method !== 'GET') headers['x-csrf-token'] = b.csrf;
  if (opts.origin) headers.origin = opts.origin;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function signIn(username: string, password: string): Promise<Browser> {
  const res = await call(null, 'POST', '/api/auth/sign-in', { username, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const setCookie = res.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /^vigil_session=vgs_[\w-]+;/);
  assert.match(setCookie, /HttpOnly/i);
  assert.match(setCookie, /SameSite=Strict/i);
  assert.doesNotMatch(setCookie, /Secure/i, 'plain HTTP: no Secure flag (a browser would drop the cookie)');
  return { cookie: setCookie.split(';')[0]!, csrf: res.body.csrfToken };
}

const PASSWORDS = { admin: 'lantern orbit cobalt 7', guard: 'quiet harbour ledger', other: 'maple circuit thunder' };

async function createUser(admin: Browser, username: string, role: string, password: string) {
  const res = await call(admin, 'POST', '/api/users', { username, displayName: `${username} name`, role, password });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function auditOf(action: string) {
  return (await t.server.database.dataSource.query(
    `SELECT actor_user_id AS "userId", object_id AS "objectId", details FROM audit_event WHERE action = $1 ORDER BY id`,
    [action],
  )) as Array<{ userId: string | null; objectId: string | null; details: Record<string, unknown> }>;
}

describe(`staff accounts and console sessions (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 180_000 }, () => {
  let admin: Browser;
  let guardId: string;

  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t?.stop();
  });

  it('the first start prints a one-time setup link; it makes the first admin once, then stops working', async () => {
    const code = t.server.setupCode;
    assert.ok(code && code.length >= 20, 'a setup code on the first start');
    const wrong = await call(null, 'POST', '/api/auth/setup', { code: 'not-the-code', username: 'root', displayName: 'Root', password: PASSWORDS.admin });
    assert.equal(wrong.status, 401);
    const weak = await call(null, 'POST', '/api/auth/setup', { code, username: 'root', displayName: 'Root', password: 'password1234' });
    assert.equal(weak.status, 400);
    assert.match(weak.body.message, /most common passwords/);
    const ok = await call(null, 'POST', '/api/auth/setup', { code, username: 'Root', displayName: 'Site Admin', password: PASSWORDS.admin });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.user.username, 'root');
    assert.equal(ok.body.role, 'admin');
    const again = await call(null, 'POST', '/api/auth/setup', { code, username: 'root2', displayName: 'x', password: PASSWORDS.admin });
    assert.equal(again.status, 409, 'an admin exists now');
    assert.equal(await new FirstAdminSetup(t.server.database).issueCodeIfNeeded(), null, 'no new code once an admin can sign in');
    admin = await signIn('root', PASSWORDS.admin);
  });

  it('a cookie session reads freely but changes state only with its CSRF token and from our own origin', async () => {
    const me = await call(admin, 'GET', '/api/auth/session');
    assert.equal(me.status, 200);
    assert.deepEqual([me.body.kind, me.body.role, me.body.name, me.body.csrfToken], ['session', 'admin', 'Site Admin', admin.csrf]);
    const body = { username: 'guard', displayName: 'Gate Guard', role: 'security', password: PASSWORDS.guard };
    const noCsrf = await call(admin, 'POST', '/api/users', body, { csrf: false });
    assert.equal(noCsrf.status, 403);
    assert.match(noCsrf.body.message, /CSRF token/);
    const wrongCsrf = await call({ ...admin, csrf: 'x'.repeat(43) }, 'POST', '/api/users', body);
    assert.equal(wrongCsrf.status, 403);
    const crossSite = await call(admin, 'POST', '/api/users', body, { origin: 'https://evil.example' });
    assert.equal(crossSite.status, 403);
    assert.equal((await call(admin, 'GET', '/api/users')).body.length, 1, 'none of the refused requests created the user');
    guardId = await createUser(admin, 'guard', 'security', PASSWORDS.guard);
    const listed = (await call(admin, 'GET', '/api/users')).body.find((u: { id: string }) => u.id === guardId);
    assert.deepEqual([listed.username, listed.role, listed.disabled, listed.hasPassword], ['guard', 'security', false, true]);
    assert.equal(JSON.stringify(listed).includes('argon2'), false, 'no hash in the view');
    const [{ hash }] = await t.server.database.dataSource.query(`SELECT password_hash AS hash FROM app_user WHERE id = $1`, [guardId]);
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('refuses weak passwords, bad usernames and roles with a message, and duplicate usernames case-insensitively', async () => {
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ username: 'short', displayName: 'S', role: 'reviewer', password: 'Tr0ub4dor&3' }, 400, /at least 12/],
      [{ username: 'common', displayName: 'C', role: 'reviewer', password: 'qwerty123456' }, 400, /most common/],
      [{ username: 'bad name!', displayName: 'B', role: 'reviewer' }, 400, /username is 2 to 64/],
      [{ username: 'kiosky', displayName: 'K', role: 'kiosk' }, 400, /role: must be one of: admin, security, reviewer/],
      [{ username: 'GUARD', displayName: 'Dup', role: 'reviewer' }, 409, /already exists/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call(admin, 'POST', '/api/users', body);
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.match(res.body.message, message);
    }
  });

  it('every sign-in is audited by id; a wrong password and an unknown user get the same answer', async () => {
    const wrong = await call(null, 'POST', '/api/auth/sign-in', { username: 'guard', password: 'not the password at all' });
    const unknown = await call(null, 'POST', '/api/auth/sign-in', { username: 'nobody', password: 'not the password at all' });
    assert.deepEqual([wrong.status, unknown.status], [401, 401]);
    assert.equal(wrong.body.message, unknown.body.message);
    const audit = await auditOf('auth.sign-in');
    const outcomes = audit.map((a) => [a.objectId, a.details.outcome]);
    assert.deepEqual(outcomes.slice(-2), [[guardId, 'wrong_password'], [null, 'unknown_user']]);
    assert.ok(audit.some((a) => a.details.outcome === 'ok' && a.userId !== null), 'successful sign-ins are audited with the user');
    assert.equal(JSON.stringify(audit).includes('not the password'), false, 'no password in the audit');
    assert.equal(JSON.stringify(audit).includes('nobody'), false, 'no attempted username in the audit');
    await signIn('guard', PASSWORDS.guard); // a success resets the account's failure count
  });

  it('slows guessing per account: after repeated failures even the right password waits (429 with Retry-After)', async () => {
    const victim = await createUser(admin, 'victim', 'reviewer', PASSWORDS.other);
    for (let i = 0; i < 10; i++) await t.server.database.repos.users.recordFailure(victim);
    const res = await call(null, 'POST', '/api/auth/sign-in', { username: 'victim', password: PASSWORDS.other });
    assert.equal(res.status, 429);
    assert.match(res.body.message, /Too many failed sign-ins for this account/);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    await t.server.database.dataSource.query(`UPDATE app_user SET last_failed_sign_in_at = now() - interval '1 hour' WHERE id = $1`, [victim]);
    await signIn('victim', PASSWORDS.other);
  });

  it('disabling an account ends its sessions, its tokens and its sockets at once', async () => {
    const guard = await signIn('guard', PASSWORDS.guard);
    const minted = await call(admin, 'POST', '/api/tokens', { name: 'gate tablet', role: 'security', ownerUserId: guardId });
    assert.equal(minted.status, 201, JSON.stringify(minted.body));
    const socket = io(t.server.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: guard.cookie } });
    const welcome = await new Promise<{ role: string; tokenName: string }>((resolve, reject) => {
      socket.once('welcome', resolve);
      socket.once('connect_error', reject);
    });
    assert.deepEqual(welcome.role, 'security');
    let cut = false;
    socket.on('disconnect', () => (cut = true));
    const disabled = await call(admin, 'PATCH', `/api/users/${guardId}`, { disabled: true });
    assert.equal(disabled.status, 200);
    assert.equal(disabled.body.disabled, true);
    await until('the disabled user\'s socket to be cut', 10_000, () => (cut ? true : undefined));
    socket.close();
    assert.equal((await call(guard, 'GET', '/api/auth/session')).status, 401);
    assert.equal((await t.api('GET', '/api/cameras', { token: minted.body.token })).status, 401, 'a token held by a disabled user stops working');
    assert.equal((await call(null, 'POST', '/api/auth/sign-in', { username: 'guard', password: PASSWORDS.guard })).status, 401);
    assert.equal((await call(admin, 'PATCH', `/api/users/${guardId}`, { disabled: false })).status, 200);
    assert.equal((await t.api('GET', '/api/cameras', { token: minted.body.token })).status, 200, 're-enabled: the token works again');
  });

  it('the last enabled admin account can be neither disabled nor demoted', async () => {
    const [root] = (await call(admin, 'GET', '/api/users')).body.filter((u: { username: string }) => u.username === 'root');
    for (const patch of [{ disabled: true }, { role: 'reviewer' }]) {
      const res = await call(admin, 'PATCH', `/api/users/${root.id}`, patch);
      assert.equal(res.status, 409, JSON.stringify(patch));
      assert.match(res.body.message, /last enabled administrator/);
    }
  });

  it('sign-out ends one session; a password change and sign-out-everywhere end the others; idle sessions expire', async () => {
    const one = await signIn('guard', PASSWORDS.guard);
    const two = await signIn('guard', PASSWORDS.guard);
    assert.equal((await call(one, 'POST', '/api/auth/sign-out')).status, 204);
    assert.equal((await call(one, 'GET', '/api/auth/session')).status, 401);
    assert.equal((await call(two, 'GET', '/api/auth/session')).status, 200);

    const three = await signIn('guard', PASSWORDS.guard);
    const wrongCurrent = await call(two, 'POST', '/api/auth/password', { currentPassword: 'wrong wrong wrong', newPassword: 'fresh paint window' });
    assert.equal(wrongCurrent.status, 401);
    assert.equal((await call(two, 'POST', '/api/auth/password', { currentPassword: PASSWORDS.guard, newPassword: 'fresh paint window' })).status, 204);
    assert.equal((await call(two, 'GET', '/api/auth/session')).status, 200, 'the session that changed it stays');
    assert.equal((await call(three, 'GET', '/api/auth/session')).status, 401, 'other sessions end');

    const four = await signIn('guard', 'fresh paint window');
    assert.equal((await call(four, 'POST', '/api/auth/sign-out-everywhere')).status, 204);
    assert.equal((await call(two, 'GET', '/api/auth/session')).status, 401);
    assert.equal((await call(four, 'GET', '/api/auth/session')).status, 401);

    const idle = await signIn('guard', 'fresh paint window');
    await t.server.database.dataSource.query(`UPDATE user_session SET last_seen_at = now() - interval '2 hours' WHERE revoked_at IS NULL AND user_id = $1`, [guardId]);
    assert.equal((await call(idle, 'GET', '/api/auth/session')).status, 401, 'idle past VIGIL_SESSION_IDLE_MINUTES (60)');
  });

  it('slows guessing per address: many failures from one address refuse it for a while, whichever account', async () => {
    let refused: { status: number; body: { message: string }; headers: Headers } | null = null;
    for (let i = 0; i < 40 && !refused; i++) {
      const res = await call(null, 'POST', '/api/auth/sign-in', { username: `spray${i}`, password: 'guess guess guess' });
      if (res.status === 429) refused = res;
      else assert.equal(res.status, 401);
    }
    assert.ok(refused, 'refused within 40 attempts');
    assert.match(refused.body.message, /from this address/);
    assert.equal((await call(null, 'POST', '/api/auth/sign-in', { username: 'root', password: PASSWORDS.admin })).status, 429, 'also for a real account');
  });
});
