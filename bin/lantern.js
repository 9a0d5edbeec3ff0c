#!/usr/bin/env node
// The `lantern` command: runs the compiled JavaScript in dist/ (built by `npm install` through
// `prepare`, by `npm start`, or by `npm run build`). A checkout that was never built is built once here.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('lantern: compiling to dist/ once (npm run build does it ahead of time)\n');
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url)), '--quiet'], { stdio: 'inherit' });
}
await import(main.href);
