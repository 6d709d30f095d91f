import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VigilConfig } from '@vigil/config';
import type { Database } from '@vigil/persistence';
import { ensureDemoClip } from '@vigil/video';

export const DEMO_CAMERA_NAME = 'Demo camera';

/**
 * First start with no cameras (VIGIL_DEMO unset or 1): make a looping clip from face-api's sample
 * photos and register it as a `file` camera, so a newcomer sees the pipeline work at once.
 * Registered directly, not through the API, which refuses file: URLs unless allowed.
 */
/** `pending` from the demo camera's creation until the demo people are enrolled, then `done`. */
export const DEMO_PEOPLE_SETTING = 'demo.people';

export async function seedDemoCamera(config: VigilConfig, db: Database): Promise<string | null> {
  if (config.demo === false) return null;
  if ((await db.repos.cameras.count()) > 0) return null;
  const clip = await ensureDemoClip(path.join(config.dataDir, 'demo'));
  return db.transaction(async (repos) => {
    if ((await repos.cameras.count()) > 0) return null; // another process won the race
    const camera = await repos.cameras.create({ name: DEMO_CAMERA_NAME, url: pathToFileURL(clip).toString(), fps: 5, preset: 'file' });
    await repos.audit.append({ tokenId: null, name: 'system', role: 'system' }, {
      action: 'camera.create',
      objectType: 'camera',
      objectId: camera.id,
      details: { name: camera.name, demo: true },
    });
    // The demo people are owed from now on, until they are enrolled (see DemoSeedService).
    await repos.settings.set(DEMO_PEOPLE_SETTING, 'pending');
    return camera.id;
  });
}
