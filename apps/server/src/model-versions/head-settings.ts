import { ConflictError } from '@vigil/domain';
import type { Repositories } from '@vigil/persistence';

/** Learned-head tunables (docs/learned-head.md), a JSON object setting like lifecycle.refresh. */
export const HEAD_SETTINGS_KEY = 'lifecycle.head';

export interface HeadSettings {
  /**
   * Whether the scheduled refresh also trains a head candidate. Off by default: on LFW the head
   * did not beat the base model (docs/performance.md, "Learned head"). An admin can still train
   * one on demand; it is adopted only if it beats the active version on held-out persons.
   */
  enabled: boolean;
  /** Training epochs (passes over the persons with two or more faces). */
  epochs: number;
}

export const HEAD_DEFAULTS: HeadSettings = { enabled: false, epochs: 20 };

/** Fewest people with two or more faces (gallery photos and reviewed crops) a head candidate needs. */
export const MIN_HEAD_PERSONS = 4;

export async function readHeadSettings(repos: Repositories): Promise<HeadSettings> {
  const raw = await repos.settings.get(HEAD_SETTINGS_KEY);
  if (raw === undefined || raw === null) return HEAD_DEFAULTS;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConflictError(`Setting ${HEAD_SETTINGS_KEY} must be a JSON object; fix or delete it.`);
  const r = raw as Record<string, unknown>;
  const out = { ...HEAD_DEFAULTS };
  if (r.enabled !== undefined) {
    if (typeof r.enabled !== 'boolean') throw new ConflictError(`Setting ${HEAD_SETTINGS_KEY}.enabled must be true or false; it is ${JSON.stringify(r.enabled)}.`);
    out.enabled = r.enabled;
  }
  if (r.epochs !== undefined) {
    if (typeof r.epochs !== 'number' || !Number.isInteger(r.epochs) || r.epochs < 1 || r.epochs > 500) {
      throw new ConflictError(`Setting ${HEAD_SETTINGS_KEY}.epochs must be an integer from 1 to 500; it is ${JSON.stringify(r.epochs)}.`);
    }
    out.epochs = r.epochs;
  }
  return out;
}
