/**
 * `lantern serve [--demo]` and `lantern demo [--json]`. The demo world goes only into a database
 * created for it: an empty one, or one that already holds it (then its saved credentials are shown).
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LanternConfig } from '../app/config.js';
import { composeServices } from '../app/compose.js';
import { openConfiguredStore, startLantern } from '../app/server.js';
import type { Services } from '../app/services.js';
import { holdsDemoWorld, seedDemoWorld, type DemoCredentials } from '../services/demo/demo-world.js';
import type { Store } from '../storage/port.js';

const credentialsPath = (config: LanternConfig) => join(config.dataDir, 'demo-credentials.json');

/** Refuses a database that holds anything but the demo world; says whether it must be seeded. */
async function demoState(store: Store): Promise<'seed' | 'present'> {
  if (await store.isEmpty()) return 'seed';
  if (await holdsDemoWorld(store)) return 'present';
  throw new Error('The configured database already holds data that is not the demo world; the demo world is only seeded into a new database. Point LANTERN_DATA_DIR or DATABASE_URL at an empty one.');
}

function seed(services: Services): Promise<DemoCredentials> {
  return seedDemoWorld({
    store: services.store,
    ids: services.ids,
    directory: services.identity.directory,
    resources: services.resources,
    rbac: services.rbac,
    publishers: services.marketplace.publishers,
    engine: services.access.engine,
  });
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

function describeDemo(credentials: DemoCredentials): string {
  const lines = ['Demo world:'];
  for (const t of credentials.tenants) lines.push(`  ${t.name} (${t.role}) tenant ${t.tenantId}  domain ${t.domain}`);
  for (const s of credentials.subscriptions) lines.push(`  subscription "${s.displayName}" ${s.subscriptionId}`);
  for (const p of credentials.publishers) lines.push(`  publisher account '${p.publisherId}' (${p.tenant}, ${p.verified ? 'verified' : 'not verified'}; ${p.eligibility.join(', ')}), Owner ${p.owners.join(', ')}`);
  lines.push('  users:');
  for (const u of credentials.users) lines.push(`    ${u.userPrincipalName.padEnd(44)} ${u.password}${u.userType === 'Guest' ? '  (guest)' : ''}`);
  lines.push('  service principals (tenant, client id, secret):');
  for (const sp of credentials.servicePrincipals) lines.push(`    ${sp.displayName.padEnd(20)} ${sp.tenant.padEnd(10)} ${sp.clientId}  ${sp.clientSecret}`);
  return lines.join('\n');
}

/** Serves until SIGINT/SIGTERM. */
export async function runServe(config: LanternConfig, options: { demo: boolean }): Promise<number> {
  const store = await openConfiguredStore(config);
  let state: 'seed' | 'present' | undefined;
  try {
    state = options.demo ? await demoState(store) : undefined;
  } catch (error) {
    await store.close();
    throw error;
  }
  const running = await startLantern(config, { store });
  let credentials: DemoCredentials | undefined;
  if (state === 'seed') {
    credentials = await seed(running.services);
    await saveCredentials(config, credentials);
  } else if (state === 'present') {
    credentials = await loadCredentials(config);
  }
  const out = [
    `Lantern is serving:`,
    `  ${config.publicUrl}  (token authority and ARM endpoint; OpenAPI UI at ${config.publicUrl}/docs)`,
    `  listening on ${running.httpsUrl} (HTTPS) and ${running.httpUrl} (HTTP)`,
    `  database: ${config.databaseUrl ? 'PostgreSQL' : join(config.dataDir, 'lantern.db')}`,
    `  authorization engine: ${describeEngineStart(running.services)}`,
    `  TLS certificate: ${running.certPath}${running.certGenerated ? ' (generated)' : ''} — trust it with NODE_EXTRA_CA_CERTS=${running.certPath}`,
  ];
  if (credentials) out.push(describeDemo(credentials), `  (also in ${credentialsPath(config)}; JSON: lantern demo --json)`);
  process.stdout.write(`${out.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
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
      credentials = await seed(await composeServices(config, store));
      await saveCredentials(config, credentials);
    } else {
      credentials = await loadCredentials(config);
      if (!credentials) throw new Error(`The database holds the demo world but ${credentialsPath(config)} is gone; its secrets cannot be shown again (only hashes are stored).`);
    }
    process.stdout.write(options.json ? `${JSON.stringify(credentials, null, 2)}\n` : `${describeDemo(credentials)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
