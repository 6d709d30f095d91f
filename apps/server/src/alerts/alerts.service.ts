import { Injectable } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import { ConflictError, NotFoundError } from '@vigil/domain';
import { AlertAction, AlertRow, Database, NewAlert } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { DecisionEvidence, recordEvidence } from '../core/decision-evidence';

@Injectable()
export class AlertsService {
  constructor(private readonly db: Database, private readonly events: AppEvents) {}

  /**
   * Commits the alert with its evidence (track, sighting, crop and frame rows) and audit row in one
   * transaction, then wakes the relay: durable before pushed.
   */
  async raise(alert: NewAlert, evidence?: DecisionEvidence): Promise<AlertRow> {
    const row = await this.db.transaction(async (repos) => {
      let input = alert;
      if (evidence && alert.cameraId) {
        const recorded = await recordEvidence(repos, { cameraId: alert.cameraId, personId: alert.personId, score: alert.score, modelVersionId: alert.modelVersionId }, evidence);
        input = { ...alert, ...recorded };
      }
      const raised = await repos.alerts.raise(input);
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
    const row = await this.db.transaction(async (repos) => {
      const result = await repos.alerts.apply(id, action, by.tokenId);
      if (result === null) throw new NotFoundError(`No alert with id ${id}.`);
      if (result === 'conflict') {
        const current = await repos.alerts.findById(id);
        throw new ConflictError(`The alert is ${current?.status}; it cannot be ${action === 'acknowledge' ? 'acknowledged' : action === 'resolve' ? 'resolved' : 'escalated'} now.`);
      }
      await repos.audit.append(actorOf(by), { action: `alert.${action}`, objectType: 'alert', objectId: id });
      return result;
    });
    this.events.emit('alert.status-changed', id);
    return row;
  }

  findById(id: string): Promise<AlertRow | null> {
    return this.db.repos.alerts.findById(id);
  }
}
