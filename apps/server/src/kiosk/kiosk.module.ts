import { DynamicModule, Module } from '@nestjs/common';
import { KioskController } from './kiosk.controller';
import { KioskRateLimitGuard } from './kiosk-rate-limit.guard';
import { KioskService } from './kiosk.service';
import { KioskLivenessService } from './kiosk-liveness.service';

@Module({})
export class KioskModule {
  static register(deps: { core: DynamicModule; inference: DynamicModule; matcher: DynamicModule; decisions: DynamicModule; metrics: DynamicModule }): DynamicModule {
    return {
      module: KioskModule,
      imports: [deps.core, deps.inference, deps.matcher, deps.decisions, deps.metrics],
      controllers: [KioskController],
      providers: [KioskService, KioskLivenessService, KioskRateLimitGuard],
    };
  }
}
