import { InvalidInputError } from '@vigil/domain';
import type { UserRole } from '@vigil/persistence';

export const USER_ROLES: readonly UserRole[] = ['admin', 'security', 'reviewer'];
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** Usernames are case-insensitive: stored lower-case, 2-64 of a-z 0-9 . _ - */
export function normaliseUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw new InvalidInputError('A username is 2 to 64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit.');
  }
  return username;
}

export function checkDisplayName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 100) throw new InvalidInputError('The display name must be 1 to 100 characters.');
  return name;
}

export function checkUserRole(role: string): UserRole {
  if (!(USER_ROLES as readonly string[]).includes(role)) {
    throw new InvalidInputError(`A user's role is one of ${USER_ROLES.join(', ')} (kiosks sign in with a device token).`);
  }
  return role as UserRole;
}
