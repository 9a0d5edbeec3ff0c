/**
 * Third-party data the tests read in place but Lantern cannot ship: the Azure-Lighthouse-samples
 * templates (LANTERN_SAMPLES_DIR, or `../shared/data/lighthouse-samples` beside the repository as
 * CI lays it out) and Azure's own `az role definition list` dump (LANTERN_SHARED_DATA, or
 * `../shared/data`). The suites that use them are conformance suites: they run when the files are
 * found and are reported as skipped, with one line saying how to get them, when not.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The shared data folder. */
export const SHARED_DATA = process.env.LANTERN_SHARED_DATA ?? resolve(repositoryRoot, '..', 'shared', 'data');
/** The 928 built-in roles as `az role definition list` prints them (dump shape). */
export const BUILTIN_ROLES_FILE = join(SHARED_DATA, 'azure-builtin-roles.json');
/** The Azure-Lighthouse-samples templates. */
export const LIGHTHOUSE_SAMPLES = process.env.LANTERN_SAMPLES_DIR ?? join(SHARED_DATA, 'lighthouse-samples');

/**
 * The `skip` option of a suite that needs the Lighthouse samples: false when they are found,
 * otherwise the one line that says how to get them.
 */
export const SKIP_WITHOUT_SAMPLES: string | false = existsSync(join(LIGHTHOUSE_SAMPLES, 'templates'))
  ? false
  : `conformance suite: Azure-Lighthouse-samples not found at ${LIGHTHOUSE_SAMPLES}; git clone https://github.com/Azure/Azure-Lighthouse-samples and set LANTERN_SAMPLES_DIR to run it`;

/**
 * The `skip` option of a suite that compares with Azure's own role dump: false when it is found,
 * otherwise the one line that says how to get it.
 */
export const SKIP_WITHOUT_ROLE_DUMP: string | false = existsSync(BUILTIN_ROLES_FILE)
  ? false
  : `conformance suite: Azure's role dump not found at ${BUILTIN_ROLES_FILE}; run 'az role definition list > azure-builtin-roles.json' there (or set LANTERN_SHARED_DATA) to run it`;
