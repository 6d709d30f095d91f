import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { TokenIssuer } from '@vigil/auth';
import { ConfigError, describeDatabase, loadConfig, type VigilConfig } from '@vigil/config';
import { DomainError } from '@vigil/domain';
import { Database, DatabaseRoleError, DataDirLockedError } from '@vigil/persistence';
import { calibrateCommand, CALIBRATE_USAGE } from './commands/calibrate';
import { enrollCommand, ENROLL_USAGE } from './commands/enroll';
import { evaluateCommand, EVALUATE_USAGE } from './commands/evaluate';
import { exportDatasetCommand, EXPORT_DATASET_USAGE } from './commands/export-dataset';
import { scanCommand, SCAN_USAGE } from './commands/scan';
import { trainHeadCommand, TRAIN_HEAD_USAGE } from './commands/train-head';
import { userCommand, USER_USAGE } from './commands/user';

const MIGRATE_USAGE = `vigil migrate
  Applies pending database migrations and exits. With VIGIL_DATABASE_OWNER_URL it runs as that
  owner role, then grants the DATABASE_URL role what the server needs (README: Database roles).`;

const ADMIN_TOKEN_USAGE = `vigil admin-token --rotate
  Revokes every admin token and prints a new one. Needs local access to the database; stop the
  server first when it runs on the embedded database.`;

type Out = (text: string) => void;
type Command = (args: string[], config: VigilConfig, out: Out, err: Out) => Promise<number>;

interface CommandEntry {
  /** One line (or two) for the overview. */
  summary: string;
  /** What `vigil <command> --help` prints. */
  usage: string;
  run: Command;
}

const COMMANDS: Record<string, CommandEntry> = {
  migrate: {
    summary: 'apply pending database migrations and exit (with VIGIL_DATABASE_OWNER_URL: as the owner role)',
    usage: MIGRATE_USAGE,
    run: migrateCommand,
  },
  user: { summary: 'staff accounts for the web consoles: add | passwd | disable | enable | list', usage: USER_USAGE, run: userCommand },
  'admin-token': { summary: 'revoke every admin token and print a new one (local access to the database)', usage: ADMIN_TOKEN_USAGE, run: adminTokenCommand },
  enroll: { summary: 'bulk import of reference photos, one sub-folder per person', usage: ENROLL_USAGE, run: enrollCommand },
  evaluate: { summary: 'offline verification metrics on a pairs CSV or LFW\'s pairs.txt (AUC, FAR, FRR, TAR@FAR)', usage: EVALUATE_USAGE, run: evaluateCommand },
  calibrate: { summary: 'thresholds and descriptor choice from LFW: tables + threshold file', usage: CALIBRATE_USAGE, run: calibrateCommand },
  'export-dataset': { summary: 'reviewed crops + labels, stratified split, balance and quality report', usage: EXPORT_DATASET_USAGE, run: exportDatasetCommand },
  'train-head': {
    summary: 'learned head: honest LFW fold rotation, or a head candidate model version from reviewed faces',
    usage: TRAIN_HEAD_USAGE,
    run: trainHeadCommand,
  },
  scan: { summary: 'look for enrolled people in recorded footage (file or folder): report.json/csv/html', usage: SCAN_USAGE, run: scanCommand },
};

const USAGE = `Usage: vigil <command> [options]
       vigil <command> --help     that command's options

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`)
  .join('\n')}
  help [command]  this text, or a command's help

The database comes from DATABASE_URL, or the embedded one in VIGIL_DATA_DIR (./data).
Long work shows a progress bar on a terminal (stderr); none when stderr is a pipe or a file.
`;

/** The help of one command, or null when there is no such command. */
export function commandHelp(name: string): string | null {
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  return entry ? `${entry.usage}\n` : null;
}

const wantsHelp = (args: string[]): boolean => args.includes('--help') || args.includes('-h');

export async function run(argv: string[], out: Out, err: Out): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    out(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'help') {
    if (rest.length === 0) {
      out(USAGE);
      return 0;
    }
    const help = commandHelp(rest[0]!);
    if (help) out(help);
    else err(`Unknown command "${rest[0]}".\n\n${USAGE}`);
    return help ? 0 : 1;
  }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    err(`Unknown command "${command}".\n\n${USAGE}`);
    return 1;
  }
  // Help needs no configuration or database: it works on a machine where nothing is set up yet.
  if (wantsHelp(rest)) {
    out(`${entry.usage}\n`);
    return 0;
  }
  return entry.run(rest, loadConfig(), out, err);
}

async function migrateCommand(args: string[], config: VigilConfig, out: Out): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const db = await Database.open(config.database, { migrate: false });
  try {
    const applied = await db.runMigrations();
    out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'Schema is up to date.\n');
  } finally {
    await db.close();
  }
  return 0;
}

async function adminTokenCommand(args: string[], config: VigilConfig, out: Out, err: Out): Promise<number> {
  const { values } = parseArgs({ args, options: { rotate: { type: 'boolean' } }, strict: true });
  if (!values.rotate) {
    err(`admin-token needs --rotate (admin tokens are stored hashed and cannot be shown again).\n\n${ADMIN_TOKEN_USAGE}\n`);
    return 1;
  }
  const db = await Database.open(config.database);
  try {
    const secret = await new TokenIssuer(db).rotateAdmin();
    out(`New admin token for ${describeDatabase(config.database)} (every earlier admin token is revoked):\n${secret}\n`);
  } finally {
    await db.close();
  }
  return 0;
}

/**
 * Ends the process with `code` once everything written to stdout and stderr has been handed to
 * the OS. process.exit() right after a write drops what is still queued, which on a pipe is
 * everything past its 64 KiB buffer (`vigil evaluate --json | tail -1` read a cut-off object). An
 * empty write's callback runs after the writes queued before it; exiting then, rather than waiting
 * for the event loop to empty, keeps a lingering handle (a worker thread, a timer) from holding the
 * process open.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** Process entry: called by bin/vigil.js. */
export function main(argv: string[] = process.argv.slice(2)): void {
  // A reader that goes away early (`| head -1`) is not an error of the command.
  const ignoreBrokenPipe = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
  };
  process.stdout.on('error', ignoreBrokenPipe);
  process.stderr.on('error', ignoreBrokenPipe);
  run(argv, (t) => process.stdout.write(t), (t) => process.stderr.write(t)).then(exitWhenFlushed, (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof DatabaseRoleError || error instanceof DomainError) {
      process.stderr.write(`${error.message}\n`);
      return exitWhenFlushed(2);
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // The options of the command that was mistyped, not the whole overview.
      process.stderr.write(`${error.message}\n\n${(argv[0] && commandHelp(argv[0])) || USAGE}`);
      return exitWhenFlushed(1);
    }
    process.stderr.write(`vigil: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    exitWhenFlushed(1);
  });
}

if (require.main === module) main();
