import { InvalidInputError } from './errors';
import type { PersonList } from './person-list';

/**
 * What a reviewer says about one decision, and when a review item counts as done.
 *
 * The label is the reviewer's verdict on the system's decision, i.e. a confusion-table cell:
 *   item kind            system said            allowed labels
 *   alert, attendance    "this is X"            TP: it is X. FP: it is not X (actualPersonId = who it
 *                                               is, or notEnrolled = nobody enrolled, or neither = unsure who)
 *   unknown, sample      "nobody enrolled"      TN: indeed nobody enrolled. FN: an enrolled person
 *                                               (actualPersonId = who, when the reviewer knows)
 */
export const REVIEW_KINDS = ['alert', 'attendance', 'unknown', 'sample'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_LABELS = ['TP', 'FP', 'FN', 'TN'] as const;
export type ReviewLabel = (typeof REVIEW_LABELS)[number];
export const REVIEW_STATUSES = ['open', 'labelled', 'confirmed', 'expired'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** The kinds where the system named a person (a match); the others are decisions of "unknown". */
export function systemMatched(kind: ReviewKind): boolean {
  return kind === 'alert' || kind === 'attendance';
}

/** A watchlist alert sends people after someone: two different reviewers must agree on it. */
export function requiredLabels(kind: ReviewKind, list: PersonList | null): 1 | 2 {
  return kind === 'alert' && list === 'watchlist' ? 2 : 1;
}

export interface LabelInput {
  label: ReviewLabel;
  actualPersonId?: string | null;
  notEnrolled?: boolean;
}

/** Throws InvalidInputError (with what to send instead) when the label does not fit the item. */
export function validateLabel(item: { kind: ReviewKind; candidatePersonId: string | null }, input: LabelInput): void {
  const actual = input.actualPersonId ?? null;
  const notEnrolled = input.notEnrolled === true;
  if (!(REVIEW_LABELS as readonly string[]).includes(input.label)) throw new InvalidInputError('label must be TP, FP, FN or TN');
  if (actual && notEnrolled) throw new InvalidInputError('Send either actualPersonId ("it is Y") or notEnrolled ("not anyone enrolled"), not both.');
  if (systemMatched(item.kind)) {
    if (input.label === 'FN' || input.label === 'TN') {
      throw new InvalidInputError(`This ${item.kind} named a person: label TP if it is that person, FP if it is not (with actualPersonId or notEnrolled).`);
    }
    if (input.label === 'TP' && (notEnrolled || (actual && actual !== item.candidatePersonId))) {
      throw new InvalidInputError('TP means the named person is right; if it is someone else, label FP with actualPersonId.');
    }
    if (input.label === 'FP' && actual && actual === item.candidatePersonId) {
      throw new InvalidInputError('FP with actualPersonId equal to the named person contradicts itself; label TP instead.');
    }
    return;
  }
  if (input.label === 'TP' || input.label === 'FP') {
    throw new InvalidInputError(`The system named nobody for this ${item.kind} item: label TN if it is nobody enrolled, FN if it is an enrolled person (with actualPersonId).`);
  }
  if (input.label === 'TN' && actual) throw new InvalidInputError('TN means nobody enrolled; if it is an enrolled person, label FN with actualPersonId.');
  if (input.label === 'FN' && notEnrolled) throw new InvalidInputError('FN means an enrolled person was missed; if it is nobody enrolled, label TN.');
}

export interface RecordedLabel {
  label: ReviewLabel;
  reviewerId: string | null;
  actualPersonId: string | null;
  /** The list of actualPersonId's person, when known (metrics file a missed person under it). */
  actualPersonList?: PersonList | null;
  /** ms since epoch; orders labels. */
  at: number;
}

export interface ReviewOutcome {
  status: Exclude<ReviewStatus, 'expired'>;
  /**
   * The label the item counts with in metrics: the strict majority of its labels; null while there
   * are none or reviewers are tied (left out until another reviewer breaks the tie).
   */
  effective: ReviewLabel | null;
  /** actualPersonId (and its list) of the latest label agreeing with `effective`. */
  actualPersonId: string | null;
  actualPersonList: PersonList | null;
}

/**
 * Status after the labels so far. One label makes an item 'labelled'; an item needing two
 * (a watchlist alert) is 'confirmed' once two different reviewers gave the same label and stays
 * 'open' until then (also while reviewers disagree), so it keeps appearing in the queue.
 */
export function reviewOutcome(labels: readonly RecordedLabel[], required: 1 | 2): ReviewOutcome {
  const votes = new Map<ReviewLabel, RecordedLabel[]>();
  for (const l of [...labels].sort((a, b) => a.at - b.at)) votes.set(l.label, [...(votes.get(l.label) ?? []), l]);
  let effective: ReviewLabel | null = null;
  let top = 0;
  let tied = false;
  for (const [label, ls] of votes) {
    if (ls.length > top) [effective, top, tied] = [label, ls.length, false];
    else if (ls.length === top) tied = true;
  }
  if (tied) effective = null;
  const latest = effective ? votes.get(effective)!.at(-1)! : null;
  const actualPersonId = latest?.actualPersonId ?? null;
  const actualPersonList = latest?.actualPersonList ?? null;
  if (labels.length === 0) return { status: 'open', effective: null, actualPersonId: null, actualPersonList: null };
  if (required === 1) return { status: 'labelled', effective, actualPersonId, actualPersonList };
  const confirmed = effective !== null && new Set(votes.get(effective)!.map((l) => l.reviewerId ?? `anonymous:${l.at}`)).size >= 2;
  return { status: confirmed ? 'confirmed' : 'open', effective, actualPersonId, actualPersonList };
}
