import { PERSON_LISTS, TAR_FAR_TARGETS } from '@vigil/domain';
import type { EvaluationResult } from './evaluate-pairs';
import type { EvaluationFigures } from './evaluation-figures';

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(2)} %`);
const num = (v: number | null, digits = 4): string => (v === null ? 'n/a' : v.toFixed(digits));
/** No-face pairs listed in the text report; --json lists them all. */
const MAX_NO_FACE_LINES = 50;

function crossValidationLines(f: EvaluationFigures): string[] {
  const cv = f.crossValidation;
  if (!cv) return [];
  const k = cv.folds.length;
  const spread = cv.std === null ? '' : ` ± ${pct(cv.std)} (standard deviation; standard error ${pct(cv.standardError)})`;
  return [
    `${k}-fold accuracy (each fold's threshold chosen on the other ${k - 1}): ${pct(cv.mean)}${spread}`,
    '  fold  pairs  threshold  accuracy',
    ...cv.folds.map(
      (x) => `  ${String(x.fold).padStart(4)}  ${String(x.pairs).padStart(5)}  ${num(x.threshold, 3).padStart(9)}  ${pct(x.accuracy).padStart(8)}`,
    ),
  ];
}

function figureLines(f: EvaluationFigures, thresholdFrom: string): string[] {
  const lines = [
    `Pairs evaluated: ${f.pairs} (${f.positives} same, ${f.negatives} different)` +
      (f.noFace.length ? `, ${f.noFace.length} skipped (no face)` : ''),
    `AUC:             ${num(f.auc)}`,
    `At threshold ${num(f.threshold, 3)} (${thresholdFrom}; match when distance <= threshold):`,
    `  accuracy ${pct(f.accuracy)}   FAR ${pct(f.far)}   FRR ${pct(f.frr)}`,
    `  confusion: TP ${f.confusion.tp}  FP ${f.confusion.fp}  TN ${f.confusion.tn}  FN ${f.confusion.fn}`,
    "At the product's list thresholds (DEFAULT_MATCH_POLICY):",
    ...PERSON_LISTS.map((list) => {
      const t = f.listThresholds[list];
      return `  ${list.padEnd(9)} ${num(t.threshold, 3)}: accuracy ${pct(t.accuracy)}   FAR ${pct(t.far)}   FRR ${pct(t.frr)}`;
    }),
    `Best-accuracy threshold: ${num(f.bestThreshold, 3)} (accuracy ${pct(f.bestAccuracy)})`,
    'TAR at FAR:      ' +
      TAR_FAR_TARGETS.map((t) =>
        f.tarAtFar[t] === null ? `${t}: n/a (too few negatives)` : `${t}: ${pct(f.tarAtFar[t])} (threshold ${num(f.tarAtFarThreshold[t], 3)})`,
      ).join('   '),
    ...crossValidationLines(f),
  ];
  if (f.noFace.length) {
    lines.push('Pairs without a detectable face (excluded from the metrics):');
    for (const p of f.noFace.slice(0, MAX_NO_FACE_LINES)) lines.push(`  line ${p.line}: ${p.missing.join(', ')}`);
    if (f.noFace.length > MAX_NO_FACE_LINES) lines.push(`  … and ${f.noFace.length - MAX_NO_FACE_LINES} more (--json lists them all)`);
  }
  return lines;
}

/** Human-readable report for `vigil evaluate` (the --json flag prints the EvaluationResult instead). */
export function formatEvaluationReport(r: EvaluationResult): string {
  const thresholdFrom = r.thresholdSource === 'given' ? 'given' : 'employee list';
  const lines = [r.format === 'lfw' ? `Pairs file: LFW pairs.txt, ${r.folds} fold(s)` : 'Pairs file: CSV'];
  if (!r.degraded) {
    lines.push(...figureLines(r, thresholdFrom));
  } else {
    const d = r.degraded.degradation;
    lines.push('', '== Clean images ==', ...figureLines(r, thresholdFrom));
    lines.push(
      '',
      `== Degraded copies (face ~${d.targetEyeDistancePx} px between the eyes, blur sigma ${d.blurSigma}, JPEG quality ${d.jpegQuality}) ==`,
      ...figureLines(r.degraded, thresholdFrom),
    );
  }
  return lines.join('\n') + '\n';
}
