import { canMint, ConflictError, ForbiddenError, InvalidInputError, LivenessMode, NotFoundError, Role } from '@vigil/domain';
import type { ApiTokenEntity, Database } from '@vigil/persistence';
import { actorOf, Principal } from './principal';
import { generateTokenSecret, hashTokenSecret } from './token-secret';

export interface MintRequest {
  name: string;
  role: Role;
  expiresAt?: Date | null;
  /** The person who holds the token; default: the user minting it. */
  ownerUserId?: string | null;
  /** Kiosk tokens only; default 'required' (see defaultLiveness). */
  liveness?: LivenessMode;
}

/**
 * A new kiosk token asks for the liveness challenge unless the admin says otherwise: a kiosk that
 * books attendance for a photo is worse than none, and the safe default is the one nobody has to
 * remember. Tokens that existed before liveness keep 'off' (the migration's default) so an
 * upgrade does not stop deployed kiosks whose screens do not run the challenge yet.
 */
export function defaultLiveness(role: Role, requested: LivenessMode | undefined): LivenessMode {
  if (role !== 'kiosk') return 'off';
  return requested ?? 'required';
}

/**
 * Issues, verifies and revokes API tokens. Plain TypeScript over the repositories so that the
 * server (HTTP and socket handshakes) and the CLI share one implementation.
 */
export class TokenIssuer {
  private readonly lastTouched = new Map<string, number>();

  constructor(private readonly db: Database, private readonly now: () => Date = () => new Date()) {}

  async verify(secret: string | null | undefined): Promise<Principal | null> {
    if (!secret || secret.length > 200) return null;
    const token = await this.db.repos.tokens.findActiveByHash(hashTokenSecret(secret), this.now());
    if (!token) return null;
    await this.touchThrottled(token.id);
    return { tokenId: token.id, sessionId: null, userId: token.ownerUserId, role: token.role, name: token.name };
  }

  async mint(by: Principal, request: MintRequest): Promise<{ token: ApiTokenEntity; secret: string }> {
    if (!canMint(request.role)) {
      throw new ForbiddenError(
        `Tokens with role "${request.role}" cannot be minted over the API; set VIGIL_ADMIN_TOKEN or run \`npx vigil admin-token --rotate\` on the server.`,
      );
    }
    if (request.liveness && request.role !== 'kiosk') throw new InvalidInputError('liveness applies to kiosk tokens only.');
    if (request.expiresAt && request.expiresAt.getTime() <= this.now().getTime()) {
      throw new InvalidInputError('expiresAt must be in the future');
    }
    const secret = generateTokenSecret();
    const ownerUserId = request.ownerUserId ?? by.userId;
    const token = await this.db.transaction(async (repos) => {
      if (ownerUserId) {
        const owner = await repos.users.findById(ownerUserId);
        if (!owner) throw new NotFoundError(`No user with id ${ownerUserId} to own the token.`);
        if (owner.disabledAt) throw new ConflictError(`User "${owner.username}" is disabled and cannot own a token.`);
      }
      const created = await repos.tokens.insert({
        name: request.name,
        role: request.role,
        tokenHash: hashTokenSecret(secret),
        source: 'minted',
        createdBy: by.tokenId,
        ownerUserId,
        expiresAt: request.expiresAt ?? null,
        liveness: defaultLiveness(request.role, request.liveness),
      });
      await repos.audit.append(actorOf(by), {
        action: 'token.mint',
        objectType: 'api_token',
        objectId: created.id,
        details: { role: created.role, ownerUserId, ...(created.role === 'kiosk' ? { liveness: created.liveness } : {}) },
      });
      return created;
    });
    return { token, secret };
  }

  /** Turns a kiosk token's liveness challenge on or off (audited); takes effect on its next check. */
  async setLiveness(by: Principal, id: string, liveness: LivenessMode): Promise<ApiTokenEntity> {
    return this.db.transaction(async (repos) => {
      const token = await repos.tokens.findById(id);
      if (!token) throw new NotFoundError(`No API token with id ${id}.`);
      if (token.role !== 'kiosk') throw new InvalidInputError(`liveness applies to kiosk tokens only; this token's role is "${token.role}".`);
      if (token.revokedAt) throw new ConflictError('This token is revoked.');
      if (token.liveness === liveness) return token;
      const updated = await repos.tokens.setLiveness(id, liveness);
      await repos.audit.append(actorOf(by), { action: 'token.liveness', objectType: 'api_token', objectId: id, details: { from: token.liveness, to: liveness } });
      return updated!;
    });
  }

  async revoke(by: Principal, id: string): Promise<ApiTokenEntity> {
    return this.db.transaction(async (repos) => {
      await repos.lock('vigil:admin-tokens');
      const token = await repos.tokens.findById(id);
      if (!token) throw new NotFoundError(`No API token with id ${id}.`);
      if (token.revokedAt) return token;
      if (token.role === 'admin' && (await repos.tokens.countActiveAdmins(this.now())) <= 1) {
        throw new ConflictError('This is the last active admin token; create another admin token before revoking it.');
      }
      const revoked = await repos.tokens.revoke(id, this.now());
      await repos.audit.append(actorOf(by), {
        action: 'token.revoke',
        objectType: 'api_token',
        objectId: id,
        details: { role: token.role },
      });
      return revoked!;
    });
  }

  /**
   * Makes sure an admin can get in. With VIGIL_ADMIN_TOKEN, that secret is an admin token (and a
   * previous, different env token stops working). Without it, the first start generates one and
   * returns it so the caller can print it once; later starts return null.
   * An advisory lock keeps two processes booting together from both generating one.
   */
  async ensureAdmin(envSecret: string | undefined): Promise<{ generated: string | null }> {
    return this.db.transaction(async (repos) => {
      await repos.lock('vigil:admin-tokens');
      if (envSecret) {
        const hash = hashTokenSecret(envSecret);
        await repos.tokens.revokeSourceExcept('env', hash, this.now());
        const existing = await repos.tokens.findActiveByHash(hash, this.now());
        if (!existing) {
          const token = await repos.tokens.insert({ name: 'admin (VIGIL_ADMIN_TOKEN)', role: 'admin', tokenHash: hash, source: 'env' });
          await repos.audit.append(actorOf(null), { action: 'token.bootstrap', objectType: 'api_token', objectId: token.id, details: { source: 'env' } });
        }
        return { generated: null };
      }
      if ((await repos.tokens.countActiveAdmins(this.now())) > 0) return { generated: null };
      const secret = generateTokenSecret();
      const token = await repos.tokens.insert({ name: `admin (generated ${this.now().toISOString()})`, role: 'admin', tokenHash: hashTokenSecret(secret), source: 'generated' });
      await repos.audit.append(actorOf(null), { action: 'token.bootstrap', objectType: 'api_token', objectId: token.id, details: { source: 'generated' } });
      return { generated: secret };
    });
  }

  /** Local recovery (CLI): revokes every admin token and issues a new one. */
  async rotateAdmin(): Promise<string> {
    const secret = generateTokenSecret();
    await this.db.transaction(async (repos) => {
      await repos.lock('vigil:admin-tokens');
      for (const t of await repos.tokens.list(false)) {
        if (t.role === 'admin') await repos.tokens.revoke(t.id, this.now());
      }
      const token = await repos.tokens.insert({ name: `admin (rotated ${this.now().toISOString()})`, role: 'admin', tokenHash: hashTokenSecret(secret), source: 'cli' });
      await repos.audit.append(actorOf(null), { action: 'token.rotate-admin', objectType: 'api_token', objectId: token.id });
    });
    return secret;
  }

  /** last_used_at is informative; writing it at most once a minute per token keeps reads cheap. */
  private async touchThrottled(id: string): Promise<void> {
    const now = this.now().getTime();
    const last = this.lastTouched.get(id) ?? 0;
    if (now - last < 60_000) return;
    this.lastTouched.set(id, now);
    await this.db.repos.tokens.touch(id, this.now());
  }
}
