/**
 * Who may do what. A token carries exactly one role; routes declare the roles they admit.
 * Users, passwords and site scoping arrive later and narrow these further; they never widen them.
 */
export const ROLES = ['admin', 'security', 'reviewer', 'kiosk'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Roles an admin may mint API tokens for. Admin tokens are deliberately not mintable over HTTP:
 * a leaked admin token must not be able to create more admin tokens that survive its revocation.
 * A new admin token comes from VIGIL_ADMIN_TOKEN or `vigil admin-token --rotate` (local access).
 */
export const MINTABLE_ROLES: readonly Role[] = ['security', 'reviewer', 'kiosk'];

export function canMint(role: Role): boolean {
  return MINTABLE_ROLES.includes(role);
}
