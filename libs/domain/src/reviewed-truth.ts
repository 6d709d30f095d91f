/**
 * What reviewers' labels say a reviewed face really was, and how a decision scores against it.
 *
 * A label judges the system's decision about a candidate person X:
 *   TP → it was X;  FP → it was the named actual person Y ("not X, it is Y"), else nobody enrolled;
 *   FN → the system should have matched: Y if named, else X;  TN → nobody enrolled.
 * An item is usable only when every label on it implies the same truth: two reviewers who disagree
 * leave the face out of building and evaluation alike.
 */

import { metricsFromConfusion, type RecognitionMetrics } from './recognition-metrics';

export type ReviewLabelKind = 'TP' | 'FP' | 'FN' | 'TN';

export interface ReviewLabelInput {
  label: ReviewLabelKind;
  actualPersonId: string | null;
  notEnrolled: boolean;
}

export type Truth = { kind: 'person'; personId: string } | { kind: 'nobody' };

export type TruthResult = { ok: true; truth: Truth } | { ok: false; reason: 'no_labels' | 'disagreement' | 'unknown_identity' };

function truthOfLabel(l: ReviewLabelInput, candidatePersonId: string | null): Truth | null {
  switch (l.label) {
    case 'TP':
      return candidatePersonId ? { kind: 'person', personId: candidatePersonId } : null;
    case 'FP':
      return l.actualPersonId && !l.notEnrolled ? { kind: 'person', personId: l.actualPersonId } : { kind: 'nobody' };
    case 'FN': {
      if (l.notEnrolled) return null;
      const who = l.actualPersonId ?? candidatePersonId;
      return who ? { kind: 'person', personId: who } : null;
    }
    case 'TN':
      return l.actualPersonId ? null : { kind: 'nobody' };
    default:
      return null;
  }
}

const same = (a: Truth, b: Truth): boolean => a.kind === b.kind && (a.kind === 'nobody' || a.personId === (b as { personId: string }).personId);

export function truthOf(labels: readonly ReviewLabelInput[], candidatePersonId: string | null): TruthResult {
  if (labels.length === 0) return { ok: false, reason: 'no_labels' };
  let truth: Truth | null = null;
  for (const l of labels) {
    const t = truthOfLabel(l, candidatePersonId);
    if (!t) return { ok: false, reason: 'unknown_identity' };
    if (truth && !same(truth, t)) return { ok: false, reason: 'disagreement' };
    truth = t;
  }
  return { ok: true, truth: truth! };
}

export type Outcome = 'tp' | 'fp' | 'fn' | 'tn';

/**
 * Open-set scoring, the same convention as the labels: naming the wrong enrolled person is a false
 * accept (fp), saying "unknown" for an enrolled person a false reject (fn).
 */
export function outcomeOf(truth: Truth, predictedPersonId: string | null): Outcome {
  if (truth.kind === 'nobody') return predictedPersonId === null ? 'tn' : 'fp';
  if (predictedPersonId === null) return 'fn';
  return predictedPersonId === truth.personId ? 'tp' : 'fp';
}

/** The review metrics' shape (precision, recall, accuracy, FAR = fp/(fp+tn), FRR = fn/(tp+fn), AUC). */
export type OutcomeMetrics = RecognitionMetrics;

export function summariseOutcomes(outcomes: Iterable<Outcome>, auc: number | null = null): OutcomeMetrics {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const o of outcomes) c[o]++;
  return { ...metricsFromConfusion(c), auc };
}
