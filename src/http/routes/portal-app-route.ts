/**
 * Lantern's portal, the single-page app built into `web/dist` by `npm run build`, served at `/`: the
 * page itself at `/` and at every path under `/portal/` (the app's own routes, so a reload or a shared
 * link lands on the same view), its hashed build files under `/assets/` (cached for a year: a new
 * build has new names), and the few other files at the top of the build. Nothing else falls back to
 * the page: an API path that matches no route keeps its plane's 404 envelope. The files are read once
 * at start (the build is small) and kept gzipped beside.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fromPackageRoot } from '../../app/package-root.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where the build lands. */
export const WEB_BUILD_DIR = fromPackageRoot('web', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.txt']);
const YEAR = 'public, max-age=31536000, immutable';
// The page loads only its own files (offer logos come through the API as blobs); Fluent UI writes its
// styles at run time (style elements), so inline styles are allowed, scripts never.
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
  + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

interface BuiltFile {
  readonly body: Buffer;
  readonly gzipped?: Buffer;
  readonly type: string;
  readonly etag: string;
}

function load(path: string): BuiltFile {
  const body = readFileSync(path);
  const ext = extname(path).toLowerCase();
  return {
    body,
    ...(COMPRESSIBLE.has(ext) && body.length > 512 ? { gzipped: gzipSync(body) } : {}),
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

function send(request: FastifyRequest, reply: FastifyReply, file: BuiltFile, cacheControl: string): FastifyReply {
  void reply.header('content-type', file.type).header('cache-control', cacheControl).header('etag', file.etag)
    .header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
  const gzip = file.gzipped !== undefined && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (gzip) void reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? file.gzipped : file.body);
}

function sendPage(request: FastifyRequest, reply: FastifyReply, page: BuiltFile): FastifyReply {
  void reply.header('content-security-policy', PAGE_POLICY).header('x-frame-options', 'DENY').header('referrer-policy', 'same-origin');
  // Revalidated on every load, so a new build is picked up at once.
  return send(request, reply, page, 'no-cache');
}

/** Registers the portal's routes; without a build, `/` says how to make one. */
export function registerPortalApp(app: FastifyInstance, buildDir = WEB_BUILD_DIR): void {
  const indexPath = join(buildDir, 'index.html');
  if (!existsSync(indexPath)) {
    const notBuilt = 'Lantern\'s portal is not built: run `npm run build` (the API, its OpenAPI document at /openapi.json and /docs work without it).\n';
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.status(503).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(notBuilt));
    return;
  }
  const page = load(indexPath);
  const files = new Map<string, BuiltFile>();
  for (const name of readdirSync(buildDir, { recursive: true }).map(String)) {
    const path = join(buildDir, name);
    if (name !== 'index.html' && statSync(path).isFile()) files.set(`/${relative(buildDir, path).split(sep).join('/')}`, load(path));
  }
  const pageRoute = (request: FastifyRequest, reply: FastifyReply) => sendPage(request, reply, page);
  app.get('/', { schema: { hide: true } }, pageRoute);
  app.get('/portal', { schema: { hide: true } }, pageRoute);
  app.get('/portal/*', { schema: { hide: true } }, pageRoute);
  for (const [path, file] of files) {
    if (!path.startsWith('/assets/')) app.get(path, { schema: { hide: true } }, (request, reply) => send(request, reply, file, 'public, max-age=3600'));
  }
  // Hashed names: one wildcard route, and a name not in the build is the plain 404 of every other path.
  app.get<{ Params: { '*': string } }>('/assets/*', { schema: { hide: true } }, (request, reply) => {
    const file = files.get(`/assets/${request.params['*']}`);
    if (file) return send(request, reply, file, YEAR);
    return reply.callNotFound();
  });
}
