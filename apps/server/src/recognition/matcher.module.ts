import { DynamicModule, Module } from '@nestjs/common';
import { ActiveModelVersion } from '../model-versions/active-model-version.service';
import { GalleryMatcher } from './gallery-matcher.service';

/** The in-memory gallery index and the active model version's thresholds, shared by camera recognition and the kiosk in one process. */
@Module({})
export class MatcherModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: MatcherModule, imports: [core], providers: [ActiveModelVersion, GalleryMatcher], exports: [ActiveModelVersion, GalleryMatcher] };
  }
}
