import { Injectable } from '@nestjs/common';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { OutboxRelayHost } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

type ReviewItemOutboxRow = Awaited<ReturnType<Database['repos']['reviewItems']['after']>>[number];

/**
 * review_item (seq order) → `review.item` to reviewers and admins, after commit; items may be
 * created by the worker in another process. A reviewer who was offline re-fetches the queue.
 */
@Injectable()
export class ReviewItemRelay extends OutboxRelayHost<ReviewItemOutboxRow> {
  constructor(db: Database, gateway: RealtimeGateway, events: AppEvents) {
    super(
      {
        name: 'review_item',
        lastOffset: () => db.repos.reviewItems.lastSeq(),
        readAfter: (offset, limit) => db.repos.reviewItems.after(offset, limit),
        offsetOf: (row) => row.seq,
        publish: (row) => gateway.emitReviewItem({ id: row.id, kind: row.kind, cameraId: row.cameraId, at: new Date(row.createdAt).toISOString() }),
      },
      events,
      'review.item-recorded',
    );
  }
}
