import { TAR_FAR_TARGETS } from '@vigil/domain';
import type { EvaluationResult } from './evaluate-pairs';

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(2)} %`);
const num = (v: number | null, digits = 4): string => (v === null ? 'n/a' : v.toFixed(digits));

/** Human-readable report for `vigil evaluate` (the --json flag prints the EvaluationResult instead). */
export function formatEvaluationReport(r: EvaluationResult): string {
  const lines = [
    `Pairs evaluated: ${r.pairs} (${r.positives} same, ${r.negatives} different)` +
      (r.noFace.length ? `, ${r.noFace.length} skipped (no face)` : ''),
    `AUC:             ${num(r.auc)}`,
    `At threshold ${num(r.threshold, 3)} (match when distance <= threshold):`,
    `  accuracy ${pct(r.accuracy)}   FAR ${pct(r.far)}   FRR ${pct(r.frr)}`,
    `  confusion: TP ${r.confusion.tp}  FP ${r.confusion.fp}  TN ${r.confusion.tn}  FN ${r.confusion.fn}`,
    `Best-accuracy threshold: ${num(r.bestThreshold, 3)} (accuracy ${pct(r.bestAccuracy)})`,
    'TAR at FAR:      ' +
      TAR_FAR_TARGETS.map((t) => `${t}: ${r.tarAtFar[t] === null ? 'n/a (too few negatives)' : pct(r.tarAtFar[t])}`).join('   '),
  ];
  if (r.noFace.length) {
    lines.push('Pairs without a detectable face (excluded from the metrics):');
    for (const p of r.noFace) lines.push(`  line ${p.line}: ${p.missing.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
