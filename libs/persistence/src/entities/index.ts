import { ApiTokenEntity } from './api-token.entity';
import { AuditEventEntity } from './audit-event.entity';
import { CameraEntity } from './camera.entity';
import { FaceReferenceEntity } from './face-reference.entity';
import { PersonEntity } from './person.entity';

export { ApiTokenEntity, AuditEventEntity, CameraEntity, FaceReferenceEntity, PersonEntity };
export type { TokenSource } from './api-token.entity';
export type { CameraStatus } from './camera.entity';
export type { ReferenceSource } from './face-reference.entity';

export const ENTITIES = [ApiTokenEntity, AuditEventEntity, CameraEntity, FaceReferenceEntity, PersonEntity];
