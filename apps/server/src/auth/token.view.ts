import type { ApiTokenEntity } from '@vigil/persistence';
import type { TokenView } from '@vigil/contracts';

export function toTokenView(t: ApiTokenEntity): TokenView {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    ownerUserId: t.ownerUserId,
    liveness: t.liveness,
  };
}
