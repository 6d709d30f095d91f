import type { DatabaseConfig } from '@vigil/config';
import { DataSource } from 'typeorm';
import { migrate, migrateAsOwner, openDataSource, OpenedDataSource } from './data-source';
import type { LockSession, LockSessionOptions } from './lock-session';
import { ChangeChannel, ChangeListener, OnChange } from './notifications';
import { Repositories } from './repositories';

/** The one handle the application holds on its database. */
export class Database {
  readonly repos: Repositories;
  private readonly counter = { statements: 0 };

  private constructor(private readonly opened: OpenedDataSource, private readonly config: DatabaseConfig) {
    this.repos = new Repositories(opened.dataSource.manager);
    countStatements(opened.dataSource, this.counter);
  }

  /**
   * Statements this process has sent over its pool since the database was opened (every query
   * of a pooled connection, BEGIN/COMMIT included; not the LISTEN connection): vigil_db_statements_total.
   */
  get statements(): number {
    return this.counter.statements;
  }

  /**
   * Opens the database and, unless told otherwise, brings its schema up to date (as the owner
   * role when the config names one, granting the application's role afterwards).
   */
  static async open(config: DatabaseConfig, opts: { migrate?: boolean } = {}): Promise<Database> {
    const opened = await openDataSource(config);
    try {
      if (opts.migrate !== false) await migrateSchema(opened, config);
    } catch (error) {
      await opened.close();
      throw error;
    }
    return new Database(opened, config);
  }

  get kind(): DatabaseConfig['kind'] {
    return this.opened.kind;
  }

  get dataSource(): DataSource {
    return this.opened.dataSource;
  }

  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.opened.dataSource.transaction((manager) => work(new Repositories(manager)));
  }

  /** Round-trip latency in ms; throws when the database cannot answer. */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.opened.dataSource.query('SELECT 1');
    return Math.round((performance.now() - started) * 10) / 10;
  }

  /** Wakes `onChange` when another transaction (any process) commits a change on these channels. */
  listen(channels: readonly ChangeChannel[], onChange: OnChange, onError: (error: unknown) => void): Promise<ChangeListener> {
    return this.opened.listen(channels, onChange, onError);
  }

  /** A dedicated session for advisory locks held beyond one transaction (job leadership); see LockSession. */
  lockSession(opts: LockSessionOptions): Promise<LockSession> {
    return this.opened.lockSession(opts);
  }

  async runMigrations(): Promise<string[]> {
    return migrateSchema(this.opened, this.config);
  }

  async close(): Promise<void> {
    await this.opened.close();
  }
}

function migrateSchema(opened: OpenedDataSource, config: DatabaseConfig): Promise<string[]> {
  return config.kind === 'postgres' && config.ownerUrl ? migrateAsOwner(opened, config.ownerUrl) : migrate(opened);
}

const COUNTED = Symbol('vigil.countedClient');

/**
 * Counts every query a pooled connection sends: each connection's `query` is wrapped once, when
 * the pool first hands it out (pg's 'acquire' event). A counter increment per statement; no timing.
 */
function countStatements(dataSource: DataSource, counter: { statements: number }): void {
  const pool = (dataSource.driver as unknown as { master?: { on?: (event: string, listener: (client: unknown) => void) => void } }).master;
  pool?.on?.('acquire', (client) => {
    const c = client as { query: (...args: unknown[]) => unknown; [COUNTED]?: boolean };
    if (c[COUNTED]) return;
    c[COUNTED] = true;
    const query = c.query;
    c.query = function (this: unknown, ...args: unknown[]) {
      counter.statements++;
      return query.apply(this, args);
    };
  });
}
