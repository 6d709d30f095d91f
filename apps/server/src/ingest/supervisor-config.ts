import { cameraSettings } from '@vigil/domain';
import type { CameraEntity } from '@vigil/persistence';
import type { CameraSupervisorOptions } from '@vigil/video';

/** Frame geometry handed to inference: fixed, whatever the camera sends (letterboxed). */
export const INGEST_WIDTH = 1280;
export const INGEST_HEIGHT = 720;

export function supervisorOptions(camera: CameraEntity): CameraSupervisorOptions {
  const settings = cameraSettings(camera.settings);
  return {
    cameraId: camera.id,
    url: camera.url,
    preset: camera.preset === 'auto' ? 'auto' : (camera.preset as CameraSupervisorOptions['preset']),
    width: INGEST_WIDTH,
    height: INGEST_HEIGHT,
    fps: camera.fps,
    stallSeconds: settings.stallSeconds,
    frozenSeconds: settings.frozenSeconds,
  };
}

/** What, when changed, requires restarting the camera's ffmpeg. */
export function restartKey(camera: CameraEntity): string {
  const o = supervisorOptions(camera);
  return JSON.stringify([o.url, o.preset, o.width, o.height, o.fps, o.stallSeconds, o.frozenSeconds]);
}
