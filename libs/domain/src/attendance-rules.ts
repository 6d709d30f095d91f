import { InvalidInputError } from './errors';

export type AttendanceKind = 'in' | 'out';

/** A recorded attendance event; `at` in ms since the epoch. */
export interface AttendanceEvent {
  kind: AttendanceKind;
  at: number;
}

export interface AttendanceRules {
  /** IANA zone that defines the working day, e.g. 'Europe/Berlin' (default 'UTC'). */
  timeZone?: string;
  /** A sighting this soon after the previous event is the same passage seen again (default 2 min). */
  debounceMs?: number;
  /** Least time between two toggles (default 60 min): lingering near the camera is no new passage. */
  minGapMs?: number;
}

export const ATTENDANCE_DEFAULTS = { timeZone: 'UTC', debounceMs: 2 * 60_000, minGapMs: 60 * 60_000 } as const;

export type AttendanceDecision =
  | { kind: AttendanceKind; reason: 'first_of_day' | 'toggle' }
  | { kind: 'ignore'; reason: 'debounce' | 'too_soon' | 'out_of_order' };

/**
 * Decides what a recognised employee sighting means for attendance. Input: the person's recorded
 * events (sorted by time; events of other local days may be included and are disregarded) and the
 * time of a new sighting, which should be one decided track (one passage), not every frame.
 *
 * The rule, within the sighting's local day (rules.timeZone):
 *   1. no event yet today → 'in' (first_of_day);
 *   2. sighting before the day's last event → 'ignore' (out_of_order: a late, already superseded frame);
 *   3. less than debounceMs after the last event → 'ignore' (debounce: the same passage, re-tracked);
 *   4. less than minGapMs after the last event → 'ignore' (too_soon: someone walking past the camera
 *      again is no evidence of leaving);
 *   5. otherwise toggle: after 'in' → 'out', after 'out' → 'in'.
 * Known limits, accepted for a camera-only system: a missed passage inverts the rest of that day
 * (the next day re-anchors on rule 1), and a shift across midnight starts the new day with 'in'.
 */
export function decideAttendance(events: readonly AttendanceEvent[], sightingAt: number | Date, rules: AttendanceRules = {}): AttendanceDecision {
  const { timeZone, debounceMs, minGapMs } = validateRules(rules);
  const at = toMs(sightingAt, 'sighting time');
  const day = localDate(at, timeZone);
  let last: AttendanceEvent | undefined;
  let prevAt = -Infinity;
  for (const e of events) {
    const eAt = toMs(e.at, 'event time');
    if (e.kind !== 'in' && e.kind !== 'out') throw new InvalidInputError(`unknown attendance event kind ${String(e.kind)}`);
    if (eAt < prevAt) throw new InvalidInputError('attendance events must be sorted by time');
    prevAt = eAt;
    if (localDate(eAt, timeZone) === day) last = e;
  }
  if (!last) return { kind: 'in', reason: 'first_of_day' };
  const gap = at - last.at;
  if (gap < 0) return { kind: 'ignore', reason: 'out_of_order' };
  if (gap < debounceMs) return { kind: 'ignore', reason: 'debounce' };
  if (gap < minGapMs) return { kind: 'ignore', reason: 'too_soon' };
  return { kind: last.kind === 'in' ? 'out' : 'in', reason: 'toggle' };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Calendar date 'YYYY-MM-DD' of an instant in an IANA time zone, via Intl (no tz database
 * dependency). Formatters are cached because constructing one costs far more than formatting.
 */
export function localDate(at: Date | number, timeZone: string): string {
  const ms = toMs(at, 'time');
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new InvalidInputError(`unknown time zone ${String(timeZone)}`);
    }
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(ms)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function toMs(at: Date | number, name: string): number {
  const ms = at instanceof Date ? at.getTime() : at;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new InvalidInputError(`${name} must be a valid date`);
  return ms;
}

function validateRules(rules: AttendanceRules): Required<AttendanceRules> {
  const timeZone = rules.timeZone ?? ATTENDANCE_DEFAULTS.timeZone;
  const debounceMs = rules.debounceMs ?? ATTENDANCE_DEFAULTS.debounceMs;
  const minGapMs = rules.minGapMs ?? ATTENDANCE_DEFAULTS.minGapMs;
  if (!Number.isFinite(debounceMs) || debounceMs < 0) throw new InvalidInputError('debounceMs must be a non-negative number');
  if (!Number.isFinite(minGapMs) || minGapMs < debounceMs) throw new InvalidInputError('minGapMs must be a number >= debounceMs');
  localDate(0, timeZone);
  return { timeZone, debounceMs, minGapMs };
}
