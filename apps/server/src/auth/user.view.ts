import type { UserRow } from '@vigil/persistence';
import type { UserView } from '@vigil/contracts';

export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    disabled: u.disabledAt !== null,
    hasPassword: u.hasPassword,
    lastSignInAt: u.lastSignInAt ? new Date(u.lastSignInAt).toISOString() : null,
    createdAt: new Date(u.createdAt).toISOString(),
  };
}
