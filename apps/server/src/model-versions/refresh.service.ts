import { Inject, Injectable, Logger } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import type { RefreshProgressView, RefreshResultView, RefreshRunView } from '@vigil/contracts';
import {
  applyHead,
  ConflictError,
  decodeHead,
  type Descriptor,
  DomainError,
  decidePromotion,
  evaluateVersion,
  planCandidate,
  stratifiedSplit,
  type CandidatePlan,
  type OutcomeMetrics,
  type PersonFacts,
  type PromotionDecision,
  type VersionReference,
} from '@vigil/domain';
import { Database, type ModelVersionRow, type Repositories } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { ActiveModelVersion } from './active-model-version.service';
import { CropEmbedder } from './crop-embedder';
import { HeadCandidates } from './head-candidate';
import { readHeadSettings } from './head-settings';
import { readLifecycleSettings, type LifecycleSettings } from './lifecycle-settings';
import { toModelVersionView } from './model-version.view';
import { RefreshRuns, type RunningRefresh } from './refresh-runs';
import { loadCases, type LifecycleCase } from './reviewed-cases';
import { policyOf, thresholdsOf } from './version-policy';

/** What a refresh checks before it starts (a failure here is the caller's 409, not a failed run). */
interface Prepared {
  settings: LifecycleSettings;
  parent: ModelVersionRow;
}

interface Run {
  stored: RunningRefresh;
  result?: RefreshResultView;
  failed: boolean;
  error?: unknown;
  done: Promise<void>;
}

interface Evaluated {
  parent: ModelVersionRow;
  settings: LifecycleSettings;
  plan: CandidatePlan;
  before: OutcomeMetrics;
  after: OutcomeMetrics;
  decision: PromotionDecision;
  metrics: Record<string, unknown>;
  /** Each case's raw descriptor (what a reference stores), by case id. */
  raw: Map<string, Float32Array>;
}

/**
 * Builds a candidate model version from reviewed faces and promotes it only if it beats the active
 * one on held-out faces it was not built from:
 *   1. reviewed items → cases (agreeing labels, crop re-embedded in memory);
 *   2. seeded stratified split into build and held-out parts (held-out faces whose crop is already a
 *      reference — used to build an earlier version — are not scored);
 *   3. plan from the build part only: confirmed crops added as references, references behind false
 *      accepts removed or down-weighted, per-list thresholds calibrated to the FAR target;
 *   4. both versions scored on the held-out part, the decision table decides;
 *   5. one transaction: a promoted candidate's reference changes are written under its own gallery
 *      version and it becomes active; a rejected one is recorded with its metrics and reason, and
 *      the live gallery is not touched. Either way an audit event.
 * The run itself is stored (RefreshRuns): one running run across every api process (409 for a
 * second anywhere), its phase and heartbeat while it runs, its result or error after; a run whose
 * process died is shown as interrupted and blocks nothing.
 */
@Injectable()
export class RefreshService {
  private readonly logger = new Logger('ModelRefresh');
  /** From the start of the checks to the end of the run: one refresh at a time per process (and the stored run: across processes). */
  private busy = false;
  private latest: Run | null = null;
  private readonly runs: RefreshRuns;

  constructor(
    private readonly db: Database,
    private readonly embedder: CropEmbedder,
    private readonly active: ActiveModelVersion,
    private readonly heads: HeadCandidates,
    events: AppEvents,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
  ) {
    this.runs = new RefreshRuns(db, events, config.worker.name);
  }

  /** Whether this process runs a refresh now. */
  get isRunning(): boolean {
    return this.busy;
  }

  /** The latest run of any api process (running, finished, failed or interrupted), or null. */
  latestRun(): Promise<RefreshRunView | null> {
    return this.runs.latest();
  }

  /**
   * Checks the preconditions (409 when another refresh runs, the settings make no sense or no
   * version is active), then runs the refresh in the background and returns the running run.
   * `by` is the admin who asked, or null for the scheduled job.
   */
  async start(by: Principal | null): Promise<RefreshRunView> {
    return this.launch(by, 'refresh', async () => {
      const prepared = await this.prepare();
      return (report) => this.execute(by, prepared, report);
    });
  }

  /**
   * Starts a learned-head candidate run (docs/learned-head.md) the same way: 409 when a run is
   * under way, 422 when the data cannot make a head (nothing is changed), else 202 and the run.
   * `epochs` defaults to the lifecycle.head setting.
   */
  async startHead(by: Principal | null, epochs?: number): Promise<RefreshRunView> {
    return this.launch(by, 'head', async () => {
      const prepared = await this.prepare();
      const n = epochs ?? (await readHeadSettings(this.db.repos)).epochs;
      await this.heads.precheck();
      return async (report) => {
        const result = await this.heads.run(by, { ...prepared, epochs: n }, report);
        if (result.promoted) await this.active.reload(); // the matcher re-projects its gallery through the head
        return result;
      };
    });
  }

  /** Checks (`prepare`: a failure there is the caller's 4xx), claims the one stored run, runs it in the background. */
  private async launch(by: Principal | null, kind: 'refresh' | 'head', prepare: () => Promise<(report: (p: RefreshProgressView) => void) => Promise<RefreshResultView>>): Promise<RefreshRunView> {
    if (this.busy) throw new ConflictError('A model refresh is already running; wait for it to finish.');
    this.busy = true;
    let work: (report: (p: RefreshProgressView) => void) => Promise<RefreshResultView>;
    let stored: RunningRefresh;
    try {
      work = await prepare();
      stored = await this.runs.claim(by, kind);
    } catch (error) {
      this.busy = false;
      throw error;
    }
    const run: Run = { stored, failed: false, done: Promise.resolve() };
    run.done = work((p) => stored.report(p))
      .then(
        (result) => {
          run.result = result;
          return stored.succeed(result);
        },
        (error: unknown) => {
          run.failed = true;
          run.error = error;
          this.logger.warn({ err: error, run: stored.view.id, kind }, 'model refresh failed; nothing was changed');
          return stored.fail(error instanceof DomainError ? error.message : 'The refresh failed unexpectedly; the server log has the details. Nothing was changed.');
        },
      )
      .finally(() => {
        this.busy = false;
      });
    this.latest = run;
    return stored.view;
  }

  /** A head run to its end (the scheduled job, when lifecycle.head.enabled); rejects with its error. */
  async refreshHead(by: Principal | null): Promise<RefreshResultView> {
    await this.startHead(by);
    return this.awaitLatest();
  }

  /** Runs a refresh to its end (the scheduled job); rejects with the run's error when it fails. */
  async refresh(by: Principal | null): Promise<RefreshResultView> {
    await this.start(by);
    return this.awaitLatest();
  }

  private async awaitLatest(): Promise<RefreshResultView> {
    const run = this.latest!;
    await run.done;
    if (run.failed) throw run.error;
    return run.result!;
  }

  private async execute(by: Principal | null, prepared: Prepared, report: (p: RefreshProgressView) => void): Promise<RefreshResultView> {
    const evaluated = await this.evaluate(prepared, report);
    report({ phase: 'committing' });
    const version = await this.commit(by, evaluated);
    // Serves the new thresholds and reloads the matcher's gallery (ActiveModelVersion emits gallery.changed).
    if (evaluated.decision.promote) await this.active.reload();
    const { plan, decision } = evaluated;
    this.logger.log(
      {
        modelVersionId: version.id, label: version.label, promoted: decision.promote, rule: decision.rule,
        added: plan.additions.length, removed: plan.removals.length, downWeighted: plan.reweights.length,
        before: { accuracy: evaluated.before.accuracy, far: evaluated.before.far }, after: { accuracy: evaluated.after.accuracy, far: evaluated.after.far },
      },
      decision.promote ? `model version ${version.label} promoted` : `model version ${version.label} rejected`,
    );
    return { candidate: toModelVersionView(version), promoted: decision.promote, reason: decision.reason, before: evaluated.before, after: evaluated.after };
  }

  private async prepare(): Promise<Prepared> {
    const repos = this.db.repos;
    const settings = await readLifecycleSettings(repos);
    const parent = await repos.modelVersions.active();
    if (!parent) throw new ConflictError('No model version is active; restart the server to create the initial one.');
    if (parent.embeddingModel !== EMBEDDING_MODEL_ID) {
      throw new ConflictError(`The active version ${parent.label} uses embedding model ${parent.embeddingModel}, this server ${EMBEDDING_MODEL_ID}; re-enrol before refreshing.`);
    }
    return { settings, parent };
  }

  private async evaluate({ settings, parent }: Prepared, report: (p: RefreshProgressView) => void): Promise<Evaluated> {
    const repos = this.db.repos;
    const parentPolicy = policyOf(parent.thresholds);
    const live = await repos.galleryVersions.liveReferences(EMBEDDING_MODEL_ID);
    // With a learned head active, the refresh plans, calibrates and compares in the head's space
    // (what the matcher decides in) and keeps the head; what it stores stays raw.
    const head = parent.head ? decodeHead(parent.head) : null;
    const space = (e: Descriptor): Float32Array => (head ? applyHead(head, e) : Float32Array.from(e));
    const references: VersionReference[] = live.map((r) => ({ referenceId: r.id, personId: r.personId, list: r.list, embedding: space(r.embedding), weight: r.weight, sourceMediaId: r.sourceMediaId }));

    const items = await repos.reviewedData.reviewedItems();
    const persons = await this.personFacts(repos, items.flatMap((i) => [i.candidatePersonId, ...i.labels.map((l) => l.actualPersonId)]));
    const lists = new Map([...persons].map(([id, f]) => [id, f.list as string]));
    let done = 0;
    const total = items.length;
    report({ phase: 'embedding', done, total });
    const counting = { embed: async (cropPath: string | null) => {
      const embedded = await this.embedder.embed(cropPath);
      report({ phase: 'embedding', done: ++done, total });
      return embedded;
    } };
    const loaded = await loadCases(items, lists, counting);
    const skipped = loaded.skipped;
    const raw = new Map(loaded.cases.map((c) => [c.id, c.embedding]));
    const cases = loaded.cases.map((c) => ({ ...c, embedding: space(c.embedding) }));
    report({ phase: 'evaluating' });

    const heldOutPercent = settings.refresh.heldOutPercent;
    const [build, heldOutAll] = stratifiedSplit(cases, { key: (c) => c.id, stratum: (c) => c.stratum, ratios: [100 - heldOutPercent, heldOutPercent], seed: settings.refresh.seed }) as [LifecycleCase[], LifecycleCase[]];
    // A crop that already is a reference helped build an earlier version: it cannot judge it.
    const seen = new Set(live.map((r) => r.sourceMediaId).filter((m): m is string => m !== null));
    const heldOut = heldOutAll.filter((c) => !seen.has(c.cropMediaId));

    const plan = planCandidate({ parent: { references, policy: parentPolicy }, build, persons, maxFar: settings.maxFar });
    const before = evaluateVersion(references, parentPolicy, heldOut);
    const after = evaluateVersion(plan.references, plan.policy, heldOut);
    const positives = heldOut.filter((c) => c.truth.kind === 'person').length;
    const score = (m: OutcomeMetrics) => ({ total: m.reviewed, positives, negatives: m.reviewed - positives, accuracy: m.accuracy ?? 0, far: m.far ?? 0 });
    const decision = decidePromotion(score(before), score(after), { maxFar: settings.maxFar, epsilon: settings.refresh.accuracyEpsilon, minHeldOut: settings.refresh.minHeldOut });

    const metrics = {
      heldOut: { candidate: after, champion: before, championId: parent.id },
      decision: { rule: decision.rule, promote: decision.promote },
      targets: { maxFar: settings.maxFar, minAccuracy: settings.minAccuracy, accuracyEpsilon: settings.refresh.accuracyEpsilon, minHeldOut: settings.refresh.minHeldOut },
      split: {
        seed: settings.refresh.seed,
        ratios: [100 - heldOutPercent, heldOutPercent],
        reviewed: items.length,
        usable: cases.length,
        build: build.length,
        heldOut: heldOut.length,
        heldOutAlreadyReferences: heldOutAll.length - heldOut.length,
        skipped,
        strata: countBy(cases, (c) => c.stratum),
      },
      calibration: plan.calibration,
      changes: {
        added: plan.additions.length,
        addedByPerson: countBy(plan.additions, (a) => a.personId),
        removed: plan.removals,
        downWeighted: plan.reweights,
      },
    };
    return { parent, settings, plan, before, after, decision, metrics, raw };
  }

  private async personFacts(repos: Repositories, ids: Array<string | null>): Promise<Map<string, PersonFacts>> {
    const unique = [...new Set(ids.filter((id): id is string => id !== null))];
    const rows = await repos.reviewedData.personFacts(unique);
    return new Map(rows.map((r) => [r.id, { list: r.list, acceptsReferences: r.consentActive }]));
  }

  private async commit(by: Principal | null, e: Evaluated): Promise<ModelVersionRow> {
    const { parent, plan, decision } = e;
    return this.db.transaction(async (repos) => {
      await repos.modelVersions.lockVersions();
      const current = await repos.modelVersions.active();
      if (current?.id !== parent.id) {
        throw new ConflictError(`The active version changed to ${current?.label ?? 'none'} while this refresh ran; refresh again.`);
      }
      const galleryVersion = await repos.faceReferences.nextGalleryVersion();
      const label = `v${(await repos.modelVersions.count()) + 1}`;
      const common = {
        label,
        embeddingModel: parent.embeddingModel,
        detector: parent.detector,
        galleryVersion,
        thresholds: thresholdsOf(plan.policy),
        metrics: e.metrics,
        decisionReason: decision.reason,
        parentId: parent.id,
        createdBy: by?.tokenId ?? null,
        head: parent.head,
      };
      let version: ModelVersionRow;
      if (decision.promote) {
        await this.applyChanges(repos, plan, galleryVersion, e.raw);
        await repos.modelVersions.setStatus(parent.id, 'retired');
        version = await repos.modelVersions.insert({ ...common, status: 'active', promotedAt: new Date() });
      } else {
        version = await repos.modelVersions.insert({ ...common, status: 'rejected' });
      }
      await repos.audit.append(actorOf(by), {
        action: decision.promote ? 'model_version.promote' : 'model_version.reject',
        objectType: 'model_version',
        objectId: String(version.id),
        galleryVersion,
        details: {
          label,
          parentId: parent.id,
          rule: decision.rule,
          reason: decision.reason,
          thresholds: common.thresholds,
          added: plan.additions.length,
          removed: plan.removals.length,
          downWeighted: plan.reweights.length,
          before: { accuracy: e.before.accuracy, far: e.before.far },
          after: { accuracy: e.after.accuracy, far: e.after.far },
        },
      });
      return version;
    });
  }

  /** Writes the candidate's reference changes, all under its gallery version (so a rollback can undo exactly them). */
  private async applyChanges(repos: Repositories, plan: CandidatePlan, galleryVersion: string, raw: ReadonlyMap<string, Float32Array>): Promise<void> {
    for (const a of plan.additions) {
      await repos.galleryVersions.add({ personId: a.personId, embedding: raw.get(a.caseId)!, modelId: EMBEDDING_MODEL_ID, source: 'review', sourceMediaId: a.cropMediaId, quality: { reviewItemId: a.caseId } }, galleryVersion);
    }
    await repos.galleryVersions.remove(plan.removals.map((r) => r.referenceId), galleryVersion);
    for (const w of plan.reweights) {
      // Weight changes are a removal plus a re-weighted copy: the original row stays intact for rollback.
      const original = await repos.galleryVersions.findForCopy(w.referenceId);
      if (!original) continue;
      await repos.galleryVersions.remove([original.id], galleryVersion);
      await repos.galleryVersions.add({ ...original, derivedFromId: original.id, weight: w.weight }, galleryVersion);
    }
  }
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}
