import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { UserDirectory, USER_ROLES } from '@vigil/auth';
import { describeDatabase, type VigilConfig } from '@vigil/config';
import { DomainError, InvalidInputError } from '@vigil/domain';
import { Database } from '@vigil/persistence';

export const USER_USAGE = `vigil user add <username> --role admin|security|reviewer [--name "Display Name"] [--password-stdin]
vigil user passwd <username> [--password-stdin]
vigil user disable <username> | enable <username> | list
  Staff accounts for the web consoles, on the server's database (local access: the CLI is the way
  in when nobody can sign in). The password is asked on the terminal without echo, twice; with
  --password-stdin it is the first line of standard input (for scripts). At least 12 characters,
  not a common password. Disabling ends the account's sessions, tokens and sockets at once
  (sockets within 30 s when the server is another process).`;

type Out = (text: string) => void;

/** Reads one line from stdin: muted on a terminal (asking `prompt`), plain from a pipe. */
async function readSecret(prompt: string, err: Out, stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) err(chunk.toString());
      done();
    },
  });
  const rl = createInterface({ input: stdin, output, terminal: Boolean(stdin.isTTY) });
  try {
    return await new Promise<string>((resolve, reject) => {
      if (stdin.isTTY) {
        err(prompt);
        muted = true;
      }
      rl.once('line', (line) => resolve(line));
      rl.once('close', () => reject(new InvalidInputError('No password given on standard input.')));
    });
  } finally {
    if (stdin.isTTY) err('\n');
    rl.close();
  }
}

async function askPassword(fromStdin: boolean, err: Out): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) return (await readSecret('', err)).replace(/\r$/, '');
  const first = await readSecret('New password: ', err);
  const second = await readSecret('Repeat it: ', err);
  if (first !== second) throw new InvalidInputError('The two passwords differ; nothing was changed.');
  return first;
}

export async function userCommand(args: string[], config: VigilConfig, out: Out, err: Out): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  });
  const username = positionals[0];
  if (!action || !['add', 'passwd', 'disable', 'enable', 'list'].includes(action) || (action !== 'list' && !username)) {
    err(`${USER_USAGE}\n`);
    return 1;
  }
  const db = await Database.open(config.database);
  try {
    const users = new UserDirectory(db);
    switch (action) {
      case 'list': {
        for (const u of await users.list()) {
          out(`${u.username}\t${u.role}\t${u.disabledAt ? 'disabled' : u.hasPassword ? 'active' : 'no password'}\t${u.displayName}\n`);
        }
        return 0;
      }
      case 'add': {
        if (!values.role || !(USER_ROLES as readonly string[]).includes(values.role)) {
          err(`vigil user add: --role must be one of ${USER_ROLES.join(', ')}.\n`);
          return 1;
        }
        const password = await askPassword(values['password-stdin'] === true, err);
        const user = await users.create(null, { username: username!, displayName: values.name ?? username!, role: values.role, password });
        out(`Created ${user.role} account "${user.username}" on ${describeDatabase(config.database)}; sign in at the web console.\n`);
        return 0;
      }
      case 'passwd': {
        const user = await users.findByUsername(username!);
        const password = await askPassword(values['password-stdin'] === true, err);
        await users.setPassword(null, user.id, password);
        out(`Password of "${user.username}" changed; its sessions have ended.\n`);
        return 0;
      }
      default: {
        const user = await users.findByUsername(username!);
        const { user: changed } = await users.setDisabled(null, user.id, action === 'disable');
        out(`"${changed.username}" is ${changed.disabledAt ? 'disabled: its sessions and tokens stopped working' : 'enabled'}.\n`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof DomainError) {
      err(`vigil user ${action}: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await db.close();
  }
}
