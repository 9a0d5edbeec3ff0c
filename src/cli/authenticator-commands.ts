/**
 * `lantern authenticator remove USER`: the operator's way to remove a user's TOTP authenticator
 * when the phone is lost (users remove their own over HTTP, `DELETE /lantern/me/authenticator`,
 * with a sign-in that passed it). Runs against the configured database, beside a running server
 * or not: sign-in reads the authenticator from the database each time.
 */
import type { LanternConfig } from '../app/config.js';
import { composeServices } from '../app/compose.js';
import { openConfiguredStore } from '../app/server.js';
import { isGuid } from '../core/guid.js';
import { CliError } from './cli-errors.js';

export const AUTHENTICATOR_USAGE = `Usage: lantern authenticator remove USER [options]

Removes the TOTP authenticator of USER (a user principal name or object id) in the configured
database, for a user who lost the phone: the user then signs in with the password alone and may
enrol again. Users manage their own over HTTP (docs/azure-clients.md, "Interactive sign-in").
`;

/** `lantern authenticator remove USER` against the configured database. */
export async function runAuthenticatorRemove(user: string, config: LanternConfig): Promise<number> {
  const store = await openConfiguredStore(config);
  try {
    const { identity } = await composeServices(config, store);
    const found = isGuid(user) ? await store.identity.getUser(user) : await store.identity.findUserByUpn(user);
    if (found === undefined) throw new CliError(`No user '${user}' in this database: give a user principal name (alice@contoso.example) or an object id.`);
    await identity.authenticators.remove(found.id);
    process.stdout.write(`Removed the authenticator of ${found.userPrincipalName}: the next sign-in asks for the password only.\n`);
    return 0;
  } finally {
    await store.close();
  }
}
