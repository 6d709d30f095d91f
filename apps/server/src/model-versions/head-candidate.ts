import { Injectable, Logger } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import type { RefreshProgressView, RefreshResultView } from '@vigil/contracts';
import {
  applyHead,
  calibratePolicy,
  decidePromotion,
  decodeHead,
  encodeHead,
  evaluateVersion,
  splitByPerson,
  truthOf,
  UnprocessableError,
  ConflictError,
  type Descriptor,
  type OutcomeMetrics,
  type ProjectionHead,
  type ReviewedCase,
  type VersionReference,
} from '@vigil/domain';
import { Database, type ModelVersionRow } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID, trainHead, type HeadSample } from '@vigil/vision';
import { CropEmbedder } from './crop-embedder';
import { MIN_HEAD_PERSONS } from './head-settings';
import type { LifecycleSettings } from './lifecycle-settings';
import { toModelVersionView } from './model-version.view';
import { loadCases } from './reviewed-cases';
import { policyOf, thresholdsOf } from './version-policy';

export interface HeadRunInput {
  settings: LifecycleSettings;
  parent: ModelVersionRow;
  epochs: number;
}

type Report = (p: RefreshProgressView) => void;

const project = (head: ProjectionHead | null, e: Descriptor): Float32Array => (head ? applyHead(head, e) : Float32Array.from(e));
const projectRefs = (head: ProjectionHead | null, refs: readonly VersionReference[]) => refs.map((r) => ({ ...r, embedding: project(head, r.embedding) }));
const projectCases = <T extends ReviewedCase>(head: ProjectionHead | null, cases: readonly T[]) => cases.map((c) => ({ ...c, embedding: project(head, c.embedding) }));

const shortage = (n: number) =>
  `Training a head needs at least ${MIN_HEAD_PERSONS} people with 2 or more faces (gallery photos or reviewed crops labelled as them); there are ${n}. Enrol more photos or label more reviewed faces, then try again. Nothing was changed.`;

/**
 * A learned-head candidate (docs/learned-head.md), built from the gallery's references and the
 * reviewed crops (re-embedded in memory: strangers' embeddings are never stored) and judged like a
 * refresh, champion against challenger, on held-out PERSONS: the people are split (seeded), the head
 * learns from one part only, and both versions decide the other part's reviewed faces (and every
 * stranger's) against the whole live gallery. The candidate's thresholds are calibrated in the
 * head's space on the training persons' faces. Promoted only when decidePromotion says it beats
 * the active version; its gallery is the active one's (no reference changes), so a rollback only
 * switches the head and thresholds back.
 */
@Injectable()
export class HeadCandidates {
  private readonly logger = new Logger('LearnedHead');

  constructor(private readonly db: Database, private readonly embedder: CropEmbedder) {}

  /** 422 before any work when the stored data cannot make a head (counted without embedding a crop). */
  async precheck(): Promise<void> {
    const repos = this.db.repos;
    const faces = new Map<string, number>();
    for (const r of await repos.galleryVersions.liveReferences(EMBEDDING_MODEL_ID)) faces.set(r.personId, (faces.get(r.personId) ?? 0) + 1);
    for (const item of await repos.reviewedData.reviewedItems()) {
      const t = truthOf(item.labels, item.candidatePersonId);
      if (t.ok && t.truth.kind === 'person' && item.cropMediaId) faces.set(t.truth.personId, (faces.get(t.truth.personId) ?? 0) + 1);
    }
    const eligible = [...faces.values()].filter((n) => n >= 2).length;
    if (eligible < MIN_HEAD_PERSONS) throw new UnprocessableError(shortage(eligible));
  }

  async run(by: Principal | null, { settings, parent, epochs }: HeadRunInput, report: Report): Promise<RefreshResultView> {
    const repos = this.db.repos;
    const live = await repos.galleryVersions.liveReferences(EMBEDDING_MODEL_ID);
    const references: VersionReference[] = live.map((r) => ({ referenceId: r.id, personId: r.personId, list: r.list, embedding: r.embedding, weight: r.weight, sourceMediaId: r.sourceMediaId }));
    const items = await repos.reviewedData.reviewedItems();
    const facts = await repos.reviewedData.personFacts([...new Set(items.flatMap((i) => [i.candidatePersonId, ...i.labels.map((l) => l.actualPersonId)]).filter((id): id is string => id !== null))]);
    const lists = new Map(facts.map((f) => [f.id, f.list as string]));
    let done = 0;
    report({ phase: 'embedding', done, total: items.length });
    const { cases, skipped } = await loadCases(items, lists, {
      embed: async (cropPath: string | null) => {
        const e = await this.embedder.embed(cropPath);
        report({ phase: 'embedding', done: ++done, total: items.length });
        return e;
      },
    });

    // Split the PEOPLE: a held-out person's faces never reach training.
    const persons = [...new Set([...references.map((r) => r.personId), ...cases.flatMap((c) => (c.truth.kind === 'person' ? [c.truth.personId] : []))])].sort();
    const heldOutPercent = settings.refresh.heldOutPercent;
    const [trainPersons, heldOutPersons] = splitByPerson(persons, (p) => p, [100 - heldOutPercent, heldOutPercent], settings.refresh.seed).map((ps) => new Set(ps)) as [Set<string>, Set<string>];
    const trainCases = cases.filter((c) => c.truth.kind === 'person' && trainPersons.has(c.truth.personId));
    const seen = new Set(live.map((r) => r.sourceMediaId).filter((m): m is string => m !== null));
    // Strangers were never trained on; a crop that already is a reference helped build a version.
    const heldOut = cases.filter((c) => (c.truth.kind === 'nobody' || heldOutPersons.has(c.truth.personId)) && !seen.has(c.cropMediaId));
    const samples: HeadSample[] = [
      ...references.filter((r) => trainPersons.has(r.personId)).map((r) => ({ person: r.personId, descriptor: Float32Array.from(r.embedding) })),
      ...trainCases.map((c) => ({ person: (c.truth as { personId: string }).personId, descriptor: c.embedding })),
    ];
    const perPerson = new Map<string, number>();
    for (const s of samples) perPerson.set(s.person, (perPerson.get(s.person) ?? 0) + 1);
    const eligible = [...perPerson.values()].filter((n) => n >= 2).length;
    if (eligible < 2) throw new UnprocessableError(`${shortage(eligible)} (After holding out ${heldOutPersons.size} of ${persons.length} people for the comparison, ${eligible} with 2 or more faces are left to train on; at least 2 are needed.)`);

    report({ phase: 'training', done: 0, total: epochs });
    const trained = await trainHead(samples, { epochs, seed: settings.refresh.seed, onEpoch: (e, n) => report({ phase: 'training', done: e, total: n }) });
    report({ phase: 'evaluating' });

    const parentHead = parent.head ? decodeHead(parent.head) : null;
    const parentPolicy = policyOf(parent.thresholds);
    const before = evaluateVersion(projectRefs(parentHead, references), parentPolicy, projectCases(parentHead, heldOut));
    const candidateRefs = projectRefs(trained.head, references);
    const { policy, calibration } = calibratePolicy(candidateRefs, projectCases(trained.head, trainCases), parentPolicy, settings.maxFar);
    const after = evaluateVersion(candidateRefs, policy, projectCases(trained.head, heldOut));
    const positives = heldOut.filter((c) => c.truth.kind === 'person').length;
    const score = (m: OutcomeMetrics) => ({ total: m.reviewed, positives, negatives: m.reviewed - positives, accuracy: m.accuracy ?? 0, far: m.far ?? 0 });
    const decision = decidePromotion(score(before), score(after), { maxFar: settings.maxFar, epsilon: settings.refresh.accuracyEpsilon, minHeldOut: settings.refresh.minHeldOut });

    const training = {
      epochs,
      dims: trained.head.dims,
      samples: trained.samples,
      persons: trained.persons,
      lossBefore: trained.losses[0],
      lossAfter: trained.losses.at(-1),
      heldOutPersons: heldOutPersons.size,
      trainPersons: trainPersons.size,
    };
    const metrics = {
      kind: 'head',
      heldOut: { candidate: after, champion: before, championId: parent.id },
      decision: { rule: decision.rule, promote: decision.promote },
      targets: { maxFar: settings.maxFar, accuracyEpsilon: settings.refresh.accuracyEpsilon, minHeldOut: settings.refresh.minHeldOut },
      split: { seed: settings.refresh.seed, byPerson: true, persons: persons.length, trainPersons: trainPersons.size, heldOutPersons: heldOutPersons.size, reviewed: items.length, usable: cases.length, trainFaces: samples.length, heldOut: heldOut.length, skipped },
      head: training,
      calibration,
    };
    report({ phase: 'committing' });
    const version = await this.commit(by, parent, { head: encodeHead(trained.head, training) as unknown as Record<string, unknown>, thresholds: thresholdsOf(policy), metrics, decision, before, after });
    this.logger.log(
      { modelVersionId: version.id, label: version.label, promoted: decision.promote, rule: decision.rule, training, before: { accuracy: before.accuracy, far: before.far, frr: before.frr }, after: { accuracy: after.accuracy, far: after.far, frr: after.frr } },
      decision.promote ? `head candidate ${version.label} promoted` : `head candidate ${version.label} rejected`,
    );
    return { candidate: toModelVersionView(version), promoted: decision.promote, reason: decision.reason, before, after };
  }

  private async commit(
    by: Principal | null,
    parent: ModelVersionRow,
    c: { head: Record<string, unknown>; thresholds: ReturnType<typeof thresholdsOf>; metrics: Record<string, unknown>; decision: ReturnType<typeof decidePromotion>; before: OutcomeMetrics; after: OutcomeMetrics },
  ): Promise<ModelVersionRow> {
    return this.db.transaction(async (repos) => {
      await repos.modelVersions.lockVersions();
      const current = await repos.modelVersions.active();
      if (current?.id !== parent.id) throw new ConflictError(`The active version changed to ${current?.label ?? 'none'} while the head trained; train again.`);
      // A version of its own with no reference changes: rolling back past it undoes nothing in the gallery.
      const galleryVersion = await repos.faceReferences.nextGalleryVersion();
      const label = `v${(await repos.modelVersions.count()) + 1}`;
      const common = { label, embeddingModel: parent.embeddingModel, detector: parent.detector, galleryVersion, thresholds: c.thresholds, metrics: c.metrics, decisionReason: c.decision.reason, parentId: parent.id, createdBy: by?.tokenId ?? null, head: c.head };
      let version: ModelVersionRow;
      if (c.decision.promote) {
        await repos.modelVersions.setStatus(parent.id, 'retired');
        version = await repos.modelVersions.insert({ ...common, status: 'active', promotedAt: new Date() });
      } else {
        version = await repos.modelVersions.insert({ ...common, status: 'rejected' });
      }
      await repos.audit.append(actorOf(by), {
        action: c.decision.promote ? 'model_version.promote' : 'model_version.reject',
        objectType: 'model_version',
        objectId: String(version.id),
        galleryVersion,
        details: { kind: 'head', label, parentId: parent.id, rule: c.decision.rule, reason: c.decision.reason, thresholds: c.thresholds, head: { key: c.head.key, dims: c.head.dims }, before: { accuracy: c.before.accuracy, far: c.before.far, frr: c.before.frr }, after: { accuracy: c.after.accuracy, far: c.after.far, frr: c.after.frr } },
      });
      return version;
    });
  }
}
