#!/usr/bin/env node
// Compiles src/ to JavaScript in dist/, one module per file in the same layout (so a path relative to a
// module, such as the repository's data/, stays true), so the `lantern` command and the server start
// without compiling TypeScript on every run. Tests keep running the sources through tsx.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const out = join(root, 'dist');

const entryPoints = readdirSync(src, { recursive: true })
  .map((f) => join(src, String(f)))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts') && statSync(f).isFile());

const started = performance.now();
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints,
  outbase: src,
  outdir: out,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  bundle: false,
  sourcemap: 'linked',
  logLevel: 'warning',
});
// package.json maps `#core/*` to the TypeScript sources (for tsx and tsc); compiled modules import
// the compiled ones by relative path instead.
for (const file of entryPoints.map((f) => join(out, relative(src, f)).replace(/\.ts$/, '.js'))) {
  const code = readFileSync(file, 'utf8');
  if (!code.includes('"#core/')) continue;
  const toCore = relative(dirname(file), join(out, 'core')) || '.';
  writeFileSync(file, code.replaceAll(/(["'])#core\//g, (_, quote) => `${quote}${toCore.startsWith('.') ? toCore : `./${toCore}`}/`));
}
if (!process.argv.includes('--quiet')) console.log(`built ${entryPoints.length} modules into dist/ in ${Math.round(performance.now() - started)} ms`);
