import { DynamicModule, Module } from '@nestjs/common';
import { GalleryMatcher } from './gallery-matcher.service';

/** The in-memory gallery index, shared by camera recognition and the kiosk in one process. */
@Module({})
export class MatcherModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: MatcherModule, imports: [core], providers: [GalleryMatcher], exports: [GalleryMatcher] };
  }
}
