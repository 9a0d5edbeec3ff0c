/**
 * `lantern serve [--demo]` and `lantern demo [--json]`. The demo world goes only into a database
 * created for it: an empty one, or one that already holds it (then its saved credentials are shown).
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, type LanternConfig } from '../app/config.js';
import { fromPackageRoot } from '../app/package-root.js';
import { composeServices } from '../app/compose.js';
import { openConfiguredStore, startLantern, type RunningLantern } from '../app/server.js';
import { DatabaseInUseError, lockDatabase } from '../app/server-lock.js';
import type { Services } from '../app/services.js';
import { holdsDemoWorld, seedDemoWorldInto, type DemoCredentials } from '../services/demo/demo-world.js';
import type { Store } from '../storage/port.js';
import { CliError } from './cli-errors.js';

const credentialsPath = (config: LanternConfig) => join(config.dataDir, 'demo-credentials.json');

/** Refuses a database that holds anything but the demo world; says whether it must be seeded. */
async function demoState(store: Store): Promise<'seed' | 'present'> {
  if (await store.isEmpty()) return 'seed';
  if (await holdsDemoWorld(store)) return 'present';
  throw new CliError('The configured database already holds data that is not the demo world; the demo world is only seeded into a new database. Point LANTERN_DATA_DIR or DATABASE_URL at an empty one.');
}

// The plain-text demo credentials are kept (owner-only) beside the database so a restart can show
// them again; the database itself holds only hashes.
async function saveCredentials(config: LanternConfig, credentials: DemoCredentials): Promise<void> {
  mkdirSync(config.dataDir, { recursive: true });
  await writeFile(credentialsPath(config), JSON.stringify(credentials, null, 2), { mode: 0o600 });
  await chmod(credentialsPath(config), 0o600);
}

async function loadCredentials(config: LanternConfig): Promise<DemoCredentials | undefined> {
  try {
    return JSON.parse(await readFile(credentialsPath(config), 'utf8')) as DemoCredentials;
  } catch {
    return undefined;
  }
}

function describeDemo(credentials: DemoCredentials, heading = 'Demo world:'): string {
  const lines = [heading];
  for (const t of credentials.tenants) lines.push(`  ${t.name} (${t.role}) tenant ${t.tenantId}  domain ${t.domain}`);
  for (const s of credentials.subscriptions) lines.push(`  subscription "${s.displayName}" ${s.subscriptionId}`);
  for (const p of credentials.publishers) lines.push(`  publisher account '${p.publisherId}' (${p.tenant}, ${p.verified ? 'verified' : 'not verified'}; ${p.eligibility.join(', ')}), Owner ${p.owners.join(', ')}${p.developers === undefined ? '' : `, Developer ${p.developers.join(', ')}`}`);
  lines.push('  users:');
  for (const u of credentials.users) lines.push(`    ${u.userPrincipalName.padEnd(44)} ${u.password}${u.userType === 'Guest' ? '  (guest)' : ''}`);
  lines.push('  service principals (tenant, client id, secret):');
  for (const sp of credentials.servicePrincipals) lines.push(`    ${sp.displayName.padEnd(20)} ${sp.tenant.padEnd(10)} ${sp.clientId}  ${sp.clientSecret}`);
  return lines.join('\n');
}

/** A listener that could not open, said with its port and the setting that moves it. */
function listenFailure(error: unknown, config: LanternConfig): unknown {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES' && e.code !== 'EADDRNOTAVAIL') return error;
  const setting = SETTINGS.find((s) => s.key === (e.port === config.httpPort ? 'httpPort' : 'httpsPort'));
  const port = e.port ?? (setting?.key === 'httpPort' ? config.httpPort : config.httpsPort);
  if (e.code === 'EADDRNOTAVAIL') return new CliError(`cannot listen on ${config.host}: no such address on this machine. Change LANTERN_HOST (--host). Nothing was started.`);
  const why = e.code === 'EADDRINUSE' ? 'is in use by another program (another Lantern?)' : 'needs privileges this user lacks';
  return new CliError(`port ${port} on ${config.host} ${why}. Choose another with ${setting?.env} (${setting?.flag}), or 0 for a free one. Nothing was started.`);
}

const DOCS = fromPackageRoot('docs', 'azure-clients.md');

function banner(config: LanternConfig, running: RunningLantern, demo: { credentials: DemoCredentials | undefined; assignments: number } | undefined): string {
  const out = [
    `Lantern is serving:`,
    `  ${config.publicUrl}  (token authority and ARM endpoint; OpenAPI UI at ${config.publicUrl}/docs)`,
    `  portal: ${config.publicUrl}/  (open it at this address: it is the portal's sign-in redirect URI)`,
    `  listening on ${running.httpsUrl} (HTTPS) and ${running.httpUrl} (HTTP)`,
    `  database: ${config.databaseUrl ? 'PostgreSQL' : join(config.dataDir, 'lantern.db')}`,
    `  authorization engine: ${describeEngineStart(running.services)}`,
    `  TLS certificate: ${running.certPath}${running.certGenerated ? ' (generated)' : ''} — trust it with NODE_EXTRA_CA_CERTS=${running.certPath}`,
  ];
  const sp = demo?.credentials?.servicePrincipals.find((p) => p.displayName === 'contoso-automation');
  const tenant = demo?.credentials?.tenants.find((t) => t.name === sp?.tenant);
  out.push('First request:');
  out.push(
    sp && tenant
      ? `  curl --cacert ${running.certPath} ${config.publicUrl}/${tenant.tenantId}/oauth2/v2.0/token -d grant_type=client_credentials -d client_id=${sp.clientId} -d client_secret=${sp.clientSecret} -d scope=https://management.azure.com/.default`
      : `  curl --cacert ${running.certPath} '${config.publicUrl}/metadata/endpoints?api-version=2022-09-01'`,
  );
  out.push(`Azure SDK, Azure CLI and PowerShell against this server: ${DOCS}`);
  if (demo) {
    const heading = `Demo world (${demo.assignments.toLocaleString('en-US')} role assignments):`;
    if (demo.credentials) out.push(describeDemo(demo.credentials, heading), `  (also in ${credentialsPath(config)}; JSON: lantern demo --json)`);
    else out.push(heading, `  its credentials file ${credentialsPath(config)} is gone; only hashes are stored`);
  }
  return `${out.join('\n')}\n`;
}

/** Serves until SIGINT/SIGTERM. */
export async function runServe(config: LanternConfig, options: { demo: boolean }): Promise<number> {
  const lock = await lockDatabase(config).catch((error: unknown) => {
    throw error instanceof DatabaseInUseError ? new CliError(error.message) : error;
  });
  const store = await openConfiguredStore(config).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  let running: RunningLantern;
  try {
    const state = options.demo ? await demoState(store) : undefined;
    let credentials: DemoCredentials | undefined;
    running = await startLantern(config, {
      store,
      async beforeListen(services) {
        if (state === 'seed') {
          credentials = await seedDemoWorldInto(services);
          await saveCredentials(config, credentials);
        } else if (state === 'present') {
          credentials = await loadCredentials(config);
        }
      },
      announce: (started) => process.stdout.write(banner(config, started, state && { credentials, assignments: started.services.access.engine.roleAssignmentCount })),
    });
  } catch (error) {
    await store.close();
    await lock.release();
    throw listenFailure(error, config);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  await lock.release();
  return 0;
}

// How the engine was built: from the checkpoint (and how many changes since), or from the tables.
function describeEngineStart({ engineStart: start }: Services): string {
  const held = `${start.loaded.toLocaleString('en-US')} role assignments`;
  const how = start.from === 'checkpoint' ? `from its checkpoint, ${start.replayed.toLocaleString('en-US')} changed since re-read` : 'from the tables';
  const refused = start.refused === undefined ? '' : ` (the saved checkpoint was not used: ${start.refused})`;
  return `${held} ${how}${start.saved ? `; checkpoint saved in ${Math.round(start.saveMs)} ms` : ''}${refused}`;
}

/** Creates the demo world without serving and prints its credentials. */
export async function runDemo(config: LanternConfig, options: { json: boolean }): Promise<number> {
  const store = await openConfiguredStore(config);
  try {
    const state = await demoState(store);
    let credentials: DemoCredentials | undefined;
    if (state === 'seed') {
      credentials = await seedDemoWorldInto(await composeServices(config, store));
      await saveCredentials(config, credentials);
    } else {
      credentials = await loadCredentials(config);
      if (!credentials) throw new CliError(`The database holds the demo world but ${credentialsPath(config)} is gone; its secrets cannot be shown again (only hashes are stored).`);
    }
    process.stdout.write(options.json ? `${JSON.stringify(credentials, null, 2)}\n` : `${describeDemo(credentials)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
