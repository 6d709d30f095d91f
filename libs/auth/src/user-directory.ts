import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '@vigil/domain';
import type { Database, Repositories, UserPatch, UserRole, UserRow } from '@vigil/persistence';
import { hashPassword, verifyPassword } from './password-hash';
import { passwordProblem } from './password-policy';
import { actorOf, Principal } from './principal';
import { checkDisplayName, checkUserRole, normaliseUsername } from './usernames';

export interface NewUserRequest {
  username: string;
  displayName: string;
  role: string;
  /** Optional: an account without a password cannot sign in until one is set. */
  password?: string | null;
}

/** What a change ended, so the server can cut the sockets that rode on it. */
export interface Ended {
  userId: string;
  sessionIds: string[];
}

/**
 * Staff accounts: created by an admin (console or `vigil user add`), each change audited with ids
 * only. Disabling an account ends its sessions and its tokens at once; the last enabled admin
 * account cannot be disabled or demoted.
 */
export class UserDirectory {
  constructor(private readonly db: Database, private readonly now: () => Date = () => new Date()) {}

  list(): Promise<UserRow[]> {
    return this.db.repos.users.list();
  }

  get(id: string): Promise<UserRow> {
    return this.mustFind(this.db.repos, id);
  }

  async create(by: Principal | null, request: NewUserRequest): Promise<UserRow> {
    const username = normaliseUsername(request.username);
    const displayName = checkDisplayName(request.displayName);
    const role = checkUserRole(request.role);
    const passwordHash = request.password ? await this.checkedHash(request.password, { username, displayName }) : null;
    return this.db.transaction(async (repos) => {
      const user = await repos.users.insert({ username, displayName, role, passwordHash, createdByUser: by?.userId ?? null });
      await repos.audit.append(actorOf(by), { action: 'user.create', objectType: 'app_user', objectId: user.id, details: { role, withPassword: passwordHash !== null } });
      return user;
    });
  }

  async patch(by: Principal | null, id: string, patch: { displayName?: string; role?: string }): Promise<UserRow> {
    const change: UserPatch = {};
    if (patch.displayName !== undefined) change.displayName = checkDisplayName(patch.displayName);
    if (patch.role !== undefined) change.role = checkUserRole(patch.role);
    return this.db.transaction(async (repos) => {
      await repos.lock('vigil:users');
      const before = await this.mustFind(repos, id);
      if (change.role && change.role !== 'admin' && before.role === 'admin') await this.keepOneAdmin(repos, before);
      const user = (await repos.users.patch(id, change))!;
      await repos.audit.append(actorOf(by), { action: 'user.update', objectType: 'app_user', objectId: id, details: { fields: Object.keys(change), role: user.role } });
      return user;
    });
  }

  /** Disables (or re-enables) an account. Disabling ends every session of it. */
  async setDisabled(by: Principal | null, id: string, disabled: boolean): Promise<{ user: UserRow; ended: Ended | null }> {
    return this.db.transaction(async (repos) => {
      await repos.lock('vigil:users');
      const before = await this.mustFind(repos, id);
      if (disabled && before.disabledAt) return { user: before, ended: null };
      if (!disabled && !before.disabledAt) return { user: before, ended: null };
      if (disabled && before.role === 'admin') await this.keepOneAdmin(repos, before);
      const user = (await repos.users.setDisabled(id, disabled, this.now()))!;
      const sessionIds = disabled ? await repos.userSessions.revokeAllOf(id, this.now()) : [];
      await repos.audit.append(actorOf(by), { action: disabled ? 'user.disable' : 'user.enable', objectType: 'app_user', objectId: id, details: { sessionsEnded: sessionIds.length } });
      return { user, ended: disabled ? { userId: id, sessionIds } : null };
    });
  }

  /** An admin sets (or resets) someone's password: their other sessions end. */
  async setPassword(by: Principal | null, id: string, password: string): Promise<Ended> {
    const user = await this.mustFind(this.db.repos, id);
    const hash = await this.checkedHash(password, user);
    return this.db.transaction(async (repos) => {
      await repos.users.setPasswordHash(id, hash);
      const sessionIds = await repos.userSessions.revokeAllOf(id, this.now(), by?.sessionId ?? null);
      await repos.audit.append(actorOf(by), { action: 'user.password-set', objectType: 'app_user', objectId: id, details: { sessionsEnded: sessionIds.length } });
      return { userId: id, sessionIds };
    });
  }

  /** A signed-in person changes their own password: needs the current one; their other sessions end. */
  async changeOwnPassword(by: Principal, current: string, next: string): Promise<Ended> {
    if (!by.userId) throw new ForbiddenError('Only a signed-in user has a password; tokens have none.');
    const hash = await this.db.repos.users.passwordHashOf(by.userId);
    if (!hash || !(await verifyPassword(hash, current))) throw new UnauthenticatedError('The current password is not right.');
    if (current === next) throw new InvalidInputError('The new password must differ from the current one.');
    const user = await this.mustFind(this.db.repos, by.userId);
    const nextHash = await this.checkedHash(next, user);
    return this.db.transaction(async (repos) => {
      await repos.users.setPasswordHash(user.id, nextHash);
      const sessionIds = await repos.userSessions.revokeAllOf(user.id, this.now(), by.sessionId);
      await repos.audit.append(actorOf(by), { action: 'user.password-change', objectType: 'app_user', objectId: user.id });
      return { userId: user.id, sessionIds };
    });
  }

  async findByUsername(username: string): Promise<UserRow> {
    const user = await this.db.repos.users.findByUsername(normaliseUsername(username));
    if (!user) throw new NotFoundError(`No user named "${username.trim().toLowerCase()}".`);
    return user;
  }

  private async checkedHash(password: string, who: { username: string; displayName: string }): Promise<string> {
    const problem = passwordProblem(password, who);
    if (problem) throw new InvalidInputError(problem);
    return hashPassword(password);
  }

  private async mustFind(repos: Repositories, id: string): Promise<UserRow> {
    const user = await repos.users.findById(id);
    if (!user) throw new NotFoundError(`No user with id ${id}.`);
    return user;
  }

  private async keepOneAdmin(repos: Repositories, user: UserRow & { role: UserRole }): Promise<void> {
    if (user.disabledAt || !user.hasPassword) return;
    if ((await repos.users.countActiveAdmins()) <= 1) {
      throw new ConflictError('This is the last enabled administrator account; make another user an administrator first.');
    }
  }
}
