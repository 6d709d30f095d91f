import { DynamicModule, Module } from '@nestjs/common';
import { InferenceService } from './inference.service';

@Module({})
export class InferenceModule {
  static register(core: DynamicModule, metrics: DynamicModule): DynamicModule {
    return { module: InferenceModule, imports: [core, metrics], providers: [InferenceService], exports: [InferenceService] };
  }
}
