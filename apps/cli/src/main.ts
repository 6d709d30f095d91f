import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { TokenIssuer } from '@vigil/auth';
import { ConfigError, describeDatabase, loadConfig } from '@vigil/config';
import { DomainError } from '@vigil/domain';
import { Database, DatabaseRoleError, DataDirLockedError } from '@vigil/persistence';
import { calibrateCommand, CALIBRATE_USAGE } from './commands/calibrate';
import { enrollCommand, ENROLL_USAGE } from './commands/enroll';
import { evaluateCommand, EVALUATE_USAGE } from './commands/evaluate';
import { exportDatasetCommand, EXPORT_DATASET_USAGE } from './commands/export-dataset';
import { trainHeadCommand, TRAIN_HEAD_USAGE } from './commands/train-head';
import { userCommand, USER_USAGE } from './commands/user';

const USAGE = `Usage: vigil <command> [options]

Commands:
  migrate                     apply pending database migrations and exit; with
                              VIGIL_DATABASE_OWNER_URL, as that owner role, then grant the
                              DATABASE_URL role what the server needs (README: Database roles)
  user add|passwd|disable|enable|list
                              staff accounts for the web consoles (see below)
  admin-token --rotate        revoke every admin token and print a new one (needs local
                              access to the database; stop the server first when embedded)
  enroll --dir <folder> --list watchlist|employee [--consent <method>] [--augment] [--json]
                              bulk import of reference photos, one sub-folder per person
  evaluate --pairs <file> --images <dir> [--threshold t] [--degrade] [--json]
                              offline verification metrics on a pairs CSV or LFW's pairs.txt
                              (AUC, FAR, FRR, TAR@FAR, LFW 10-fold accuracy)
  calibrate --lfw <dir> [--out <dir>] [--full-folds k]
                              thresholds and descriptor choice from LFW: tables + threshold file
  train-head --lfw <dir> | --from reviews [--epochs n] [--folds k] [--json]
                              learned head: honest LFW fold rotation, or a head candidate
                              model version from reviewed faces (docs/learned-head.md)
  export-dataset --out <dir> [--split 80:20|60:20:20] [--seed N]
                              reviewed crops + labels, stratified split, balance and quality report
  help                        show this text

${USER_USAGE}

${ENROLL_USAGE}

${EVALUATE_USAGE}

${CALIBRATE_USAGE}

${EXPORT_DATASET_USAGE}

${TRAIN_HEAD_USAGE}

The database comes from DATABASE_URL, or the embedded one in VIGIL_DATA_DIR (./data).
`;

type Out = (text: string) => void;

export async function run(argv: string[], out: Out, err: Out): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'migrate': {
      parseArgs({ args: rest, options: {}, strict: true });
      const db = await Database.open(config.database, { migrate: false });
      try {
        const applied = await db.runMigrations();
        out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'Schema is up to date.\n');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'admin-token': {
      const { values } = parseArgs({ args: rest, options: { rotate: { type: 'boolean' } }, strict: true });
      if (!values.rotate) {
        err('admin-token needs --rotate (admin tokens are stored hashed and cannot be shown again).\n');
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
    case 'user':
      return userCommand(rest, config, out, err);
    case 'enroll':
      return enrollCommand(rest, config, out, err);
    case 'evaluate':
      return evaluateCommand(rest, config, out, err);
    case 'calibrate':
      return calibrateCommand(rest, config, out, err);
    case 'train-head':
      return trainHeadCommand(rest, config, out, err);
    case 'export-dataset':
      return exportDatasetCommand(rest, config, out, err);
    default:
      err(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
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
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      return exitWhenFlushed(1);
    }
    process.stderr.write(`vigil: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    exitWhenFlushed(1);
  });
}

if (require.main === module) main();
