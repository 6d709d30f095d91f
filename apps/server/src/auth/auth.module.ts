import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthController } from './auth.controller';
import { TokensController } from './tokens.controller';
import { UsersController } from './users.controller';

@Module({})
export class AuthModule {
  static register(core: DynamicModule): DynamicModule {
    return {
      module: AuthModule,
      imports: [core],
      controllers: [AuthController, UsersController, TokensController],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
