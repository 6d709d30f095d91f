import { randomUUID } from 'node:crypto';
import type { Repositories } from '@vigil/persistence';

/** The `setting` key of this installation's id: made once per database, never changed. */
export const INSTALLATION_ID_KEY = 'install.id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * This installation's id: a random uuid stored in the database the first time any process asks
 * (the first writer wins, so processes booting together agree). Everything one installation shares
 * outside its database (the socket.io channels in Redis) is named after it, so two installations
 * on one Redis never hear each other.
 */
export async function installationId(repos: Repositories): Promise<string> {
  const stored = await repos.settings.setIfAbsent(INSTALLATION_ID_KEY, randomUUID());
  if (typeof stored !== 'string' || !UUID.test(stored)) {
    throw new Error(`setting ${INSTALLATION_ID_KEY} is not a uuid; delete that row to have a new one made (consoles on other api processes reconnect)`);
  }
  return stored;
}

/** The socket.io Redis adapter's channel prefix for an installation. */
export function socketChannelKey(installId: string): string {
  return `vigil:${installId}`;
}
