import { fpirFromFar, type TarFarPoint } from '@vigil/domain';
import { PAIR_CONDITIONS, readCurve, type VerificationRow } from './calibration-analysis';
import type { ThresholdDecision } from './calibration-decision';
import type { AggregationRow, OpenSetRow } from './calibration-openset';
import { DESCRIPTOR_VARIANTS } from './calibration-variants';

export interface CalibrationMeta {
  dataset: string;
  command: string;
  detector: string;
  model: string;
  images: number;
  identities: number;
  cleanFaces: number;
  degradedFaces: number;
  pairs: number;
  folds: number;
  machine: string;
  date: string;
}

export interface CalibrationResult {
  meta: CalibrationMeta;
  /** Thresholds the verification/open-set "at threshold" columns were read at (the policy in force). */
  policyBefore: { watchlist: number; employee: number; margin: number };
  verification: VerificationRow[];
  /** Every variant, on the photos all of them were computed on (null when that is every photo). */
  verificationSubset: { folds: string; rows: VerificationRow[] } | null;
  openSet: OpenSetRow[];
  aggregation: AggregationRow[];
  decision: ThresholdDecision;
}

/** The threshold file the product's defaults are read from (libs/domain/src/calibration/lfw-thresholds.json). */
export interface ThresholdFile {
  source: string;
  command: string;
  detector: string;
  model: string;
  descriptor: string;
  date: string;
  watchlist: { threshold: number; rule: string; tpir: number } | null;
  employee: { threshold: number; rule: string; tar: number } | null;
}

const pct = (v: number | null | undefined, d = 1): string => (v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(d)} %`);
const n3 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(3));
const point = (p: TarFarPoint | { tar?: number; tpir?: number; threshold: number } | null): string =>
  p ? `${pct('tar' in p ? p.tar : (p as { tpir: number }).tpir)} @ ${n3(p.threshold)}` : 'n/a';
const label = (id: string): string => `\`${id}\` ${DESCRIPTOR_VARIANTS.find((v) => v.id === id)?.label ?? ''}`.trim();

export function thresholdFile(r: CalibrationResult): ThresholdFile {
  const d = r.decision;
  return {
    source: r.meta.dataset,
    command: r.meta.command,
    detector: r.meta.detector,
    model: r.meta.model,
    descriptor: d.variant,
    date: r.meta.date,
    watchlist: d.watchlist && {
      threshold: d.watchlist.threshold,
      rule: `FPIR ${d.watchlist.fpir} per stranger look, gallery of ${d.watchlist.galleryPeople} people (one clean photo each), degraded probes`,
      tpir: Number(d.watchlist.tpir.toFixed(4)),
    },
    employee: d.employee && { threshold: d.employee.threshold, rule: `FAR ${d.employee.far} on mixed pairs (clean photo vs degraded copy), all pairs`, tar: Number(d.employee.tar.toFixed(4)) },
  };
}

export function formatCalibrationTables(r: CalibrationResult): string {
  const m = r.meta;
  const out: string[] = [];
  out.push(
    `Data: ${m.dataset}; ${m.images} images of ${m.identities} people (a face in ${m.cleanFaces} clean, ${m.degradedFaces} degraded), ${m.pairs} pairs in ${m.folds} folds.`,
    `Detector ${m.detector}, model ${m.model}; ${m.machine}; ${m.date}.`,
    `Command: \`${m.command}\``,
    '',
    `Thresholds in force when measured: watchlist ${r.policyBefore.watchlist}, employee ${r.policyBefore.employee}.`,
    '',
  );
  const verificationTables = (rows: readonly VerificationRow[], scope: string) => {
    for (const condition of PAIR_CONDITIONS) {
      out.push(`**Verification, ${condition}${scope}** (pairs.txt: ${condition === 'mixed' ? 'first photo clean, second degraded' : condition === 'degraded' ? 'both photos degraded' : 'LFW as published'}; all pairs: every same-person pair, sampled different-person pairs)`, '');
      out.push('| descriptor | LFW protocol accuracy (k folds) | AUC | TAR@FAR1e-2 @ thr | TAR@FAR1e-3 @ thr | all pairs TAR@FAR1e-3 @ thr | TAR@FAR1e-4 @ thr | TAR@FAR1e-5 @ thr | watchlist thr: FAR / FRR | employee thr: FAR / FRR |', '|---|---|---|---|---|---|---|---|---|---|');
      for (const v of rows.filter((x) => x.condition === condition)) {
        out.push(
          `| ${label(v.variant)} | ${pct(v.protocol.mean, 2)} ± ${pct(v.protocol.std, 2)} | ${v.auc?.toFixed(4) ?? 'n/a'} | ${point(v.tarAtFar['1e-2'])} | ${point(v.tarAtFar['1e-3'])} | ${point(v.allPairs.tarAtFar['1e-3'])} | ${point(v.allPairs.tarAtFar['1e-4'])} | ${point(v.allPairs.tarAtFar['1e-5'])} | ${pct(v.atPolicy.watchlist.far, 2)} / ${pct(v.atPolicy.watchlist.frr)} | ${pct(v.atPolicy.employee.far, 2)} / ${pct(v.atPolicy.employee.frr)} |`,
        );
      }
      const any = rows.find((x) => x.condition === condition);
      if (any) out.push('', `(${any.pairs} pairs scored, ${any.noFace} without a face; all pairs: ${any.allPairs.genuine} same-person, ${any.allPairs.impostor} different-person.)`, '');
    }
  };
  verificationTables(r.verification, '');
  if (r.verificationSubset) verificationTables(r.verificationSubset.rows, `, ${r.verificationSubset.folds} (every variant)`);
  out.push('**Open set, the watchlist (1:N)**: gallery of N people, one clean photo each; probes are their other photos (mated) and everyone else\'s (strangers). Mean of the draws.', '');
  out.push('| descriptor | probes | N | strangers | mated | FPIR 1e-2: TPIR @ thr | FPIR 1e-3: TPIR @ thr | at watchlist thr: FPIR / TPIR |', '|---|---|---|---|---|---|---|---|');
  for (const o of r.openSet) {
    out.push(`| ${label(o.variant)} | ${o.probes} | ${o.galleryPeople} | ${o.strangers} | ${o.mated} | ${point(o.atFpir['1e-2'])} | ${point(o.atFpir['1e-3'])} | ${pct(o.atThreshold.fpir, 2)} / ${pct(o.atThreshold.tpir)} (thr ${o.atThreshold.threshold}) |`);
  }
  out.push('', `**Several references per person** (people with more than ${r.aggregation[0]?.referencesPerPerson ?? 3} photos, enrolled with the first ones; TPIR at FPIR 1e-2):`, '');
  out.push('| descriptor | aggregation | probes | N | strangers | mated | TPIR @ thr |', '|---|---|---|---|---|---|---|');
  for (const a of r.aggregation) out.push(`| \`${a.variant}\` | ${a.mode} | ${a.probes} | ${a.galleryPeople} | ${a.strangers} | ${a.mated} | ${point(a.atFpir)} |`);
  const d = r.decision;
  out.push('', '**Descriptor changes, one at a time** (each on top of those kept; kept when degraded all-pairs TAR@FAR1e-3 rises by >= 0.5 pt and clean 10-fold accuracy falls by <= 0.2 pt):', '');
  out.push('| change | from → to | photos | degraded TAR@FAR1e-3 before → after | clean accuracy before → after | kept |', '|---|---|---|---|---|---|');
  for (const v of d.verdicts) {
    out.push(`| ${v.change} | \`${v.from}\` → \`${v.to}\` | ${v.on === 'all' ? 'all' : r.verificationSubset?.folds ?? 'subset'} | ${pct(v.before.degradedTar, 2)} → ${pct(v.after.degradedTar, 2)} | ${pct(v.before.cleanAccuracy, 2)} → ${pct(v.after.cleanAccuracy, 2)} | ${v.kept ? 'yes' : 'no'} |`);
  }
  out.push('', `**Defaults** (descriptor \`${d.variant}\`):`, '');
  if (d.watchlist) out.push(`- watchlist ${d.watchlist.threshold.toFixed(2)}: FPIR ${d.watchlist.fpir} per stranger look with ${d.watchlist.galleryPeople} people enrolled and camera-degraded probes; TPIR there ${pct(d.watchlist.tpir)}.`);
  if (d.employee) out.push(`- employee ${d.employee.threshold.toFixed(2)}: FAR ${d.employee.far} on enrolment-photo vs camera-face pairs; TAR there ${pct(d.employee.tar)}.`);
  const mixed = [...r.verification, ...(r.verificationSubset?.rows ?? [])].find((x) => x.variant === d.variant && x.condition === 'mixed');
  if (d.watchlist && mixed) {
    const at = readCurve(mixed.allPairs.curve, d.watchlist.threshold);
    if (at) {
      const sizes = [100, 1000, 10_000, 100_000];
      out.push(`- the watchlist threshold for other gallery sizes: 1:1 FAR there is ${pct(at.far, 4)}, so a stranger look is wrongly alerted with probability ≈ 1-(1-FAR)^N: ${sizes.map((n) => `N=${n}: ${pct(fpirFromFar(at.far, n), 2)}`).join(', ')} (independence assumed; the measured N=${d.watchlist.galleryPeople} figure is above). A site with a much larger watchlist should lower its threshold (Settings → thresholds) to the row of this table that keeps its rate.`);
    }
  }
  return out.join('\n') + '\n';
}
