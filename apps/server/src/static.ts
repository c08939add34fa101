/**
 * Serves the built web app (apps/web/dist) under a path prefix: files only from inside the
 * folder, with their content types; a missing build is a clear page, not a crash.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.sf3': 'application/octet-stream',
};

/** Answers a GET for `prefix/...` from `root`; returns false when the path is not under `prefix`. */
export function serveStatic(
  root: string,
  prefix: string,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === prefix) {
    res.writeHead(301, { location: `${prefix}/` }).end();
    return true;
  }
  if (!url.pathname.startsWith(`${prefix}/`)) return false;
  if (!existsSync(join(root, 'index.html'))) {
    res
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      .end(
        'The web app is not built yet: run `npm run build -w @attune/web` (npm start does this for you).\n',
      );
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice(prefix.length + 1)) || 'index.html';
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad path\n');
    return true;
  }
  const file = normalize(join(root, relative));
  // Only files inside the built app: "..", encoded or not, cannot climb out of it.
  if (!file.startsWith(root + sep) || relative.includes('\0')) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return true;
  }
  const info = statSync(file, { throwIfNoEntry: false });
  if (!info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return true;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  // Hashed assets never change; the page and the sounds are checked on each visit.
  const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { 'content-type': type, 'content-length': info.size, 'cache-control': cache });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
  return true;
}
