import type { RoleName } from '@vigil/contracts';

export interface Screen {
  path: string;
  label: string;
  roles: readonly RoleName[];
}

/** Which role may open which console (the API enforces the same; this only hides what would fail). */
export const SCREENS: readonly Screen[] = [
  { path: '/', label: 'Dashboard', roles: ['admin', 'security'] },
  { path: '/review', label: 'Review', roles: ['admin', 'reviewer'] },
  { path: '/admin', label: 'Admin', roles: ['admin'] },
  { path: '/kiosk', label: 'Kiosk', roles: ['kiosk'] },
  { path: '/account', label: 'Account', roles: ['admin', 'security', 'reviewer'] },
];

export const ROLE_LABEL: Record<RoleName, string> = { admin: 'administrator', security: 'security', reviewer: 'reviewer', kiosk: 'kiosk' };

export function screenFor(path: string): Screen | null {
  if (path === '/') return SCREENS[0]!;
  return SCREENS.find((s) => s.path !== '/' && (path === s.path || path.startsWith(`${s.path}/`))) ?? null;
}

/** Where a role lands after signing in at `/`. */
export function homeOf(role: RoleName): string {
  return SCREENS.find((s) => s.roles.includes(role))!.path;
}
