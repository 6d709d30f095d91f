export * from './database';
export * from './repositories';
export * from './entities';
export * from './embedding-codec';
export * from './pg-errors';
export { DataDirLockedError, acquireDataDirLock } from './embedded/data-dir-lock';
export type { DataDirLock } from './embedded/data-dir-lock';
export { openDataSource, migrate, postgresOptions } from './data-source';
export type { OpenedDataSource } from './data-source';
