/**
 * `lantern operator …`: the platform operator's commands. `bootstrap` makes the first operator of a
 * deployment against the database directly (no one can sign in as an operator before it); every
 * other command is a client of the running server's operator plane (`/providers/Lantern.Operator`),
 * signed in as an operator's service principal, so the engine authorizes it like any other call.
 */
import { loadConfig, type LanternConfig } from '../app/config.js';
import { composeServices } from '../app/compose.js';
import { OPERATOR_SCOPE } from '../core/rbac/operator-scope.js';
import { systemContext } from '../services/context.js';
import { parseArgs, type ParsedArgs } from './cli-args.js';
import { CliError, describeFailure, UsageError } from './cli-errors.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, LanternClient } from './lantern-client.js';
import { withServerStopped } from './offline-store.js';
import type { CliIo } from './offer-commands.js';

export const OPERATOR_USAGE = `Usage:
  lantern operator bootstrap [--tenant ID | --name NAME --domain DOMAIN] [--json] [options]
      The first platform operator of a deployment that has none: a service principal (in tenant ID, or in a
      new tenant, default "Lantern Operators", operators.lantern) whose client secret is printed once.
      Works on the database directly; refused while a server serves it and once any operator exists.
  lantern operator list                                   The platform operators.
  lantern operator grant PRINCIPAL_ID                      Grant the operator role to a user or service principal.
  lantern operator revoke PRINCIPAL_ID                     Revoke it (the principal's next request is refused).
  lantern operator tenant list
  lantern operator tenant create DOMAIN --name NAME [--id GUID]
  lantern operator user create TENANT_ID UPN --name NAME [--password PASSWORD]
                                                          The password is generated when not given; printed once.
  lantern operator group create TENANT_ID --name NAME
  lantern operator group add-member TENANT_ID GROUP_ID MEMBER_ID
  lantern operator sp create TENANT_ID --name NAME        A service principal and its client secret (printed once).
  lantern operator subscription create TENANT_ID --name NAME [--id GUID] [--owner PRINCIPAL_ID]
                                                          --owner: a principal of the tenant made its Owner.
Every command but bootstrap calls the running server as a platform operator:
  ${CONNECTION_USAGE}
Created objects are printed as JSON.
`;

const API = 'api-version=2026-12-01';
const TENANTS = `${OPERATOR_SCOPE}/tenants`;
const OPERATORS = `${OPERATOR_SCOPE}/operators`;
const DEFAULT_TENANT = { name: 'Lantern Operators', domain: 'operators.lantern' };

/** What `bootstrap` prints: how to sign in as the first operator. */
export interface BootstrapCredentials {
  readonly url: string;
  readonly tenantId: string;
  readonly tenantDomain: string;
  readonly objectId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Makes the first platform operator: a service principal with a client secret, in an existing or a new tenant. */
export async function bootstrapOperator(config: LanternConfig, input: { tenantId?: string; name: string; domain: string }): Promise<BootstrapCredentials> {
  const whileServing = "the first operator must be made while no server serves the database (a running server's authorization engine would not know it until it restarts). Stop the server, run 'lantern operator bootstrap' again, then start the server.";
  return withServerStopped(config, whileServing, async (store) => {
    const services = await composeServices(config, store);
    try {
      const ctx = systemContext(services.ids);
      const { directory } = services.identity;
      let made: Omit<BootstrapCredentials, 'url'> | undefined;
      // The service checks that no operator exists before this makes anything.
      await services.operators.bootstrap(ctx, async () => {
        const tenant = input.tenantId === undefined
          ? await directory.createTenant({ displayName: input.name, defaultDomain: input.domain })
          : await directory.getTenant(input.tenantId);
        if (tenant === undefined) throw new CliError(`--tenant ${input.tenantId ?? ''}: no tenant has this id.`);
        const { servicePrincipal: sp, clientSecret } = await services.directoryAdmin.createServicePrincipal(ctx, tenant.id, { displayName: 'lantern-operator' });
        made = { tenantId: tenant.id, tenantDomain: tenant.defaultDomain, objectId: sp.id, clientId: sp.appId, clientSecret: clientSecret.value };
        return sp.id;
      });
      return { url: config.publicUrl, ...(made as Omit<BootstrapCredentials, 'url'>) };
    } finally {
      await services.marketplace.stop();
    }
  });
}

function describeBootstrap(c: BootstrapCredentials): string {
  return `Lantern's first platform operator is the service principal lantern-operator (object id ${c.objectId})
in tenant ${c.tenantDomain} (${c.tenantId}). Its client secret is shown this once; Lantern keeps only its hash.

  export LANTERN_URL=${c.url}
  export LANTERN_TENANT=${c.tenantId}
  export LANTERN_CLIENT_ID=${c.clientId}
  export LANTERN_CLIENT_SECRET='${c.clientSecret}'

Then, with the server running: lantern operator list; lantern operator grant PRINCIPAL_ID (docs/operations.md).
`;
}

async function bootstrap(args: readonly string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, { values: ['--tenant', '--name', '--domain'], switches: ['--json'], config: true });
  if (p.positionals.length > 0) throw new UsageError(`operator bootstrap takes no arguments (got '${p.positionals.join(' ')}')`);
  const tenantId = p.flags.get('--tenant');
  if (tenantId !== undefined && (p.flags.has('--name') || p.flags.has('--domain'))) throw new UsageError('--tenant names an existing tenant: --name and --domain are for a new one');
  const credentials = await bootstrapOperator(loadConfig(p.config, io.env), {
    ...(tenantId === undefined ? {} : { tenantId }),
    name: p.flags.get('--name') ?? DEFAULT_TENANT.name,
    domain: p.flags.get('--domain') ?? DEFAULT_TENANT.domain,
  });
  io.out(p.switches.has('--json') ? `${JSON.stringify(credentials, null, 2)}\n` : describeBootstrap(credentials));
  return 0;
}

function required(p: ParsedArgs, flag: string, command: string): string {
  const value = p.flags.get(flag);
  if (value === undefined) throw new UsageError(`${command} needs ${flag}`);
  return value;
}

function positionals(p: ParsedArgs, count: number, command: string, names: string): string[] {
  if (p.positionals.length !== count) throw new UsageError(`${command} needs ${names}`);
  return p.positionals;
}

/** The remote commands: one call of the operator plane each, its answer printed as JSON. */
async function remote(words: readonly string[], args: readonly string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, { values: [...CONNECTION_FLAGS, '--name', '--id', '--password', '--owner'] });
  const command = `operator ${words.join(' ')}`;
  const client = LanternClient.from(p.flags, io.env);
  const show = (value: unknown) => io.out(`${JSON.stringify(value, null, 2)}\n`);
  const id = (flag: string) => (p.flags.has(flag) ? { id: p.flags.get(flag) } : {});
  const seg = encodeURIComponent;
  switch (words.join(' ')) {
    case 'list':
      positionals(p, 0, command, 'no arguments');
      show((await client.call<{ value: unknown[] }>('GET', `${OPERATORS}?${API}`)).value);
      return 0;
    case 'grant': {
      const [principal] = positionals(p, 1, command, 'PRINCIPAL_ID');
      show(await client.call('PUT', `${OPERATORS}/${seg(principal as string)}?${API}`));
      return 0;
    }
    case 'revoke': {
      const [principal] = positionals(p, 1, command, 'PRINCIPAL_ID');
      await client.call('DELETE', `${OPERATORS}/${seg(principal as string)}?${API}`);
      io.out(`revoked the platform operator role of ${principal as string}\n`);
      return 0;
    }
    case 'tenant list':
      positionals(p, 0, command, 'no arguments');
      show((await client.call<{ value: unknown[] }>('GET', `${TENANTS}?${API}`)).value);
      return 0;
    case 'tenant create': {
      const [domain] = positionals(p, 1, command, 'DOMAIN');
      show(await client.call('POST', `${TENANTS}?${API}`, { displayName: required(p, '--name', command), defaultDomain: domain, ...id('--id') }));
      return 0;
    }
    case 'user create': {
      const [tenant, upn] = positionals(p, 2, command, 'TENANT_ID and UPN');
      const password = p.flags.get('--password');
      show(await client.call('POST', `${TENANTS}/${seg(tenant as string)}/users?${API}`, { userPrincipalName: upn, displayName: required(p, '--name', command), ...(password === undefined ? {} : { password }) }));
      return 0;
    }
    case 'group create': {
      const [tenant] = positionals(p, 1, command, 'TENANT_ID');
      show(await client.call('POST', `${TENANTS}/${seg(tenant as string)}/groups?${API}`, { displayName: required(p, '--name', command) }));
      return 0;
    }
    case 'group add-member': {
      const [tenant, group, member] = positionals(p, 3, command, 'TENANT_ID, GROUP_ID and MEMBER_ID') as [string, string, string];
      show(await client.call('PUT', `${TENANTS}/${seg(tenant)}/groups/${seg(group)}/members/${seg(member)}?${API}`));
      return 0;
    }
    case 'sp create': {
      const [tenant] = positionals(p, 1, command, 'TENANT_ID');
      show(await client.call('POST', `${TENANTS}/${seg(tenant as string)}/servicePrincipals?${API}`, { displayName: required(p, '--name', command) }));
      return 0;
    }
    case 'subscription create': {
      const [tenant] = positionals(p, 1, command, 'TENANT_ID');
      const [subscriptionId, ownerId] = [p.flags.get('--id'), p.flags.get('--owner')];
      const body = { displayName: required(p, '--name', command), ...(subscriptionId === undefined ? {} : { subscriptionId }), ...(ownerId === undefined ? {} : { ownerId }) };
      show(await client.call('POST', `${TENANTS}/${seg(tenant as string)}/subscriptions?${API}`, body));
      return 0;
    }
    default:
      throw new UsageError(`unknown command 'lantern operator ${words.join(' ')}'`);
  }
}

// The words of each command (`tenant create` is two), the rest its arguments.
const GROUPED = new Set(['tenant', 'user', 'group', 'sp', 'subscription']);

/** Runs `lantern operator <command> …`; resolves with the exit code. */
export async function runOperatorCommand(args: readonly string[], io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env }): Promise<number> {
  const [first, second] = args;
  try {
    if (first === undefined) throw new UsageError('lantern operator needs a command');
    if (first === 'bootstrap') return await bootstrap(args.slice(1), io);
    const words = GROUPED.has(first) ? [first, second ?? ''] : [first];
    return await remote(words, args.slice(words.length), io);
  } catch (error) {
    const { message, exitCode } = describeFailure(error, OPERATOR_USAGE);
    io.err(message.endsWith('\n') ? message : `${message}\n`);
    return exitCode;
  }
}
