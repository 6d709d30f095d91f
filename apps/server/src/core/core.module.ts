import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import { ConsoleSessions, FirstAdminSetup, TokenIssuer, UserDirectory } from '@vigil/auth';
import { MediaStore } from '@vigil/gallery';
import { AppEvents } from './app-events';
import { ChangeNotices } from './change-notices';
import { Leadership } from '../leadership/leadership';

export const VIGIL_CONFIG = Symbol('VIGIL_CONFIG');

/**
 * What every feature module needs: validated config, the open database, the token issuer, the
 * console sessions and user directory, and
 * the in-process event bus (fed
 * also by the database's change notices from other processes).
 * The database is opened (and migrated) before Nest starts, so a locked data folder or a
 * failed migration is reported before anything listens; this module closes it on shutdown.
 */
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(Database) private readonly database: Database,
    private readonly notices: ChangeNotices,
    private readonly leadership: Leadership,
  ) {}

  static forRoot(config: VigilConfig, database: Database): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: VIGIL_CONFIG, useValue: config },
        { provide: Database, useValue: database },
        { provide: TokenIssuer, useFactory: () => new TokenIssuer(database) },
        {
          provide: ConsoleSessions,
          useFactory: () => new ConsoleSessions(database, { idleMs: config.sessions.idleMinutes * 60_000, maxMs: config.sessions.maxHours * 3600_000 }),
        },
        { provide: UserDirectory, useFactory: () => new UserDirectory(database) },
        { provide: FirstAdminSetup, useFactory: () => new FirstAdminSetup(database) },
        // One owner of VIGIL_DATA_DIR/media for every feature (paths, atomic writes, removal).
        { provide: MediaStore, useFactory: () => new MediaStore(config.dataDir) },
        AppEvents,
        ChangeNotices,
        // Jobs that must run in one process (escalator, retention, ...) campaign here; see Leadership.
        { provide: Leadership, useFactory: () => new Leadership(database, { node: config.worker.name }) },
      ],
      exports: [VIGIL_CONFIG, Database, TokenIssuer, ConsoleSessions, UserDirectory, FirstAdminSetup, AppEvents, MediaStore, Leadership],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.notices.close();
    await this.leadership.close();
    await this.database.close();
  }
}
