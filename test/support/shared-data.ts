/**
 * Where the tests and the benchmark read the shared data in place: `../shared/data` beside the
 * repository (as the work area and CI lay it out), or LANTERN_SHARED_DATA.
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The shared data folder. */
export const SHARED_DATA = process.env.LANTERN_SHARED_DATA ?? resolve(repositoryRoot, '..', 'shared', 'data');
/** The 928 built-in roles as `az role definition list` prints them (dump shape). */
export const BUILTIN_ROLES_FILE = join(SHARED_DATA, 'azure-builtin-roles.json');
/** The Azure-Lighthouse-samples templates. */
export const LIGHTHOUSE_SAMPLES = join(SHARED_DATA, 'lighthouse-samples');
