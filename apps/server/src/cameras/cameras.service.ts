import { Inject, Injectable } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { actorOf, Principal } from '@vigil/auth';
import { NotFoundError } from '@vigil/domain';
import { CameraEntity, CameraLeaseInfo, CameraPatch, Database } from '@vigil/persistence';
import { redactCredentials, validateCameraUrl } from '@vigil/video';
import { VIGIL_CONFIG } from '../core/core.module';
import { CreateCameraDto, UpdateCameraDto } from './cameras.dto';
import { AppEvents } from '../core/app-events';

@Injectable()
export class CamerasService {
  constructor(
    private readonly db: Database,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly events: AppEvents,
  ) {}

  private validUrl(url: string): string {
    return validateCameraUrl(url, { allowFile: this.config.allowFileUrls });
  }

  async create(by: Principal, dto: CreateCameraDto): Promise<CameraEntity> {
    const url = this.validUrl(dto.url);
    const camera = await this.db.transaction(async (repos) => {
      const camera = await repos.cameras.create({ name: dto.name, url, fps: dto.fps, enabled: dto.enabled, settings: dto.settings ? { ...dto.settings } : undefined });
      await repos.audit.append(actorOf(by), {
        action: 'camera.create',
        objectType: 'camera',
        objectId: camera.id,
        // No URL, not even redacted: a secret under a query key the redaction does not know would outlive the camera.
        details: { name: camera.name, enabled: camera.enabled },
      });
      return camera;
    });
    this.events.emit('camera.changed', camera.id);
    return camera;
  }

  /** The cameras' current leases: which worker process runs each (camera status). */
  leases(ids: readonly string[]): Promise<CameraLeaseInfo[]> {
    return this.db.repos.cameraLeases.current(ids);
  }

  async get(id: string): Promise<CameraEntity> {
    const camera = await this.db.repos.cameras.findById(id);
    if (!camera) throw new NotFoundError(`No camera with id ${id}.`);
    return camera;
  }

  list(limit: number, offset: number) {
    return this.db.repos.cameras.list(limit, offset);
  }

  async update(by: Principal, id: string, dto: UpdateCameraDto): Promise<CameraEntity> {
    const camera = await this.db.transaction(async (repos) => {
      const current = await repos.cameras.findById(id);
      if (!current) throw new NotFoundError(`No camera with id ${id}.`);
      const patch: CameraPatch = { name: dto.name, fps: dto.fps, enabled: dto.enabled };
      if (dto.settings) patch.settings = { ...current.settings, ...dto.settings };
      // A client that edits a camera it read back holds only the redacted URL; that is not a change.
      if (dto.url !== undefined && dto.url !== redactCredentials(current.url)) patch.url = this.validUrl(dto.url);
      const changed = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as CameraPatch;
      const updated = await repos.cameras.update(id, changed, current.name);
      await repos.audit.append(actorOf(by), {
        action: 'camera.update',
        objectType: 'camera',
        objectId: id,
        details: { fields: Object.keys(changed) },
      });
      return updated!;
    });
    this.events.emit('camera.changed', id);
    return camera;
  }

  async delete(by: Principal, id: string): Promise<void> {
    await this.db.transaction(async (repos) => {
      const current = await repos.cameras.findById(id);
      if (!current) throw new NotFoundError(`No camera with id ${id}.`);
      await repos.cameras.delete(id);
      await repos.audit.append(actorOf(by), { action: 'camera.delete', objectType: 'camera', objectId: id, details: { name: current.name } });
    });
    this.events.emit('camera.changed', id);
  }
}
