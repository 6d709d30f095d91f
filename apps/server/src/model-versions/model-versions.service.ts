import { Injectable, Logger } from '@nestjs/common';
import { actorOf, Principal } from '@vigil/auth';
import type { ModelVersionView } from '@vigil/contracts';
import { ConflictError, NotFoundError } from '@vigil/domain';
import { Database, type ModelVersionRow } from '@vigil/persistence';
import { ActiveModelVersion } from './active-model-version.service';
import { toModelVersionView } from './model-version.view';

@Injectable()
export class ModelVersionsService {
  private readonly logger = new Logger('ModelVersion');

  constructor(private readonly db: Database, private readonly active: ActiveModelVersion) {}

  async list(): Promise<ModelVersionView[]> {
    return (await this.db.repos.modelVersions.list()).map(toModelVersionView);
  }

  /**
   * Makes an earlier version active again, in one transaction: every version between the active
   * one and the target (newest first) has its reference changes undone — what it added leaves the
   * gallery, what it removed or re-weighted comes back as the very same rows — and is retired; the
   * target's thresholds are served again. Enrolments and removals made by people in between draw
   * their own gallery versions and are left as they are.
   */
  async rollback(by: Principal, targetId: number): Promise<ModelVersionView> {
    // Ids are int4: anything else cannot exist (and must not reach SQL as an out-of-range error).
    if (!Number.isInteger(targetId) || targetId < 1 || targetId > 2_147_483_647) throw new NotFoundError(`No model version with id ${targetId}.`);
    const { target, undone, retracted, restored } = await this.db.transaction(async (repos) => {
      await repos.modelVersions.lockVersions();
      const target = await repos.modelVersions.findById(targetId);
      if (!target) throw new NotFoundError(`No model version with id ${targetId}.`);
      const active = await repos.modelVersions.active();
      if (!active) throw new ConflictError('No model version is active; restart the server to create the initial one.');
      if (active.id === target.id) throw new ConflictError(`${target.label} is already the active version.`);
      if (target.status === 'rejected') throw new ConflictError(`${target.label} was rejected and never served; only an earlier active version can be restored.`);
      const path: ModelVersionRow[] = [];
      for (let v: ModelVersionRow | null = active; v.id !== target.id; ) {
        path.push(v);
        v = v.parentId === null ? null : await repos.modelVersions.findById(v.parentId);
        if (!v) throw new ConflictError(`${target.label} is not an earlier version of the active ${active.label}; only its predecessors can be restored.`);
      }
      const undoVersion = await repos.faceReferences.nextGalleryVersion();
      const at = new Date().toISOString();
      let retracted = 0;
      let restored = 0;
      for (const v of path) {
        retracted += await repos.galleryVersions.retractAdditions(v.galleryVersion, undoVersion);
        restored += await repos.galleryVersions.restoreRemovals(v.galleryVersion);
        await repos.modelVersions.setStatus(v.id, 'retired', `${v.decisionReason ?? ''} Rolled back to ${target.label} by ${by.name} at ${at}.`.trim());
      }
      await repos.modelVersions.setStatus(target.id, 'active');
      const undone = path.map((v) => v.label);
      await repos.audit.append(actorOf(by), {
        action: 'model_version.rollback',
        objectType: 'model_version',
        objectId: String(target.id),
        galleryVersion: undoVersion,
        details: { from: active.id, to: target.id, undone, retractedReferences: retracted, restoredReferences: restored },
      });
      return { target: (await repos.modelVersions.findById(target.id))!, undone, retracted, restored };
    });
    this.logger.log({ modelVersionId: target.id, undone, retracted, restored }, `rolled back to model version ${target.label}`);
    await this.active.reload(); // thresholds now, and the matcher's gallery through gallery.changed
    return toModelVersionView(target);
  }
}
