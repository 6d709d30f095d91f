import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { TokensController } from './tokens.controller';

@Module({})
export class AuthModule {
  static register(core: DynamicModule): DynamicModule {
    return {
      module: AuthModule,
      imports: [core],
      controllers: [TokensController],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
