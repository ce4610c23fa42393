import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Paths that are never the web app's, even for a browser asking for HTML. */
const SERVER_PATHS = /^\/(api|socket\.io|health|metrics|objects)(\/|$)/;

/**
 * Serves the built web app from `webDir`: hashed assets cached for a year, every other page path
 * answered with index.html so the app's router takes it (a reload on /labeler works).
 */
export function serveWebApp(app: NestExpressApplication, webDir: string): void {
  const root = resolve(webDir);
  const index = join(root, 'index.html');
  if (!existsSync(index))
    throw new Error(`WEB_DIR ${root} has no index.html: build the web app (npm run build -w @hydra/web)`);
  app.useStaticAssets(root, {
    index: false,
    setHeaders: (response, path) =>
      response.setHeader(
        'Cache-Control',
        path.includes(`${root}/assets/`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path))
      return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
