import type { OpenSetRow } from './calibration-openset';
import type { VerificationRow } from './calibration-analysis';

/**
 * How the calibration turns its tables into the product's defaults. The rules are written here,
 * once, so the threshold file can be re-made by anyone from the same data:
 * - descriptor changes are tried one at a time, in the order the issue lists them (eye-levelled
 *   crop, flip-averaging, L2 normalisation), each on top of what was kept before. A change is kept
 *   when, on the degraded copy, it raises TAR at FAR 1e-3 (all pairs) by at least MIN_TAR_GAIN and
 *   costs clean LFW accuracy (10-fold mean) no more than MAX_CLEAN_LOSS. Each comparison uses the
 *   photos both variants were computed on (`subset` when the run computed some variants on part
 *   of the folds only);
 * - the employee threshold keeps FAR at 1e-3 on mixed pairs (an enrolment photo against a camera
 *   face) — one wrong attendance record per thousand comparisons of different people;
 * - the watchlist threshold keeps FPIR at WATCHLIST_FPIR per stranger look with a gallery of
 *   ~1,000 people and camera (degraded) probes. A track decides only after several looks agree
 *   (see track-vote), so the rate per stranger walking by is lower still.
 * Thresholds are rounded down to 0.01 (stricter, never looser than measured).
 */
export const MIN_TAR_GAIN = 0.005;
export const MAX_CLEAN_LOSS = 0.002;
export const EMPLOYEE_FAR = '1e-3' as const;
export const WATCHLIST_FPIR = '1e-2' as const;
export const WATCHLIST_GALLERY_PEOPLE = 1000;
export const DESCRIPTOR_CHANGES = ['level', 'flip', 'norm'] as const;

export interface ChangeVerdict {
  change: (typeof DESCRIPTOR_CHANGES)[number];
  from: string;
  to: string;
  /** Which rows the comparison used: all photos, or the subset every variant was computed on. */
  on: 'all' | 'subset';
  before: { degradedTar: number | null; cleanAccuracy: number | null };
  after: { degradedTar: number | null; cleanAccuracy: number | null };
  kept: boolean;
}

export interface ThresholdDecision {
  variant: string;
  verdicts: ChangeVerdict[];
  watchlist: { threshold: number; fpir: string; galleryPeople: number; tpir: number } | null;
  employee: { threshold: number; far: string; tar: number } | null;
}

const floor2 = (x: number): number => Math.floor(x * 100 + 1e-9) / 100;

/** Variant id of a set of changes, in canonical order ('faceapi' for none). */
export function variantOf(changes: ReadonlySet<string>): string {
  const parts = DESCRIPTOR_CHANGES.filter((c) => changes.has(c));
  return parts.length ? parts.join('+') : 'faceapi';
}

export interface DecisionInput {
  /** Rows over every photo (variants computable on all of them). */
  all: readonly VerificationRow[];
  /** Rows over the photos every variant was computed on; equal to `all` for a full run. */
  subset: readonly VerificationRow[];
  openSet: readonly OpenSetRow[];
}

export function decideVariantAndThresholds(input: DecisionInput): ThresholdDecision {
  const find = (rows: readonly VerificationRow[], variant: string, condition: VerificationRow['condition']) =>
    rows.find((r) => r.variant === variant && r.condition === condition);
  const figures = (rows: readonly VerificationRow[], variant: string) => ({
    degradedTar: find(rows, variant, 'degraded')?.allPairs.tarAtFar['1e-3']?.tar ?? null,
    cleanAccuracy: find(rows, variant, 'clean')?.protocol.mean ?? null,
  });
  const kept = new Set<string>();
  const verdicts: ChangeVerdict[] = [];
  for (const change of DESCRIPTOR_CHANGES) {
    const from = variantOf(kept);
    const to = variantOf(new Set([...kept, change]));
    const on = find(input.all, from, 'clean') && find(input.all, to, 'clean') ? 'all' : 'subset';
    const rows = on === 'all' ? input.all : input.subset;
    const before = figures(rows, from);
    const after = figures(rows, to);
    const ok =
      before.degradedTar !== null && after.degradedTar !== null && before.cleanAccuracy !== null && after.cleanAccuracy !== null &&
      after.degradedTar - before.degradedTar >= MIN_TAR_GAIN && before.cleanAccuracy - after.cleanAccuracy <= MAX_CLEAN_LOSS;
    if (ok) kept.add(change);
    verdicts.push({ change, from, to, on, before, after, kept: ok });
  }
  const variant = variantOf(kept);
  const rows = find(input.all, variant, 'mixed') ? input.all : input.subset;
  const employeePoint = find(rows, variant, 'mixed')?.allPairs.tarAtFar[EMPLOYEE_FAR] ?? null;
  const open = input.openSet.find((r) => r.variant === variant && r.probes === 'degraded');
  const watchPoint = open?.atFpir[WATCHLIST_FPIR] ?? null;
  return {
    variant,
    verdicts,
    employee: employeePoint ? { threshold: floor2(employeePoint.threshold), far: EMPLOYEE_FAR, tar: employeePoint.tar } : null,
    watchlist: watchPoint && open ? { threshold: floor2(watchPoint.threshold), fpir: WATCHLIST_FPIR, galleryPeople: open.galleryPeople, tpir: watchPoint.tpir } : null,
  };
}
