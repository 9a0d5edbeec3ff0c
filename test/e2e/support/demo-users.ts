/**
 * The demo world of product.md seeded into a test Lantern, with its users signing in over HTTP
 * (the password grant of Lantern's token endpoint, as the az CLI's client) and service principals
 * with their client secrets: the tests act as these users do.
 */
import type { Services } from '../../../src/app/services.js';
import { seedDemoWorldInto, type DemoCredentials } from '../../../src/services/demo/demo-world.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const ARM = 'https://management.azure.com/.default';

export interface DemoUsers {
  readonly credentials: DemoCredentials;
  /** An access token for the demo user `upn` (e.g. `owner@fabrikam.example`), fresh from the token endpoint. */
  token(upn: string): Promise<string>;
  /** The object id of a demo user, group or service principal by UPN or display name. */
  objectId(name: string): string;
}

/** Seeds the demo world into `services` (a fresh database) and signs its users in against `baseUrl`. */
export async function seedDemoUsers(services: Services, baseUrl: string): Promise<DemoUsers> {
  const credentials = await seedDemoWorldInto(services);
  const tokens = new Map<string, string>();
  return {
    credentials,
    async token(upn) {
      const cached = tokens.get(upn);
      if (cached !== undefined) return cached;
      const user = credentials.users.find((u) => u.userPrincipalName === upn);
      const tenant = credentials.tenants.find((t) => t.name === user?.tenant);
      if (!user || !tenant) throw new Error(`no demo user ${upn}`);
      const form = { grant_type: 'password', client_id: AZURE_CLI, username: upn, password: user.password, scope: ARM };
      const res = await fetch(`${baseUrl}/${tenant.tenantId}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
      const body = (await res.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`sign-in of ${upn} failed: ${JSON.stringify(body)}`);
      tokens.set(upn, body.access_token);
      return body.access_token;
    },
    objectId(name) {
      const found =
        credentials.users.find((u) => u.userPrincipalName === name)?.objectId ??
        credentials.groups.find((g) => g.displayName === name)?.objectId ??
        credentials.servicePrincipals.find((s) => s.displayName === name)?.objectId;
      if (found === undefined) throw new Error(`no demo principal ${name}`);
      return found;
    },
  };
}
