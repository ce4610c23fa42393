import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LABELER_API_CONFIG, type LabelerApiConfig } from '../labeler-api.config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { FirstAdminService } from './first-admin.service';
import { PlotAccessService } from './plot-access.service';
import { TokenController } from './tokens/token.controller';
import { TokenRepository } from './tokens/token.repository';
import { TokenService } from './tokens/token.service';
import { UserController } from './users/user.controller';
import { UserRepository } from './users/user.repository';
import { UserService } from './users/user.service';

/** Accounts, sessions, tokens and the guard that closes every route that does not open itself. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: LabelerApiConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.auth.loginAttemptsPerMinute }])],
      controllers: [AuthController, UserController, TokenController],
      providers: [
        AuthRepository,
        AuthService,
        PlotAccessService,
        UserRepository,
        UserService,
        TokenRepository,
        TokenService,
        FirstAdminService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: LABELER_API_CONFIG, useValue: config },
      ],
      exports: [AuthService, PlotAccessService, LABELER_API_CONFIG],
    };
  }
}
