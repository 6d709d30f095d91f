import { createHash, randomBytes } from 'node:crypto';
import { ConflictError, InvalidInputError, UnauthenticatedError } from '@vigil/domain';
import type { Database, UserRow } from '@vigil/persistence';
import { hashPassword } from './password-hash';
import { passwordProblem } from './password-policy';
import { actorOf } from './principal';
import { checkDisplayName, normaliseUsername } from './usernames';

export const SETUP_CODE_TTL_MS = 24 * 3600_000;

function hashCode(code: string): Buffer {
  return createHash('sha256').update(code.trim(), 'utf8').digest();
}

/**
 * The first administrator. While no enabled admin account with a password exists, each start
 * issues a one-time setup code (printed in the server's log as a link; valid 24 h; only the newest
 * works). Whoever opens the link sets the first admin's username and password; the code is then spent.
 * `vigil user add <name> --role admin` on the server does the same without a code.
 */
export class FirstAdminSetup {
  constructor(private readonly db: Database, private readonly now: () => Date = () => new Date()) {}

  async issueCodeIfNeeded(): Promise<string | null> {
    return this.db.transaction(async (repos) => {
      await repos.lock('vigil:users');
      if ((await repos.users.countActiveAdmins()) > 0) {
        await repos.setupCodes.retireAll(this.now());
        return null;
      }
      const code = randomBytes(18).toString('base64url');
      await repos.setupCodes.replace(hashCode(code), new Date(this.now().getTime() + SETUP_CODE_TTL_MS), this.now());
      await repos.audit.append(actorOf(null), { action: 'user.setup-code', objectType: 'app_user', details: { validHours: SETUP_CODE_TTL_MS / 3600_000 } });
      return code;
    });
  }

  async complete(request: { code: string; username: string; displayName: string; password: string }): Promise<UserRow> {
    if (typeof request.code !== 'string' || request.code.length === 0 || request.code.length > 100) throw new InvalidInputError('The setup code is missing.');
    const username = normaliseUsername(request.username);
    const displayName = checkDisplayName(request.displayName);
    const problem = passwordProblem(request.password, { username, displayName });
    if (problem) throw new InvalidInputError(problem);
    const passwordHash = await hashPassword(request.password);
    return this.db.transaction(async (repos) => {
      await repos.lock('vigil:users');
      if ((await repos.users.countActiveAdmins()) > 0) {
        throw new ConflictError('An administrator account exists already: sign in with it, or ask an administrator for an account.');
      }
      if (!(await repos.setupCodes.consume(hashCode(request.code), this.now()))) {
        throw new UnauthenticatedError('This setup code is wrong, used or expired. Restart the server for a new link, or run `npx vigil user add <name> --role admin` on it.');
      }
      const user = await repos.users.insert({ username, displayName, role: 'admin', passwordHash });
      await repos.audit.append(actorOf(null), { action: 'user.create', objectType: 'app_user', objectId: user.id, details: { role: 'admin', via: 'setup-code' } });
      return user;
    });
  }
}
