/**
 * Files Lantern ships beside its code (package.json, docs/, the portal's build in web/dist), found
 * from the package's root. The code runs from src/ (tsx, tests) or bundled into dist/cli/ (the
 * `lantern` command), at different depths, so the root is found by walking up to Lantern's own
 * package.json rather than by a fixed number of `..`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'lantern') return dir;
    if (dirname(dir) === dir) throw new Error(`Lantern's package.json was not found above ${fileURLToPath(import.meta.url)}`);
  }
}

/** The package's root directory. */
export const PACKAGE_ROOT = findRoot();

/** A path inside the package, e.g. `fromPackageRoot('docs', 'azure-clients.md')`. */
export function fromPackageRoot(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
