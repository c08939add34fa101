/**
 * Serves the built web app (ATTUNE_WEB, by default apps/web/dist) at `/`. A file of the build is
 * served as it is: hashed assets under `assets/` are cached for a year, everything else is checked
 * on each visit. Any other GET outside the API that does not name a file (`/console/abc`,
 * `/join/K7QX2M`) gets the app's index.html, so the app's own router takes it from there.
 * `/play/` (solo play's old address) redirects to `/solo`. Without a build, pages say how to make
 * one instead of failing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, isApiPath } from './http/errors.ts';
import { statusPage } from './status-page.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Whether a path's last segment names a file (has an extension), as asset requests do. */
function namesFile(path: string): boolean {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.includes('.');
}

/** Serves the web app from `webDir`, and the answers for what it does not hold. */
export async function serveWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    wildcard: true,
    cacheControl: false,
    dotfiles: 'deny',
    // index.html goes through the fallback below, so it always carries no-cache.
    index: false,
    setHeaders(reply, path) {
      reply.header('cache-control', path.startsWith(join(webDir, 'assets')) ? IMMUTABLE : 'no-cache');
    },
  });

  const redirectToSolo = (_request: FastifyRequest, reply: FastifyReply) => reply.redirect('/solo', 301);
  app.get('/play', redirectToSolo);
  app.get('/play/*', redirectToSolo);

  const appPage = (reply: FastifyReply) => {
    if (!existsSync(join(webDir, 'index.html'))) {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(statusPage());
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };
  app.get('/', (_request, reply) => appPage(reply));

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (isApiPath(path) || path === '/healthz') {
      return reply
        .code(404)
        .send(errorBody('not-found', `There is no ${request.method} ${path} in the studio's API.`));
    }
    if (path === '/ws' || path.startsWith('/ws/')) {
      return reply
        .code(426)
        .header('upgrade', 'websocket')
        .send(errorBody('upgrade-required', 'Connect to /ws with a WebSocket.'));
    }
    if ((request.method !== 'GET' && request.method !== 'HEAD') || namesFile(path)) {
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    }
    if (!existsSync(join(webDir, 'index.html'))) {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(statusPage());
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
