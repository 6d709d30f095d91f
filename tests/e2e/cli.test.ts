// @engine-independent: runs on the embedded database by design (npm start's default), whatever DATABASE_URL says.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnServer } from '../support/server-process';

const BIN = path.resolve(__dirname, '../../../bin/vigil.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-'));

function vigil(args: string[], env: NodeJS.ProcessEnv = {}, input?: string) {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...base, VIGIL_DATA_DIR: dataDir, ...env }, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vigil CLI', { timeout: 180_000 }, () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrate creates the schema and is idempotent', () => {
    const first = vigil(['migrate']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applied \d+ migration\(s\): CreateInitialSchema/);
    const second = vigil(['migrate']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Schema is up to date/);
  });

  it('admin-token --rotate prints a working admin token and revokes the old ones', async () => {
    const rotated = vigil(['admin-token', '--rotate']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const token = /(vgl_\S+)/.exec(rotated.stdout)?.[1];
    assert.ok(token);
    const again = /(vgl_\S+)/.exec(vigil(['admin-token', '--rotate']).stdout)?.[1];
    assert.ok(again && again !== token);

    const server = spawnServer({ VIGIL_DATA_DIR: dataDir });
    const url = await server.ready;
    assert.match(server.output(), /no administrator account yet: open http:\/\/\S+\/#setup=[\w-]{20,}/, 'a first start offers the setup link');
    const call = (t: string) => fetch(`${url}/api/tokens`, { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status);
    assert.equal(await call(again), 200);
    assert.equal(await call(token), 401);
    // While the server holds the embedded database, the CLI is refused with a clear message.
    const locked = vigil(['admin-token', '--rotate']);
    assert.equal(locked.code, 2);
    assert.match(locked.stderr, /Another Vigil process/);
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  });

  it('user add / list / disable manage staff accounts on the server\'s database', async () => {
    const weak = vigil(['user', 'add', 'boss', '--role', 'admin', '--password-stdin'], {}, 'password123\n');
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /at least 12 characters/);
    const badRole = vigil(['user', 'add', 'boss', '--role', 'kiosk', '--password-stdin'], {}, 'x\n');
    assert.equal(badRole.code, 1);
    assert.match(badRole.stderr, /--role must be one of admin, security, reviewer/);
    const added = vigil(['user', 'add', 'Boss', '--role', 'admin', '--name', 'Night Manager', '--password-stdin'], {}, 'lantern orbit cobalt 7\n');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Created admin account "boss"/);
    assert.equal(added.stdout.includes('lantern'), false, 'the password is never echoed');
    assert.match(vigil(['user', 'list']).stdout, /^boss\tadmin\tactive\tNight Manager$/m);

    const server = spawnServer({ VIGIL_DATA_DIR: dataDir, VIGIL_ROLES: 'api' });
    const url = await server.ready;
    try {
      assert.doesNotMatch(server.output(), /#setup=/, 'no setup link once an admin account exists');
      const signIn = () =>
        fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'boss', password: 'lantern orbit cobalt 7' }) }).then((r) => r.status);
      assert.equal(await signIn(), 200);
      server.child.kill('SIGTERM');
      await server.exited;
      const disabled = vigil(['user', 'disable', 'boss']);
      assert.equal(disabled.code, 2, 'the last admin account cannot be disabled');
      assert.match(disabled.stderr, /last enabled administrator/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('explains usage errors', () => {
    const unknown = vigil(['frobnicate']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown command "frobnicate"/);
    const noFlag = vigil(['admin-token']);
    assert.equal(noFlag.code, 1);
    assert.match(noFlag.stderr, /needs --rotate/);
    const badFlag = vigil(['migrate', '--force']);
    assert.equal(badFlag.code, 1);
    assert.match(badFlag.stderr, /Unknown option '--force'/);
  });
});
