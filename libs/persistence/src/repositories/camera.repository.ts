import { EntityManager } from 'typeorm';
import { ConflictError } from '@vigil/domain';
import { CameraEntity } from '../entities';
import { isUniqueViolation } from '../pg-errors';

export interface NewCamera {
  name: string;
  url: string;
  fps?: number;
  enabled?: boolean;
  preset?: string;
}

export type CameraPatch = Partial<NewCamera>;

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
      await this.repo.update({ id }, { ...patch, updatedAt: new Date() });
    } catch (error) {
      throw translate(error, patch.name ?? currentName);
    }
    return this.findById(id);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}

function translate(error: unknown, name: string): unknown {
  if (isUniqueViolation(error, 'camera_name_uq')) {
    return new ConflictError(`A camera named "${name}" already exists; choose another name.`);
  }
  return error;
}
