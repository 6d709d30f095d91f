import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConflictError, LeaseLostError } from '@vigil/domain';
import { CameraEntity, CameraStatus } from '../entities';
import { isUniqueViolation, translateLeaseLost } from '../pg-errors';
import { rowsOf } from './returned-rows';

export interface NewCamera {
  name: string;
  url: string;
  fps?: number;
  enabled?: boolean;
  preset?: string;
  settings?: Record<string, unknown>;
}

export type CameraPatch = Partial<NewCamera>;

export interface StatusChange {
  cameraId: string;
  status: CameraStatus;
  /** Already redacted: never a URL with credentials. */
  reason?: string | null;
  fps: number | null;
  at: Date;
  /**
   * The writer's camera lease epoch: the change is refused (LeaseLostError) unless it is the
   * camera's current, unexpired lease. Null: unchecked (tests, single-writer tools).
   */
  leaseEpoch?: string | null;
}

export interface CameraEventRow {
  id: string;
  cameraId: string;
  status: CameraStatus;
  reason: string | null;
  fps: number | null;
  at: Date;
}

export class CameraRepository {
  constructor(private readonly manager: EntityManager) {}

  private get repo() {
    return this.manager.getRepository(CameraEntity);
  }

  async create(camera: NewCamera): Promise<CameraEntity> {
    try {
      const saved = await this.repo.save(this.repo.create({ ...camera }));
      return this.repo.findOneByOrFail({ id: saved.id });
    } catch (error) {
      throw translate(error, camera.name);
    }
  }

  findById(id: string): Promise<CameraEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async list(limit: number, offset: number): Promise<{ items: CameraEntity[]; total: number }> {
    const [items, total] = await this.repo
      .createQueryBuilder('c')
      .orderBy('lower(c.name)', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit)
      .offset(offset)
      .getManyAndCount();
    return { items, total };
  }

  async update(id: string, patch: CameraPatch, currentName: string): Promise<CameraEntity | null> {
    try {
      await this.repo.update({ id }, { ...patch, updatedAt: new Date() } as QueryDeepPartialEntity<CameraEntity>);
    } catch (error) {
      throw translate(error, patch.name ?? currentName);
    }
    return this.findById(id);
  }

  /** Enabled cameras, for the ingest supervisors. */
  listEnabled(): Promise<CameraEntity[]> {
    return this.repo.find({ where: { enabled: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async count(): Promise<number> {
    return this.repo.count();
  }

  /**
   * Records a status change: the camera row shows the latest, camera_event keeps the history and
   * is the outbox the realtime relay reads (`id` is its offset). Call inside a transaction.
   */
  async recordStatus(change: StatusChange): Promise<CameraEventRow | null> {
    const epoch = change.leaseEpoch ?? null;
    const updated = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE camera SET status = $2, status_reason = $3, status_at = $4, measured_fps = $5
          WHERE id = $1 AND ${HELD_UNDER('$6')} RETURNING id`,
        [change.cameraId, change.status, change.reason ?? null, change.at, change.fps, epoch],
      ),
    );
    if (updated.length === 0) return this.refused(change.cameraId, epoch); // deleted meanwhile, or the lease is lost
    const [row] = (await this.manager
      .query(
        `INSERT INTO camera_event (camera_id, status, reason, fps, at, lease_epoch) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id::text AS id, camera_id AS "cameraId", status, reason, fps, at`,
        [change.cameraId, change.status, change.reason ?? null, change.fps, change.at, epoch],
      )
      .catch((error: unknown) => {
        throw translateLeaseLost(error, change.cameraId, epoch);
      })) as CameraEventRow[];
    return row!;
  }

  /**
   * Frame-rate bookkeeping, written at most every few seconds by ingest (not per frame); refused
   * (LeaseLostError) under a lease epoch that is no longer the camera's.
   */
  async recordLiveness(cameraId: string, fps: number | null, lastFrameAt: Date | null, leaseEpoch: string | null = null): Promise<void> {
    const updated = rowsOf<{ id: string }>(
      await this.manager.query(`UPDATE camera SET measured_fps = $2, last_frame_at = $3 WHERE id = $1 AND ${HELD_UNDER('$4')} RETURNING id`, [
        cameraId,
        fps,
        lastFrameAt,
        leaseEpoch,
      ]),
    );
    if (updated.length === 0) await this.refused(cameraId, leaseEpoch);
  }

  /** No row updated: null when the camera is gone (or nothing was checked), LeaseLostError when it exists but the lease is lost. */
  private async refused(cameraId: string, epoch: string | null): Promise<null> {
    if (epoch !== null && (await this.repo.existsBy({ id: cameraId }))) throw new LeaseLostError(cameraId, epoch);
    return null;
  }

  /** Camera events after an offset, oldest first: the relay's source. */
  async eventsAfter(afterId: string, limit: number): Promise<CameraEventRow[]> {
    return (await this.manager.query(
      `SELECT id::text AS id, camera_id AS "cameraId", status, reason, fps, at
         FROM camera_event WHERE id > $1 ORDER BY id ASC LIMIT $2`,
      [afterId, limit],
    )) as CameraEventRow[];
  }

  async lastEventId(): Promise<string> {
    const [row] = (await this.manager.query(`SELECT coalesce(max(id), 0)::text AS id FROM camera_event`)) as Array<{ id: string }>;
    return row!.id;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}

/** The camera's current, unexpired lease has this epoch (a null epoch is not checked). */
const HELD_UNDER = (param: string) =>
  `(${param}::bigint IS NULL OR EXISTS (SELECT 1 FROM camera_lease l WHERE l.camera_id = camera.id AND l.epoch = ${param}::bigint AND l.expires_at > clock_timestamp()))`;

function translate(error: unknown, name: string): unknown {
  if (isUniqueViolation(error, 'camera_name_uq')) {
    return new ConflictError(`A camera named "${name}" already exists; choose another name.`);
  }
  return error;
}
