import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, Role, UnauthenticatedError } from '@vigil/domain';
import { ConsoleSessions, TokenIssuer } from '@vigil/auth';
import { principalOf } from './request-credentials';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * Global guard: authenticates the bearer token or the console's session cookie (with its CSRF
 * check) and checks the route's declared roles. Fails closed — a route that declares neither
 * roles nor @Public() is refused at run time, and a test walks the route table so such a route never ships.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly tokens: TokenIssuer, private readonly sessions: ConsoleSessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // sockets authenticate in the io.use() middleware
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) {
      throw new ForbiddenError('This route declares no role and is closed. (A server bug: please report it.)');
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { method: string; headers: Record<string, string | string[] | undefined> }>();
    const principal = await principalOf(request, this.tokens, this.sessions);
    if (!principal) {
      throw new UnauthenticatedError('Sign in, or send a token as "Authorization: Bearer <token>".');
    }
    request.principal = principal;
    if (!roles.includes(principal.role)) {
      throw new ForbiddenError(`This action needs role ${roles.join(' or ')}; you have role ${principal.role}.`);
    }
    return true;
  }
}
