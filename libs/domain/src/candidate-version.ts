import { computeAuc, type ScoredPair } from './verification-metrics';
import { GalleryIndex, effectiveDistance, MIN_REFERENCE_WEIGHT, type GalleryReference } from './gallery-index';
import { decideMatch, type MatchPolicy } from './match-policy';
import { PERSON_LISTS, type PersonList } from './person-list';
import { outcomeOf, summariseOutcomes, type Outcome, type OutcomeMetrics, type Truth } from './reviewed-truth';
import { calibrateThreshold, type CalibrationResult } from './threshold-calibration';
import { euclideanDistance } from './descriptor';

/**
 * Building a candidate model version from reviewed faces, and scoring a version on held-out ones.
 * Pure: the caller embeds the crops and persists the plan.
 */

/** A live gallery reference with where it came from (a review crop's media id, if any). */
export interface VersionReference extends GalleryReference {
  weight: number;
  sourceMediaId: string | null;
}

/** One reviewed face: its crop embedded now, and the truth its labels agree on. */
export interface ReviewedCase {
  id: string;
  cropMediaId: string;
  embedding: Float32Array;
  truth: Truth;
  /** Enough reviewers agreed (e.g. two for a watchlist alert): only these become references. */
  confirmed: boolean;
  /** The face passed the recognition quality gate: only these become references. */
  qualityOk: boolean;
}

export interface PersonFacts {
  list: PersonList;
  /** False for an employee without (or with withdrawn) consent: nothing is added to them. */
  acceptsReferences: boolean;
}

export interface CandidatePlan {
  additions: Array<{ caseId: string; personId: string; cropMediaId: string; embedding: Float32Array }>;
  removals: Array<{ referenceId: string; falseAccepts: number }>;
  reweights: Array<{ referenceId: string; weight: number; falseAccepts: number }>;
  policy: MatchPolicy;
  calibration: Record<PersonList, CalibrationResult>;
  /** The candidate's gallery, to evaluate it. */
  references: VersionReference[];
}

/** Each false accept a reference caused halves its weight... */
export const FALSE_ACCEPT_WEIGHT_FACTOR = 0.5;
/** ...and below this it is removed, unless it is the person's last reference. */
export const REMOVE_BELOW_WEIGHT = 0.25;

function indexOf(refs: readonly VersionReference[]): GalleryIndex {
  const index = new GalleryIndex();
  index.replaceAll(refs);
  return index;
}

function predict(index: GalleryIndex, embedding: Float32Array, policy: MatchPolicy) {
  return index.size === 0 ? decideMatch([], policy) : decideMatch(index.bestPerPerson(embedding, 2), policy);
}

/**
 * References implicated in false accepts: for each build face the *parent* version still accepts
 * as someone it is not, the accepted person's nearest reference takes the blame. Faces the parent
 * already gets right blame nothing, so a fixed problem is not punished again at the next refresh.
 */
function blame(parent: readonly VersionReference[], policy: MatchPolicy, build: readonly ReviewedCase[]): Map<string, number> {
  const index = indexOf(parent);
  const counts = new Map<string, number>();
  for (const c of build) {
    const d = predict(index, c.embedding, policy);
    if (d.kind !== 'match' || !d.referenceId) continue;
    if (outcomeOf(c.truth, d.personId) !== 'fp') continue;
    counts.set(d.referenceId, (counts.get(d.referenceId) ?? 0) + 1);
  }
  return counts;
}

/** Best effective distance per person, skipping references made from the face's own crop (leave-one-out). */
function personDistances(refs: readonly VersionReference[], c: ReviewedCase): Map<string, { list: PersonList; distance: number }> {
  const best = new Map<string, { list: PersonList; distance: number }>();
  for (const r of refs) {
    if (r.sourceMediaId === c.cropMediaId || r.weight === 0) continue;
    const d = effectiveDistance(euclideanDistance(c.embedding, r.embedding), r.weight);
    const cur = best.get(r.personId);
    if (!cur || d < cur.distance) best.set(r.personId, { list: r.list, distance: d });
  }
  return best;
}

export function planCandidate(input: {
  parent: { references: readonly VersionReference[]; policy: MatchPolicy };
  build: readonly ReviewedCase[];
  persons: ReadonlyMap<string, PersonFacts>;
  maxFar: number;
}): CandidatePlan {
  const { parent, build, persons } = input;
  const blamed = blame(parent.references, parent.policy, build);

  const removals: CandidatePlan['removals'] = [];
  const reweights: CandidatePlan['reweights'] = [];
  const remaining = new Map<string, number>();
  for (const r of parent.references) remaining.set(r.personId, (remaining.get(r.personId) ?? 0) + 1);
  const byWeight = parent.references
    .filter((r) => blamed.has(r.referenceId))
    .map((r) => ({ r, n: blamed.get(r.referenceId)!, weight: r.weight * FALSE_ACCEPT_WEIGHT_FACTOR ** blamed.get(r.referenceId)! }))
    .sort((a, b) => a.weight - b.weight || (a.r.referenceId < b.r.referenceId ? -1 : 1));
  for (const { r, n, weight } of byWeight) {
    if (weight < REMOVE_BELOW_WEIGHT && remaining.get(r.personId)! > 1) {
      removals.push({ referenceId: r.referenceId, falseAccepts: n });
      remaining.set(r.personId, remaining.get(r.personId)! - 1);
    } else {
      reweights.push({ referenceId: r.referenceId, weight: Math.max(weight, MIN_REFERENCE_WEIGHT), falseAccepts: n });
    }
  }

  const used = new Set(parent.references.map((r) => r.sourceMediaId).filter((m): m is string => m !== null));
  const additions: CandidatePlan['additions'] = [];
  for (const c of build) {
    if (c.truth.kind !== 'person' || !c.confirmed || !c.qualityOk || used.has(c.cropMediaId)) continue;
    if (!persons.get(c.truth.personId)?.acceptsReferences) continue;
    used.add(c.cropMediaId);
    additions.push({ caseId: c.id, personId: c.truth.personId, cropMediaId: c.cropMediaId, embedding: c.embedding });
  }

  const removed = new Set(removals.map((r) => r.referenceId));
  const weightOf = new Map(reweights.map((r) => [r.referenceId, r.weight]));
  const references: VersionReference[] = [
    ...parent.references.filter((r) => !removed.has(r.referenceId)).map((r) => ({ ...r, weight: weightOf.get(r.referenceId) ?? r.weight })),
    ...additions.map((a) => ({
      referenceId: `review:${a.caseId}`,
      personId: a.personId,
      list: persons.get(a.personId)!.list,
      embedding: a.embedding,
      weight: 1,
      sourceMediaId: a.cropMediaId,
    })),
  ];

  const { policy, calibration } = calibratePolicy(references, build, parent.policy, input.maxFar);
  return { additions, removals, reweights, policy, calibration, references };
}

/**
 * Per-list thresholds calibrated to the FAR target on build faces against a gallery (leave-one-out:
 * a face is not compared with a reference made from its own crop); the margin is kept.
 */
export function calibratePolicy(references: readonly VersionReference[], build: readonly ReviewedCase[], current: MatchPolicy, maxFar: number): { policy: MatchPolicy; calibration: Record<PersonList, CalibrationResult> } {
  const samples = Object.fromEntries(PERSON_LISTS.map((l) => [l, { genuine: [] as number[], impostor: [] as number[] }])) as Record<PersonList, { genuine: number[]; impostor: number[] }>;
  for (const c of build) {
    const truthId = c.truth.kind === 'person' ? c.truth.personId : null;
    const nearestOther: Partial<Record<PersonList, number>> = {};
    for (const [personId, { list, distance }] of personDistances(references, c)) {
      if (personId === truthId) samples[list].genuine.push(distance);
      else if (nearestOther[list] === undefined || distance < nearestOther[list]) nearestOther[list] = distance;
    }
    for (const list of PERSON_LISTS) if (nearestOther[list] !== undefined) samples[list].impostor.push(nearestOther[list]);
  }
  const calibration = Object.fromEntries(
    PERSON_LISTS.map((l) => [l, calibrateThreshold({ ...samples[l], maxFar, current: current.thresholds[l] })]),
  ) as Record<PersonList, CalibrationResult>;
  const policy: MatchPolicy = {
    thresholds: Object.fromEntries(PERSON_LISTS.map((l) => [l, calibration[l].threshold])) as Record<PersonList, number>,
    margin: current.margin,
  };
  return { policy, calibration };
}

/** Scores a version (gallery + policy) on held-out faces: open-set confusion, rates and AUC. */
export function evaluateVersion(references: readonly VersionReference[], policy: MatchPolicy, cases: readonly ReviewedCase[]): OutcomeMetrics {
  const index = indexOf(references);
  const outcomes: Outcome[] = [];
  const pairs: ScoredPair[] = [];
  for (const c of cases) {
    const d = predict(index, c.embedding, policy);
    outcomes.push(outcomeOf(c.truth, d.kind === 'match' ? d.personId : null));
    const truthId = c.truth.kind === 'person' ? c.truth.personId : null;
    let nearestOther: number | undefined;
    for (const [personId, { distance }] of personDistances(references, c)) {
      if (personId === truthId) pairs.push({ distance, same: true });
      else if (nearestOther === undefined || distance < nearestOther) nearestOther = distance;
    }
    if (nearestOther !== undefined) pairs.push({ distance: nearestOther, same: false });
  }
  return summariseOutcomes(outcomes, computeAuc(pairs));
}
