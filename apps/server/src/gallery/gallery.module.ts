import { DynamicModule, Module } from '@nestjs/common';
import { EnrolmentService } from './enrolment.service';
import { FacesController } from './faces.controller';
import { MediaController } from './media.controller';

@Module({})
export class GalleryModule {
  static register(core: DynamicModule, inference: DynamicModule): DynamicModule {
    return { module: GalleryModule, imports: [core, inference], controllers: [FacesController, MediaController], providers: [EnrolmentService], exports: [EnrolmentService] };
  }
}
