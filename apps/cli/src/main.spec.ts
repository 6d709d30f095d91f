import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { run } from './main';

async function vigil(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, (t) => (stdout += t), (t) => (stderr += t));
  return { code, stdout, stderr };
}

const COMMANDS = ['migrate', 'user', 'admin-token', 'enroll', 'evaluate', 'calibrate', 'export-dataset', 'scan', 'train-head'];

describe('vigil <command> --help', () => {
  // An unknown VIGIL_ variable makes loadConfig refuse to start: help must not need a valid setup.
  beforeEach(() => {
    process.env.VIGIL_NOT_A_SETTING = '1';
  });
  afterEach(() => {
    delete process.env.VIGIL_NOT_A_SETTING;
  });

  for (const command of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      it(`${command} ${flag} prints that command's usage and exits 0`, async () => {
        const r = await vigil(command, flag);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^vigil ${command}\\b`));
        assert.equal(r.stderr, '');
      });
    }
    it(`help ${command} prints the same text`, async () => {
      assert.deepEqual(await vigil('help', command), await vigil(command, '--help'));
    });
  }

  it('--help after other options still prints help (nothing runs)', async () => {
    const r = await vigil('evaluate', '--pairs', 'missing.txt', '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^vigil evaluate --pairs/);
  });

  it('the overview lists every command', async () => {
    const r = await vigil('--help');
    assert.equal(r.code, 0);
    for (const command of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${command}\\s`, 'm'));
  });

  const unknown: Array<[string[], RegExp]> = [
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['help', 'frobnicate'], /Unknown command "frobnicate"/],
    [['toString', '--help'], /Unknown command "toString"/],
  ];
  for (const [argv, message] of unknown) {
    it(`${argv.join(' ')} is an unknown command (exit 1)`, async () => {
      const r = await vigil(...argv);
      assert.equal(r.code, 1);
      assert.match(r.stderr, message);
    });
  }
});
