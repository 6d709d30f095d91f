import type { DatabaseConfig } from '@vigil/config';
import { DataSource } from 'typeorm';
import { migrate, migrateAsOwner, openDataSource, OpenedDataSource } from './data-source';
import type { LockSession, LockSessionOptions } from './lock-session';
import { ChangeChannel, ChangeListener, OnChange } from './notifications';
import { Repositories } from './repositories';

/** The one handle the application holds on its database. */
export class Database {
  readonly repos: Repositories;

  private constructor(private readonly opened: OpenedDataSource, private readonly config: DatabaseConfig) {
    this.repos = new Repositories(opened.dataSource.manager);
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
