import { InvalidInputError } from './errors';
import file from './calibration/lfw-thresholds.json';

/**
 * The defaults the LFW calibration chose (`vigil calibrate`, see docs/performance.md): which
 * descriptor variant the engine computes and the two list thresholds. The JSON file is what the
 * calibration writes; copying a new one here is how recalibrated defaults ship.
 */
export interface CalibratedDefaults {
  /** Descriptor variant id (see the calibration's DESCRIPTOR_VARIANTS). */
  descriptor: string;
  watchlist: number;
  employee: number;
  /** Where the figures come from, for the docs and the model-version record. */
  source: string;
  watchlistRule: string;
  employeeRule: string;
}

function load(raw: unknown): CalibratedDefaults {
  const f = raw as { source?: unknown; descriptor?: unknown; watchlist?: { threshold?: unknown; rule?: unknown } | null; employee?: { threshold?: unknown; rule?: unknown } | null };
  const threshold = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !(v >= 0.2 && v <= 0.8)) throw new InvalidInputError(`calibrated ${name} threshold must be a number between 0.2 and 0.8`);
    return v;
  };
  if (typeof f.descriptor !== 'string' || !f.descriptor) throw new InvalidInputError('calibration file has no descriptor variant');
  return Object.freeze({
    descriptor: f.descriptor,
    watchlist: threshold(f.watchlist?.threshold, 'watchlist'),
    employee: threshold(f.employee?.threshold, 'employee'),
    source: String(f.source ?? ''),
    watchlistRule: String(f.watchlist?.rule ?? ''),
    employeeRule: String(f.employee?.rule ?? ''),
  });
}

export const CALIBRATED_DEFAULTS: CalibratedDefaults = load(file);
export { load as parseCalibratedDefaults };
