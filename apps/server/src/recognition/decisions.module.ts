import { DynamicModule, Module } from '@nestjs/common';
import { DecisionDispatcher } from './decision-dispatcher';
import { EvidenceImages } from './evidence-images';

/** One DecisionDispatcher per process, shared by the cameras and the kiosk (one cooldown). */
@Module({})
export class DecisionsModule {
  static register(deps: { core: DynamicModule; alertsCore: DynamicModule; attendanceCore: DynamicModule; reviewsCore: DynamicModule }): DynamicModule {
    return {
      module: DecisionsModule,
      imports: [deps.core, deps.alertsCore, deps.attendanceCore, deps.reviewsCore],
      providers: [EvidenceImages, DecisionDispatcher],
      exports: [DecisionDispatcher],
    };
  }
}
