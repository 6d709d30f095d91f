import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `npm run build` puts the Vite build: dist/web, next to dist/apps. */
export const WEB_ROOT = path.resolve(__dirname, '../../../../web');

/** Paths that belong to the API, the socket endpoint and Prometheus: never answered with the app. */
const RESERVED = /^\/(api|socket\.io|metrics)(\/|$)/;

/**
 * The consoles load only their own bundled files and talk only to this origin (no fonts, scripts
 * or images from elsewhere); the browser enforces it. Camera frames and stored images become
 * blob: URLs (the media routes need the bearer token, which an <img src> cannot send).
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the web consoles (apps/web, built to dist/web) at `/`: hashed assets with a long cache,
 * and index.html for every other GET that is not an API, socket or metrics path, so `/kiosk`,
 * `/review/metrics` and the like survive a reload. These are plain express handlers in front of
 * Nest's router: the files are public, and everything they show comes from the guarded API.
 */
export function serveWebApp(app: NestExpressApplication, root = WEB_ROOT): void {
  const logger = new Logger('Web');
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`web consoles not built (${index} missing); run \`npm run build\``);
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (!isPage(req)) return next();
      res.status(404).type('text/plain').send('The web consoles are not built. Run `npm run build` and restart.\n');
    });
    return;
  }
  const pageHeaders = (res: Response) => {
    res.setHeader('Content-Security-Policy', WEB_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
  };
  // Source maps are not built for the consoles (vite build.sourcemap: false); one left in the
  // folder by a development build is still never served: they would publish the source.
  app.use('/assets', (req: Request, res: Response, next: NextFunction) => {
    if (!/\.map$/i.test(req.path)) return next();
    res.status(404).type('text/plain').send('Not found\n');
  });
  // Only the hashed bundle folder is served as files, so nothing on disk can shadow an API path.
  app.useStaticAssets(path.join(root, 'assets'), {
    prefix: '/assets',
    index: false,
    redirect: false,
    fallthrough: true,
    immutable: true,
    maxAge: '365d',
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!isPage(req)) return next();
    pageHeaders(res);
    res.sendFile(index, (error) => error && next(error));
  });
  logger.log(`web consoles served from ${root}`);
}

/** A browser asking for a page: GET/HEAD, not a reserved path, no file extension, accepts HTML. */
function isPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (RESERVED.test(req.path)) return false;
  if (/\.[a-z0-9]+$/i.test(req.path)) return false;
  return Boolean(req.accepts('html'));
}
