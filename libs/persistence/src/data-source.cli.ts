/**
 * Entry for the TypeORM CLI against PostgreSQL (`npm run typeorm -- migration:show`):
 * the same entities and migrations the application uses. The embedded database is migrated by
 * the application itself at boot (and by `vigil migrate`), since PGlite needs its lock file.
 */
import { DataSource } from 'typeorm';
import { loadConfig } from '@vigil/config';
import { postgresOptions } from './data-source';

const config = loadConfig();
if (config.database.kind !== 'postgres') {
  throw new Error('The TypeORM CLI needs DATABASE_URL; for the embedded database use `npx vigil migrate`.');
}
export default new DataSource(postgresOptions(config.database.url));
