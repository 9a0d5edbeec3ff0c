#!/usr/bin/env node
// Bundles the `lantern` command (src/cli/main.ts) with the packages it uses into dist/cli/, split at
// its lazy imports (so `lantern --version` loads little and `serve` loads the server once), so the
// command and the server start without compiling TypeScript or resolving hundreds of small modules
// on every run. Tests keep running the sources through tsx.
// Then builds the portal (web/, React + Fluent UI) with Vite into web/dist, which the server serves at
// `/`, and checks the JavaScript the page loads first against its budget.
// With --if-changed (npm start, npm run lantern) a part whose output is newer than all its inputs is
// not built again, so a start on an unchanged checkout goes straight to the server.
// With --server-only the portal is left out (a copy of the server built elsewhere, as the crash tests make).
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const out = join(root, 'dist');

const ifChanged = process.argv.includes('--if-changed');
const STAMP = '.built';

// The newest modification time under `paths` (files, or directories walked whole, build output left out).
function newest(paths) {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (!stat.isDirectory()) {
      latest = Math.max(latest, stat.mtimeMs);
      continue;
    }
    for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
      const full = join(entry.parentPath ?? entry.path, entry.name);
      if (entry.isFile() && !full.includes('/dist/') && !full.includes('/node_modules/')) latest = Math.max(latest, statSync(full).mtimeMs);
    }
  }
  return latest;
}

// Whether `outDir` was built (its stamp written) after every input last changed.
function upToDate(outDir, inputs) {
  const stamp = join(outDir, STAMP);
  return ifChanged && existsSync(stamp) && statSync(stamp).mtimeMs > newest(inputs);
}

const serverInputs = [src, join(root, 'data'), join(root, 'package.json'), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)];
// Left to Node at run time: native addons, packages that read their own files or patch globals, and tools.
const EXTERNAL = ['better-sqlite3', '@node-rs/argon2', '@peculiar/x509', 'reflect-metadata', '@fastify/swagger-ui', 'pg-native', 'esbuild', 'vite', 'tsx', 'typescript'];

const quiet = process.argv.includes('--quiet');
const started = performance.now();
if (!upToDate(out, serverInputs)) {
  rmSync(out, { recursive: true, force: true });
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(src, 'cli', 'main.ts')],
    outdir: join(out, 'cli'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    bundle: true,
    splitting: true,
    external: EXTERNAL,
    // Bundled CommonJS packages call require() on Node's own modules.
    banner: { js: "import { createRequire as lanternCreateRequire } from 'node:module'; const require = lanternCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(out, STAMP), '');
  if (!quiet) console.log(`bundled ${Object.keys(result.metafile.inputs).length} modules into dist/cli/ in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv.includes('--server-only')) process.exit(0);

// The portal. Its initial JavaScript is what index.html loads (the entry and its preloaded chunks).
const INITIAL_JS_BUDGET = 300 * 1024;
const web = join(root, 'web');
const webOut = join(web, 'dist');
// The portal shares the core's view types and rules.
if (upToDate(webOut, [web, join(src, 'core'), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)])) process.exit(0);
const webStarted = performance.now();
const { build: viteBuild } = await import('vite');
await viteBuild({ root: web, configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
const html = readFileSync(join(web, 'dist', 'index.html'), 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((m) => m[1]);
const gzipped = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(web, 'dist', file))).length, 0);
const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
if (!quiet || gzipped > INITIAL_JS_BUDGET) {
  console.log(`built the portal into web/dist/ in ${Math.round(performance.now() - webStarted)} ms: initial JavaScript ${kB(gzipped)} gzipped (${initial.length} file${initial.length === 1 ? '' : 's'}; budget ${kB(INITIAL_JS_BUDGET)})`);
}
if (gzipped > INITIAL_JS_BUDGET) {
  console.error('the portal\'s initial JavaScript is over its budget: load the rest lazily (import()) or drop a dependency');
  process.exit(1);
}
writeFileSync(join(webOut, STAMP), '');
