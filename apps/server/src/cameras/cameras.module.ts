import { DynamicModule, Module } from '@nestjs/common';
import { CamerasController } from './cameras.controller';
import { CamerasService } from './cameras.service';
import { LiveViewsUnavailableController } from './live-unavailable.controller';

@Module({})
export class CamerasModule {
  /** `liveViews`: whether this process runs the cameras too (then RecognitionModule serves the live views). */
  static register(core: DynamicModule, options: { liveViews: boolean }): DynamicModule {
    const controllers = options.liveViews ? [CamerasController] : [CamerasController, LiveViewsUnavailableController];
    return { module: CamerasModule, imports: [core], controllers, providers: [CamerasService] };
  }
}
