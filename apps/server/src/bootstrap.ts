import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { FirstAdminSetup, TokenIssuer } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import { AppModule } from './app.module';
import { ensureInitialModelVersion } from './model-versions/initial-version';
import { DomainExceptionFilter } from './platform/exception.filter';
import { setupOpenApi } from './platform/openapi';
import { createValidationPipe } from './platform/validation';
import { serveWebApp } from './web/web-app';

export interface RunningServer {
  app: INestApplication;
  database: Database;
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  /** Set only on the first start without VIGIL_ADMIN_TOKEN: the one time it can be shown. */
  generatedAdminToken: string | null;
  /** Set while no administrator account can sign in: the one-time code of the setup link. */
  setupCode: string | null;
  close(): Promise<void>;
}

/**
 * Opens the database (taking the embedded lock and migrating), makes sure an admin token exists,
 * then builds and starts the Nest application. Used by main.ts and by the end-to-end tests.
 */
export async function startServer(config: VigilConfig): Promise<RunningServer> {
  const database = await Database.open(config.database);
  let app: INestApplication | undefined;
  try {
    const { generated } = await new TokenIssuer(database).ensureAdmin(config.adminToken);
    const setupCode = config.roles.includes('api') ? await new FirstAdminSetup(database).issueCodeIfNeeded() : null;
    await ensureInitialModelVersion(database);
    app = await NestFactory.create(AppModule.register(config, database), { bufferLogs: true, abortOnError: false });
    app.useLogger(app.get(Logger));
    app.setGlobalPrefix('api', { exclude: ['metrics'] });
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new DomainExceptionFilter());
    app.getHttpAdapter().getInstance().disable('x-powered-by');
    // Behind a reverse proxy: client address (sign-in throttle, audit) and HTTPS (Secure cookie) from X-Forwarded-*.
    if (config.trustProxy !== undefined) app.getHttpAdapter().getInstance().set('trust proxy', config.trustProxy);
    setupOpenApi(app, config.version);
    // Longer than clients' and proxies' idle timeouts (undici: 4 s, most load balancers: 60 s), so
    // the server never closes a kept-alive connection a client is just about to reuse (ECONNRESET).
    const http = app.getHttpServer() as import('node:http').Server;
    http.keepAliveTimeout = 65_000;
    http.headersTimeout = 66_000;
    if (config.roles.includes('api')) serveWebApp(app as NestExpressApplication);
    await app.listen(config.port, config.host);
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const running = app;
    let closing: Promise<void> | undefined;
    return {
      app,
      database,
      port,
      url: `http://${host}:${port}`,
      generatedAdminToken: generated,
      setupCode,
      close: () => (closing ??= running.close()),
    };
  } catch (error) {
    if (app) await app.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}
