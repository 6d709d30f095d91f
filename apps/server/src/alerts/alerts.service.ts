import { Inject, Injectable } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { ConflictError, localDate, NotFoundError } from '@vigil/domain';
import { AlertAction, AlertRow, Database, NewAlert } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { DecisionEvidence, recordEvidence } from '../core/decision-evidence';

@Injectable()
export class AlertsService {
  constructor(private readonly db: Database, private readonly events: AppEvents, @Inject(VIGIL_CONFIG) private readonly config: VigilConfig) {}

  /**
   * Commits the alert with its evidence (track, sighting, crop and frame rows), its audit row and
   * its review item (every alert is reviewed) in one transaction, then wakes the relays: durable
   * before pushed. The alert records the active model version, if any.
   */
  async raise(alert: NewAlert, evidence?: DecisionEvidence): Promise<AlertRow> {
    return (await this.raiseUnlessCooling(alert, evidence, 0))!;
  }

  /**
   * Like raise, unless the person was alerted on at the same place (the camera, or the kiosks)
   * within `cooldownMs` before `raisedAt`: then nothing is written and null is returned. The
   * database is the judge (under a per-person advisory lock), so the cooldown holds across worker
   * processes and across a camera's hand-over. A camera alert carrying a lease epoch is refused
   * (LeaseLostError) once that lease is lost.
   */
  async raiseUnlessCooling(alert: NewAlert, evidence: DecisionEvidence | undefined, cooldownMs: number): Promise<AlertRow | null> {
    const row = await this.db.transaction(async (repos) => {
      if (cooldownMs > 0) {
        await repos.alerts.lockPerson(alert.personId);
        const at = alert.raisedAt ?? new Date();
        if (await repos.alerts.raisedSince(alert.personId, alert.cameraId, new Date(at.getTime() - cooldownMs))) return null;
      }
      const modelVersionId = alert.modelVersionId ?? (await repos.modelVersions.activeId());
      let input: NewAlert = { ...alert, modelVersionId };
      if (evidence && alert.cameraId) {
        const match = { cameraId: alert.cameraId, personId: alert.personId, score: alert.score, modelVersionId, leaseEpoch: alert.leaseEpoch };
        const recorded = await recordEvidence(repos, match, evidence);
        input = { ...input, ...recorded };
      }
      const raised = await repos.alerts.raise(input);
      await repos.audit.append(actorOf(null), { action: 'alert.raise', objectType: 'alert', objectId: raised.id, details: { seq: raised.seq, list: raised.list } });
      const at = new Date(raised.raisedAt);
      await repos.reviewItems.insert({
        kind: 'alert',
        alertId: raised.id,
        sightingId: input.sightingId ?? null,
        cameraId: raised.cameraId,
        candidatePersonId: raised.personId,
        list: raised.list,
        score: raised.score,
        distance: raised.distance,
        cropMediaId: raised.cropMediaId,
        modelVersionId,
        createdAt: at,
        localDate: localDate(at, this.config.timeZone),
        leaseEpoch: alert.leaseEpoch ?? null,
      });
      return raised;
    });
    if (row === null) return null;
    this.events.emit('alert.recorded');
    this.events.emit('review.item-recorded');
    return row;
  }

  /** Open alerts (at most 500) and the newest `recent`, in seq order: a console's first screen. */
  board(recent: number): Promise<AlertRow[]> {
    return this.db.repos.alerts.board(recent, 500);
  }

  after(afterSeq: string, limit: number): Promise<AlertRow[]> {
    return this.db.repos.alerts.after(afterSeq, limit);
  }

  async act(by: Principal, id: string, action: AlertAction): Promise<AlertRow> {
    const row = await this.db.transaction(async (repos) => {
      const result = await repos.alerts.apply(id, action, { tokenId: by.tokenId, userId: by.userId });
      if (result === null) throw new NotFoundError(`No alert with id ${id}.`);
      if (result === 'conflict') {
        const current = await repos.alerts.findById(id);
        throw new ConflictError(`The alert is ${current?.status}; it cannot be ${action === 'acknowledge' ? 'acknowledged' : action === 'resolve' ? 'resolved' : 'escalated'} now.`);
      }
      await repos.audit.append(actorOf(by), { action: `alert.${action}`, objectType: 'alert', objectId: id });
      return result;
    });
    this.events.emit('alert.status-changed', id, by.name);
    return row;
  }

  findById(id: string): Promise<AlertRow | null> {
    return this.db.repos.alerts.findById(id);
  }
}
