/**
 * Per-camera tunables (stored as JSON on the camera), with defaults and bounds. A stored value
 * out of bounds (older version, hand edit) falls back to the default rather than breaking ingest.
 */
export interface CameraSettings {
  /** Motion gate: 0 = only large changes are analysed, 1 = every frame. */
  motionSensitivity: number;
  /** No frame for this long → stalled and ffmpeg restarted. */
  stallSeconds: number;
  /** The same picture for this long while frames arrive → frozen. */
  frozenSeconds: number;
  /** A frame is analysed at least this often even without motion. */
  analyseEverySeconds: number;
}

export const CAMERA_SETTING_BOUNDS: Record<keyof CameraSettings, { min: number; max: number; default: number }> = {
  motionSensitivity: { min: 0, max: 1, default: 0.5 },
  stallSeconds: { min: 3, max: 120, default: 10 },
  frozenSeconds: { min: 5, max: 3600, default: 30 },
  analyseEverySeconds: { min: 0.2, max: 60, default: 2 },
};

export function cameraSettings(raw: Record<string, unknown> | null | undefined): CameraSettings {
  const out = {} as CameraSettings;
  for (const key of Object.keys(CAMERA_SETTING_BOUNDS) as Array<keyof CameraSettings>) {
    const { min, max, default: fallback } = CAMERA_SETTING_BOUNDS[key];
    const v = raw?.[key];
    out[key] = typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
  }
  return out;
}
