import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { TokenRevocations } from './token-revocations';
import { TokensController } from './tokens.controller';

@Module({})
export class AuthModule {
  static register(core: DynamicModule): DynamicModule {
    return {
      module: AuthModule,
      imports: [core],
      controllers: [TokensController],
      providers: [TokenRevocations, { provide: APP_GUARD, useClass: AuthGuard }],
      exports: [TokenRevocations],
    };
  }
}
