/**
 * The studio's entry point. For now it serves a page that says what Attune can already do;
 * the live rooms, console and records arrive with the live-sessions work.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './static.ts';
import { statusPage } from './status-page.ts';

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a whole number from 0 to 65535, got: ${process.env.PORT}`);
  process.exit(1);
}
const dataDir = resolve(process.env.ATTUNE_DATA ?? './data');
mkdirSync(dataDir, { recursive: true });

const webApp = resolve(
  process.env.ATTUNE_WEB ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist'),
);

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res
      .writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' })
      .end('Method not allowed\n');
    return;
  }
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  if (serveStatic(webApp, '/play', req, res)) return;
  if (req.url !== '/' && req.url !== '/index.html') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(statusPage());
});

server.listen(port, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log(`Attune is running on http://localhost:${actual} (data in ${dataDir})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
