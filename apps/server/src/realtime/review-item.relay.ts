import { Injectable } from '@nestjs/common';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { toReviewItemEvent } from '../reviews/review.view';
import { OutboxRelayHost } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

type ReviewItemOutboxRow = Awaited<ReturnType<Database['repos']['reviewItems']['after']>>[number];

/**
 * review_item (seq order) → `review.item` to reviewers and admins, after commit; items may be
 * created by the worker in another process. A reviewer who was offline re-fetches the queue.
 * Every api process relays the table itself, so it emits to its own sockets only.
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
        publish: (row) => gateway.emitToRolesLocal(['reviewer', 'admin'], 'review.item', toReviewItemEvent(row)),
      },
      events,
      'review.item-recorded',
    );
  }
}
