import 'reflect-metadata';
import { ConfigError, describeDatabase, loadConfig, VigilConfig } from '@vigil/config';
import { DataDirLockedError } from '@vigil/persistence';
import { RunningServer, startServer } from './bootstrap';

/** Shutdown must never hang: past this, the process exits regardless. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: VigilConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  // Signals are handled from the first moment, so a SIGTERM during start-up (slow database,
  // orchestrator giving up) still closes the database and releases the lock.
  let server: RunningServer | undefined;
  let stopping: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = signal;
    const deadline = setTimeout(() => {
      process.stderr.write(`Shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000}s; exiting.\n`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    if (server) closeAndExit(server, signal);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(3);
    }
    throw error;
  }
  if (stopping) return closeAndExit(server, stopping);
  printBanner(config, server);
}

function closeAndExit(server: RunningServer, signal: NodeJS.Signals): void {
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`Error during shutdown after ${signal}: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

/** Written to stdout directly, not the logger: the admin token and setup code must never enter a log pipeline. */
function printBanner(config: VigilConfig, server: RunningServer): void {
  const lines = [
    '',
    `Vigil ${config.version} is running at ${server.url}  (roles: ${config.roles.join(', ')})`,
    `  database: ${describeDatabase(config.database)}`,
    `  API docs: ${server.url}/api/docs`,
  ];
  if (server.setupCode) {
    lines.push(
      `  no administrator account yet: open ${server.url}/#setup=${server.setupCode}`,
      '  to set the first administrator\'s username and password (one use, valid 24 h; a restart prints a new link),',
      '  or run `npx vigil user add <username> --role admin` on this machine.',
    );
  }
  if (server.generatedAdminToken) {
    lines.push(
      `  admin token (shown only this once, store it now): ${server.generatedAdminToken}`,
      '  lost it? `npx vigil admin-token --rotate` issues a new one.',
    );
  } else if (config.adminToken) {
    lines.push('  admin token: the value of VIGIL_ADMIN_TOKEN');
  } else {
    lines.push('  admin token: printed at first start; `npx vigil admin-token --rotate` issues a new one.');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Vigil failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
