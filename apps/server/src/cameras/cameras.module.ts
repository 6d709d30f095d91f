import { DynamicModule, Module } from '@nestjs/common';
import { CamerasController } from './cameras.controller';
import { CamerasService } from './cameras.service';

@Module({})
export class CamerasModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: CamerasModule, imports: [core], controllers: [CamerasController], providers: [CamerasService] };
  }
}
