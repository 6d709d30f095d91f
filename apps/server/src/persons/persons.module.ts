import { DynamicModule, Module } from '@nestjs/common';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';

@Module({})
export class PersonsModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: PersonsModule, imports: [core], controllers: [PersonsController], providers: [PersonsService] };
  }
}
