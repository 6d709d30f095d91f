import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { RateLimitedError, RateLimiter } from '@vigil/domain';
import { allowanceKeyOf } from '@vigil/auth';
import { VIGIL_CONFIG } from '../core/core.module';
import type { AuthenticatedRequest } from '../auth/roles.decorator';
import { Metrics } from '../metrics/metrics';

/**
 * Per-kiosk-token rate limit of POST /api/kiosk/check (VIGIL_KIOSK_CHECKS_PER_MINUTE, burst
 * VIGIL_KIOSK_BURST). A guard, so it runs after authentication and before the upload is read:
 * a refused request costs neither the upload nor an inference. Per process: with several API
 * processes behind a balancer each keeps its own buckets.
 */
@Injectable()
export class KioskRateLimitGuard implements CanActivate {
  private readonly logger = new Logger('Kiosk');
  private readonly limiter: RateLimiter;

  constructor(@Inject(VIGIL_CONFIG) config: VigilConfig, private readonly metrics: Metrics) {
    this.limiter = new RateLimiter({ perMinute: config.kiosk.checksPerMinute, burst: config.kiosk.burst });
  }

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('KioskRateLimitGuard runs after authentication');
    const decision = this.limiter.take(allowanceKeyOf(principal), Date.now());
    if (decision.allowed) return true;
    this.metrics.kioskRefused.inc({ reason: 'rate_limited' });
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    this.logger.debug({ tokenId: principal.tokenId, retryAfterSeconds }, 'kiosk check refused: rate limit');
    throw new RateLimitedError(`This kiosk is sending checks too fast; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
