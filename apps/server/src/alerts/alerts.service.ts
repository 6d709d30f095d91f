import { Injectable } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import { ConflictError, NotFoundError } from '@vigil/domain';
import { AlertAction, AlertRow, Database, NewAlert } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';

@Injectable()
export class AlertsService {
  constructor(private readonly db: Database, private readonly events: AppEvents) {}

  /** Commits the alert (with its audit row), then wakes the relay: durable before pushed. */
  async raise(alert: NewAlert): Promise<AlertRow> {
    const row = await this.db.transaction(async (repos) => {
      const raised = await repos.alerts.raise(alert);
      await repos.audit.append(actorOf(null), { action: 'alert.raise', objectType: 'alert', objectId: raised.id, details: { seq: raised.seq, list: raised.list } });
      return raised;
    });
    this.events.emit('alert.recorded');
    return row;
  }

  after(afterSeq: string, limit: number): Promise<AlertRow[]> {
    return this.db.repos.alerts.after(afterSeq, limit);
  }

  async act(by: Principal, id: string, action: AlertAction): Promise<AlertRow> {
    return this.db.transaction(async (repos) => {
      const result = await repos.alerts.apply(id, action, by.tokenId);
      if (result === null) throw new NotFoundError(`No alert with id ${id}.`);
      if (result === 'conflict') {
        const current = await repos.alerts.findById(id);
        throw new ConflictError(`The alert is ${current?.status}; it cannot be ${action === 'acknowledge' ? 'acknowledged' : action === 'resolve' ? 'resolved' : 'escalated'} now.`);
      }
      await repos.audit.append(actorOf(by), { action: `alert.${action}`, objectType: 'alert', objectId: id });
      return result;
    });
  }
}
