import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthController } from './auth.controller';
import { SocketRevocation } from './socket-revocation';
import { TokensController } from './tokens.controller';
import { UsersController } from './users.controller';

@Module({})
export class AuthModule {
  /** `realtime` (api processes): live sockets are cut when their token or session stops working. */
  static register(core: DynamicModule, realtime?: DynamicModule): DynamicModule {
    return {
      module: AuthModule,
      imports: realtime ? [core, realtime] : [core],
      controllers: [AuthController, UsersController, TokensController],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }, ...(realtime ? [SocketRevocation] : [])],
    };
  }
}
