import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { parseBearer, TokenIssuer } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { ForbiddenError, UnauthenticatedError } from '@vigil/domain';
import { VIGIL_CONFIG } from '../core/core.module';

/**
 * GET /metrics answers Prometheus only: the bearer must be VIGIL_METRICS_TOKEN (what the scrape
 * config sends, README "Monitoring") or an admin token. The route is @Public() to the global guard
 * because a metrics token is no API token; this guard is its lock instead.
 */
@Injectable()
export class MetricsAuthGuard implements CanActivate {
  constructor(@Inject(VIGIL_CONFIG) private readonly config: VigilConfig, private readonly tokens: TokenIssuer) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const secret = parseBearer(request.headers.authorization);
    if (!secret) {
      throw new UnauthenticatedError('GET /metrics needs "Authorization: Bearer <VIGIL_METRICS_TOKEN>" (or an admin token); see README "Monitoring" for the Prometheus scrape config.');
    }
    if (this.config.metricsToken && sameSecret(secret, this.config.metricsToken)) return true;
    const principal = await this.tokens.verify(secret);
    if (!principal) {
      throw new UnauthenticatedError('The bearer token is neither VIGIL_METRICS_TOKEN nor a valid API token.');
    }
    if (principal.role !== 'admin') {
      throw new ForbiddenError(`GET /metrics needs VIGIL_METRICS_TOKEN or an admin token; your token has role ${principal.role}.`);
    }
    return true;
  }
}

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
