import { Injectable, Logger } from '@nestjs/common';
import { actorOf, personKeyOf, Principal } from '@vigil/auth';
import type { ReviewItemView, ReviewQueueView } from '@vigil/contracts';
import { ConflictError, type LabelInput, NotFoundError, requiredLabels, reviewOutcome, validateLabel } from '@vigil/domain';
import { alreadyLabelled, Database, Repositories, ReviewItemRow, ReviewQueueQuery } from '@vigil/persistence';
import { KpiMonitor } from '../kpi/kpi-monitor.service';
import { recorded, reviewerKeyOf } from './label-records';
import { toReviewItemView } from './review.view';

export interface NewLabel extends LabelInput {
  itemId: string;
  notes?: string | null;
}

/** The reviewers' queue and their labels. */
@Injectable()
export class ReviewsService {
  private readonly logger = new Logger('Reviews');

  constructor(private readonly db: Database, private readonly kpi: KpiMonitor) {}

  async queue(query: ReviewQueueQuery): Promise<ReviewQueueView> {
    const { items, total } = await this.db.repos.reviewItems.queue(query);
    return { items: await this.views(this.db.repos, items), total, limit: query.limit, offset: query.offset };
  }

  /**
   * Records one reviewer's label. One label per person and item (403 for a second, also from
   * another token of the same user); a watchlist alert is confirmed only when two different people agree. The label and a confirmation are
   * audit events. The KPIs are re-checked afterwards.
   */
  async label(by: Principal, input: NewLabel): Promise<ReviewItemView> {
    const view = await this.db.transaction(async (repos) => {
      if (!(await repos.reviewItems.lock(input.itemId))) throw new NotFoundError(`No review item with id ${input.itemId}.`);
      const item = (await repos.reviewItems.findById(input.itemId))!;
      if (item.status === 'expired' || (item.expiresAt && new Date(item.expiresAt).getTime() <= Date.now())) {
        throw new ConflictError('This review item has expired (its retention period ended); it can no longer be labelled.');
      }
      const before = await repos.reviewLabels.ofItems([item.id]);
      if (before.some((l) => reviewerKeyOf(l) === personKeyOf(by))) throw alreadyLabelled();
      validateLabel(item, input);
      if (input.actualPersonId && !(await repos.persons.findById(input.actualPersonId))) {
        throw new NotFoundError(`No person with id ${input.actualPersonId} (actualPersonId).`);
      }
      const labelId = await repos.reviewLabels.insert({
        itemId: item.id,
        reviewerTokenId: by.tokenId,
        reviewerUserId: by.userId,
        reviewerName: by.name,
        label: input.label,
        actualPersonId: input.actualPersonId ?? null,
        notEnrolled: input.notEnrolled ?? false,
        notes: input.notes ?? null,
      });
      const labels = await repos.reviewLabels.ofItems([item.id]);
      const outcome = reviewOutcome(labels.map(recorded), requiredLabels(item.kind, item.list));
      if (outcome.status !== item.status) await repos.reviewItems.setStatus(item.id, outcome.status);
      const galleryVersion = await repos.galleryVersions.current();
      await repos.audit.append(actorOf(by), {
        action: 'review.label',
        objectType: 'review_item',
        objectId: item.id,
        galleryVersion,
        details: {
          labelId,
          label: input.label,
          kind: item.kind,
          alertId: item.alertId,
          modelVersionId: item.modelVersionId,
          actualPersonId: input.actualPersonId ?? null,
          notEnrolled: input.notEnrolled ?? false,
        },
      });
      if (outcome.status === 'confirmed' && item.status !== 'confirmed') {
        const agreeing = labels.filter((l) => l.label === outcome.effective);
        await repos.audit.append(actorOf(by), {
          action: 'review.confirm',
          objectType: 'review_item',
          objectId: item.id,
          galleryVersion,
          details: { label: outcome.effective, alertId: item.alertId, reviewers: agreeing.map((l) => ({ userId: l.reviewerUserId, tokenId: l.reviewerTokenId })) },
        });
      }
      return (await this.views(repos, [(await repos.reviewItems.findById(item.id))!]))[0]!;
    });
    this.logger.log({ itemId: input.itemId, label: input.label, status: view.status, by: by.name }, 'review label recorded');
    await this.kpi.check().catch((error: unknown) => this.logger.warn({ err: error }, 'KPI check after a label failed; the periodic check will retry'));
    return view;
  }

  private async views(repos: Repositories, rows: readonly ReviewItemRow[]): Promise<ReviewItemView[]> {
    const labels = await repos.reviewLabels.ofItems(rows.map((r) => r.id));
    const refs = await repos.reviewItems.referenceMedia([...new Set(rows.map((r) => r.candidatePersonId).filter((p): p is string => p !== null))]);
    return rows.map((r) =>
      toReviewItemView(
        r,
        labels.filter((l) => l.itemId === r.id),
        r.candidatePersonId ? (refs.get(r.candidatePersonId) ?? []) : [],
      ),
    );
  }
}
