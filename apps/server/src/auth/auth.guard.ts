import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, Role, UnauthenticatedError } from '@vigil/domain';
import { parseBearer, TokenIssuer } from '@vigil/auth';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * Global guard: authenticates the bearer token and checks the route's declared roles.
 * Fails closed — a route that declares neither roles nor @Public() is refused at run time,
 * and a test walks the route table so such a route never ships.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly tokens: TokenIssuer) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // sockets authenticate in the io.use() middleware
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) {
      throw new ForbiddenError('This route declares no role and is closed. (A server bug: please report it.)');
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, string | string[] | undefined> }>();
    const secret = parseBearer(request.headers.authorization);
    if (!secret) {
      throw new UnauthenticatedError('Missing bearer token: send "Authorization: Bearer <token>".');
    }
    const principal = await this.tokens.verify(secret);
    if (!principal) {
      throw new UnauthenticatedError('The bearer token is unknown, revoked or expired; ask an administrator for a new one.');
    }
    request.principal = principal;
    if (!roles.includes(principal.role)) {
      throw new ForbiddenError(`This action needs role ${roles.join(' or ')}; your token has role ${principal.role}.`);
    }
    return true;
  }
}
