// kill -9 (issue 11 §4 and §8): a real `lantern serve --demo` process on SQLite and on PostgreSQL,
// killed with SIGKILL mid-deployment and during bursts of concurrent writes, started again on the
// same data. After each restart every acknowledged write (a 2xx answer) is read back over HTTP,
// every acknowledged delete is gone, and the invariants hold: one role assignment per principal,
// role and scope; no registration assignment without its definition; no deployment left Running,
// an interrupted one Failed with DeploymentInterrupted and its partial writes in its operations.
// The last check opens the database directly. LANTERN_SOAK=1 (`npm run soak`) kills many more times.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { CONTRIBUTOR, MONITORING_READER, READER } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS, type DemoCredentials } from '../../src/services/demo/demo-world.js';
import { openStore } from '../../src/storage/open-store.js';
import { createPostgresDatabase, testDatabases } from '../support/databases.js';
import type { Reply } from '../support/demo-offer.js';
import { crashDataDir, removeCompiledServer, startServer, type RunningServer } from './crash-server.js';

const SOAK = process.env.LANTERN_SOAK === '1';
/** Kill-restart cycles of the burst test, writers per burst and how long a burst runs before the kill (ms). */
const KILLS = SOAK ? 8 : 2;
const WRITERS = SOAK ? 24 : 12;
const BURST_MS: readonly [number, number] = SOAK ? [800, 3000] : [600, 1500];
/** The test knob's pause before each deployment step: long enough that a kill lands mid-deployment. */
const STEP_DELAY_MS = 400;

const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const MS = 'providers/Microsoft.ManagedServices';
const AUTH = 'providers/Microsoft.Authorization';
const V = { rbac: 'api-version=2022-04-01', ms: 'api-version=2022-10-01', rm: 'api-version=2021-04-01' };
const SUB_SCHEMA = 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#';
const GROUPS = ['rg-web', 'rg-data', 'rg-network'];

/** What the crash tests add up, for the soak's record in docs/operations.md. */
const figures = { kills: 0, acknowledged: 0, verified: 0, invariants: 0 };

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const definitionPath = (name: string) => `${FAB}/${MS}/registrationDefinitions/${name}`;

function demoId(credentials: DemoCredentials, name: string): string {
  const found = [...credentials.users.map((u) => [u.userPrincipalName, u.objectId]), ...credentials.groups.map((g) => [g.displayName, g.objectId])].find(([n]) => n === name);
  if (!found) throw new Error(`no demo principal ${name}`);
  return found[1] as string;
}

/** A client of one server process: the Fabrikam deployer (Owner of Fabrikam Production) over HTTPS. */
async function clientOf(server: RunningServer) {
  const sp = server.credentials.servicePrincipals.find((p) => p.displayName === 'fabrikam-deployer')!;
  const form = { grant_type: 'client_credentials', client_id: sp.clientId, client_secret: sp.clientSecret, scope: 'https://management.azure.com/.default' };
  const res = await fetch(`${server.baseUrl}/${DEMO_IDS.fabrikamTenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  const token = ((await res.json()) as { access_token: string }).access_token;
  return async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const answer = await fetch(new URL(path, server.baseUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await answer.text();
    return { status: answer.status, body: text === '' ? {} : JSON.parse(text) as unknown };
  };
}
type Client = Awaited<ReturnType<typeof clientOf>>;

function definitionBody(credentials: DemoCredentials, offer: string) {
  return {
    properties: {
      registrationDefinitionName: offer,
      managedByTenantId: DEMO_IDS.contosoTenant,
      authorizations: [{ principalId: demoId(credentials, 'Contoso L2 Engineers'), principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: READER }],
    },
  };
}

/** A Lighthouse onboarding template (as the samples write it) with resource groups and a role assignment around it: five resources. */
function onboardingTemplate(credentials: DemoCredentials, tag: string) {
  const definition = definitionBody(credentials, `Crash ${tag}`).properties;
  return {
    $schema: SUB_SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { offer: { type: 'string', defaultValue: `Crash ${tag}` } },
    variables: { name: "[guid(parameters('offer'))]" },
    resources: [
      { type: 'Microsoft.Resources/resourceGroups', apiVersion: '2021-04-01', name: `rg-${tag}-a`, location: 'westeurope', properties: {} },
      { type: 'Microsoft.Resources/resourceGroups', apiVersion: '2021-04-01', name: `rg-${tag}-b`, location: 'westeurope', properties: {} },
      { type: 'Microsoft.ManagedServices/registrationDefinitions', apiVersion: '2022-10-01', name: "[variables('name')]", properties: { ...definition, registrationDefinitionName: "[parameters('offer')]" } },
      {
        type: 'Microsoft.ManagedServices/registrationAssignments', apiVersion: '2022-10-01', name: "[variables('name')]",
        dependsOn: ["[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('name'))]"],
        properties: { registrationDefinitionId: "[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('name'))]" },
      },
      {
        type: 'Microsoft.Authorization/roleAssignments', apiVersion: '2022-04-01', name: `[guid(subscription().id, '${tag}')]`,
        dependsOn: [`[resourceId('Microsoft.Resources/resourceGroups', 'rg-${tag}-b')]`],
        properties: { roleDefinitionId: `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${MONITORING_READER}')]`, principalId: demoId(credentials, 'reader@fabrikam.example'), principalType: 'User' },
      },
    ],
  };
}

interface Operation {
  readonly properties: { readonly provisioningState: string; readonly statusMessage?: { readonly error: { readonly code: string } }; readonly targetResource: { readonly id: string; readonly resourceType: string } };
}

const API_OF: Readonly<Record<string, string>> = {
  'microsoft.resources/resourcegroups': V.rm,
  'microsoft.managedservices/registrationdefinitions': V.ms,
  'microsoft.managedservices/registrationassignments': V.ms,
  'microsoft.authorization/roleassignments': V.rbac,
};
const exists = async (client: Client, id: string, type: string) => (await client('GET', `${id}?${API_OF[type.toLowerCase()] ?? V.rm}`)).status === 200;

/**
 * The deployment invariants: none Running; an interrupted one Failed with DeploymentInterrupted, and
 * every resource it reports as put exists. Returns the deployments.
 */
async function checkDeployments(client: Client): Promise<{ name: string; properties: { provisioningState: string; error?: { code: string } } }[]> {
  const listed = await client('GET', `${FAB}/providers/Microsoft.Resources/deployments?${V.rm}`);
  assert.equal(listed.status, 200);
  const deployments = listed.body.value as { name: string; properties: { provisioningState: string; error?: { code: string; message: string } } }[];
  for (const d of deployments) {
    figures.invariants++;
    assert.notEqual(d.properties.provisioningState, 'Running', `deployment ${d.name} is not left Running`);
    if (d.properties.provisioningState !== 'Failed' || d.properties.error?.code !== 'DeploymentInterrupted') continue;
    assert.match(d.properties.error.message, /interrupted.*PUT the deployment/s);
    const operations = (await client('GET', `${FAB}/providers/Microsoft.Resources/deployments/${d.name}/operations?${V.rm}`)).body.value as Operation[];
    for (const op of operations.filter((o) => o.properties.provisioningState === 'Succeeded')) {
      figures.invariants++;
      assert.ok(await exists(client, op.properties.targetResource.id, op.properties.targetResource.resourceType), `${op.properties.targetResource.id}, reported put by ${d.name}, exists`);
    }
  }
  return deployments;
}

/** Role assignments: one per principal, role and scope. Registration assignments: each with its definition. */
async function checkInvariants(client: Client): Promise<void> {
  const roles = (await client('GET', `${FAB}/${AUTH}/roleAssignments?${V.rbac}`)).body.value as { properties: { principalId: string; roleDefinitionId: string; scope: string } }[];
  const triples = roles.map((r) => `${r.properties.principalId}|${r.properties.roleDefinitionId}|${r.properties.scope}`.toLowerCase());
  assert.equal(new Set(triples).size, triples.length, 'one role assignment per principal, role and scope');
  const definitions = new Set(((await client('GET', `${FAB}/${MS}/registrationDefinitions?${V.ms}`)).body.value as { id: string }[]).map((d) => d.id.toLowerCase()));
  const assignments = (await client('GET', `${FAB}/${MS}/registrationAssignments?${V.ms}`)).body.value as { id: string; properties: { registrationDefinitionId: string } }[];
  for (const a of assignments) assert.ok(definitions.has(a.properties.registrationDefinitionId.toLowerCase()), `registration assignment ${a.id} has its definition`);
  figures.invariants += 1 + assignments.length;
  await checkDeployments(client);
}

type Expectation = { readonly path: string; readonly present: boolean; readonly check?: (body: Reply['body']) => void };

/**
 * Writers that put and delete role assignments, resources, registration definitions and assignments
 * (deletes racing puts) until `stop()`, keeping a ledger: an acknowledged put is expected present,
 * an acknowledged delete absent; a request the kill cut off leaves its resource unknown.
 */
function burst(client: Client, credentials: DemoCredentials) {
  const ledger = new Map<string, Expectation>();
  const roleAssignments: string[] = [];
  const definitions: string[] = [];
  const principals = [demoId(credentials, 'reader@fabrikam.example'), credentials.users.find((u) => u.userType === 'Guest')!.objectId];
  const scopes = [FAB, ...GROUPS.map((g) => `${FAB}/resourceGroups/${g}`)];
  let stopped = false;
  let acknowledged = 0;
  const acknowledge = (key: string, expectation: Expectation) => {
    ledger.set(key, expectation);
    acknowledged++;
  };
  const forget = (key: string) => ledger.delete(key);

  async function once(): Promise<void> {
    const dice = Math.random();
    if (dice < 0.35) {
      const name = randomUUID();
      const [scope, role, principalId] = [pick(scopes), pick([READER, CONTRIBUTOR, MONITORING_READER]), pick(principals)];
      const path = `${scope}/${AUTH}/roleAssignments/${name}?${V.rbac}`;
      forget(path);
      const res = await client('PUT', path, { properties: { roleDefinitionId: `${FAB}/${AUTH}/roleDefinitions/${role}`, principalId, principalType: 'User' } });
      if (res.status === 201) {
        roleAssignments.push(path);
        acknowledge(path, { path, present: true, check: (b) => {
          const p = b.properties as { principalId: string; roleDefinitionId: string; scope: string };
          assert.deepEqual([p.principalId, p.roleDefinitionId.split('/').at(-1), p.scope.toLowerCase()], [principalId, role, scope.toLowerCase()]);
        } });
      } else assert.equal(res.body.error?.code, 'RoleAssignmentExists', JSON.stringify(res.body));
    } else if (dice < 0.5 && roleAssignments.length > 0) {
      const path = roleAssignments.splice(Math.floor(Math.random() * roleAssignments.length), 1)[0] as string;
      forget(path);
      const res = await client('DELETE', path);
      assert.ok(res.status === 200 || res.status === 204, JSON.stringify(res.body));
      acknowledge(path, { path, present: false });
    } else if (dice < 0.7) {
      const n = randomUUID().slice(0, 8);
      const path = `${FAB}/resourceGroups/${pick(GROUPS)}/providers/Microsoft.Storage/storageAccounts/crash${n}?${V.rm}`;
      const res = await client('PUT', path, { location: 'westeurope', properties: { n } });
      assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body));
      acknowledge(path, { path, present: true, check: (b) => assert.equal(b.properties.n, n) });
    } else if (dice < 0.8) {
      const name = randomUUID();
      const path = `${definitionPath(name)}?${V.ms}`;
      const res = await client('PUT', path, definitionBody(credentials, `Burst ${name.slice(0, 8)}`));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      definitions.push(name);
      acknowledge(path, { path, present: true, check: (b) => assert.equal(b.name, name) });
    } else if (dice < 0.93 && definitions.length > 0) {
      const definition = pick(definitions);
      const path = `${pick(scopes)}/${MS}/registrationAssignments/${randomUUID()}?${V.ms}`;
      const res = await client('PUT', path, { properties: { registrationDefinitionId: definitionPath(definition) } });
      if (res.status === 201) acknowledge(path, { path, present: true, check: (b) => assert.equal((b.properties.registrationDefinitionId as string).split('/').at(-1), definition) });
      // The definition was deleted meanwhile, or already delegated at that scope (one per scope).
      else assert.ok(['RegistrationDefinitionNotFound', 'Conflict', 'RegistrationAssignmentExists'].includes(String(res.body.error?.code)), JSON.stringify(res.body));
    } else if (definitions.length > 0) {
      const name = pick(definitions);
      const path = `${definitionPath(name)}?${V.ms}`;
      forget(path);
      const res = await client('DELETE', path);
      if (res.status === 200 || res.status === 204) {
        definitions.splice(definitions.indexOf(name), 1);
        acknowledge(path, { path, present: false });
      } else assert.equal(res.body.error?.code, 'RegistrationDefinitionInUse', JSON.stringify(res.body));
    }
  }

  // A deployment at a time, beside the writers: the kill often finds one half done.
  async function deployments(): Promise<void> {
    while (!stopped) {
      const tag = `b${randomUUID().slice(0, 6)}`;
      const res = await client('PUT', `${FAB}/providers/Microsoft.Resources/deployments/${tag}?${V.rm}`, { location: 'westeurope', properties: { mode: 'Incremental', template: onboardingTemplate(credentials, tag) } });
      assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body));
      assert.equal(res.body.properties.provisioningState, 'Succeeded', JSON.stringify(res.body));
      acknowledged++;
      for (const group of ['a', 'b']) {
        const path = `${FAB}/resourceGroups/rg-${tag}-${group}?${V.rm}`;
        acknowledge(path, { path, present: true });
      }
    }
  }

  const loop = async (work: () => Promise<void>) => {
    while (!stopped) {
      try {
        await work();
      } catch (error) {
        if (stopped) return; // the kill cut the request off: its outcome is unknown
        throw error;
      }
    }
  };
  const running = Promise.all([...Array.from({ length: WRITERS }, () => loop(once)), loop(deployments)]);
  running.catch(() => undefined); // awaited in stop(); a writer's failed assertion is reported there
  return {
    ledger,
    acknowledged: () => acknowledged,
    /** Marks the burst over (call just before the kill) and waits for the writers to notice. */
    async stop(kill: () => Promise<void>) {
      stopped = true;
      await kill();
      await running;
    },
  };
}

/** Reads every expectation of the ledger back, sixteen at a time. */
async function verify(client: Client, ledger: Map<string, Expectation>): Promise<void> {
  const all = [...ledger.values()];
  for (let i = 0; i < all.length; i += 16) {
    await Promise.all(all.slice(i, i + 16).map(async (e) => {
      const res = await client('GET', e.path);
      assert.equal(res.status, e.present ? 200 : 404, `${e.present ? 'acknowledged write' : 'acknowledged delete'} ${e.path}: ${res.status} ${JSON.stringify(res.body)}`);
      e.check?.(res.body);
      figures.verified++;
    }));
  }
}

/** The invariants read from the database itself, with no server running. */
async function checkStoreDirectly(options: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string }): Promise<void> {
  const store = await openStore(options);
  try {
    const roles = await store.authorization.listRoleAssignments();
    const triples = roles.map((r) => `${r.principalId}|${r.roleDefinitionId}|${r.scope}`.toLowerCase());
    assert.equal(new Set(triples).size, triples.length, 'no duplicate role assignments in the database');
    const definitions = new Set((await store.delegation.listDefinitions()).map((d) => `${d.subscriptionId}|${d.id}`.toLowerCase()));
    const assignments = await store.delegation.listAssignments();
    for (const a of assignments) assert.ok(definitions.has(`${DEMO_IDS.fabrikamProduction}|${a.registrationDefinitionId.split('/').at(-1)}`.toLowerCase()), `assignment ${a.id} has its definition`);
    const running = (await store.deployments.listAt(FAB)).filter((d) => (JSON.parse(d.body) as { properties: { provisioningState: string } }).properties.provisioningState === 'Running');
    assert.deepEqual(running.map((d) => d.name), [], 'no deployment left Running');
    figures.invariants += 3 + assignments.length;
  } finally {
    await store.close();
  }
}

after(removeCompiledServer);

for (const database of testDatabases()) {
  describe(`kill -9 during deployments and bursts of writes (${database.name})`, () => {
    const dataDir = crashDataDir();
    let databaseUrl: string | undefined;
    let dropDatabase = async () => {};
    let server: RunningServer | undefined;
    const start = async () => (server = await startServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}), stepDelayMs: STEP_DELAY_MS }));
    const kill = async () => {
      await server?.kill();
      figures.kills++;
    };

    before(async () => {
      if (database.name === 'postgres') {
        const db = await createPostgresDatabase(process.env.TEST_PG_URL as string);
        databaseUrl = db.url;
        dropDatabase = db.drop;
      }
      await start();
    });
    after(async () => {
      await server?.stop();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
      console.error(`crash figures after ${database.name} (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}): ${JSON.stringify(figures)}`);
    });

    it('reports a deployment killed mid-way as Failed (DeploymentInterrupted) with its partial writes, and a new PUT completes it', async () => {
      const credentials = server!.credentials;
      let client = await clientOf(server!);
      const tag = `d${randomUUID().slice(0, 6)}`;
      const path = `${FAB}/providers/Microsoft.Resources/deployments/${tag}?${V.rm}`;
      const body = { location: 'westeurope', properties: { mode: 'Incremental', template: onboardingTemplate(credentials, tag) } };
      const pending = client('PUT', path, body).catch(() => undefined);
      // Until three of the five resources are put (the steps are paced by the test knob), then kill.
      let done: Operation[] = [];
      for (let i = 0; i < 1500 && done.length < 3; i++) {
        const ops = await client('GET', `${FAB}/providers/Microsoft.Resources/deployments/${tag}/operations?${V.rm}`);
        done = ops.status === 200 ? (ops.body.value as Operation[]).filter((o) => o.properties.provisioningState === 'Succeeded') : [];
        if (done.length < 3) await new Promise((r) => setTimeout(r, 20));
      }
      await kill();
      assert.ok(done.length >= 3 && done.length < 5, `the kill found the deployment mid-way (${done.length} of 5 put)`);
      assert.equal(await pending, undefined, 'the PUT never got an answer');

      await start();
      client = await clientOf(server!);
      const after = await client('GET', path);
      assert.equal(after.status, 200);
      assert.equal(after.body.properties.provisioningState, 'Failed');
      assert.equal(after.body.properties.error.code, 'DeploymentInterrupted');
      const operations = (await client('GET', `${FAB}/providers/Microsoft.Resources/deployments/${tag}/operations?${V.rm}`)).body.value as Operation[];
      const listed = new Map(operations.map((o) => [o.properties.targetResource.id.toLowerCase(), o]));
      // Every resource of the template that exists now is in the operations: Succeeded, or the one in flight (Failed, interrupted).
      const template = onboardingTemplate(credentials, tag);
      const definitionsNow = (await client('GET', `${FAB}/${MS}/registrationDefinitions?${V.ms}`)).body.value as { name: string; properties: { registrationDefinitionName: string } }[];
      const definitionName = definitionsNow.find((d) => d.properties.registrationDefinitionName === `Crash ${tag}`)?.name;
      const ids = [
        `${FAB}/resourceGroups/rg-${tag}-a`, `${FAB}/resourceGroups/rg-${tag}-b`,
        ...(definitionName ? [definitionPath(definitionName), `${FAB}/${MS}/registrationAssignments/${definitionName}`] : []),
      ];
      assert.equal(ids.length, 4, 'the definition was among the three resources put');
      for (const [i, id] of ids.entries()) {
        const type = template.resources[i]!.type;
        if (!(await exists(client, id, type))) continue;
        const op = listed.get(id.toLowerCase());
        assert.ok(op, `${id} was written and is listed in the operations`);
        assert.ok(op.properties.provisioningState === 'Succeeded' || op.properties.statusMessage?.error.code === 'DeploymentInterrupted', JSON.stringify(op));
        figures.verified++;
      }
      const put = operations.filter((o) => o.properties.provisioningState === 'Succeeded').map((o) => o.properties.targetResource.resourceType);
      assert.deepEqual(put, template.resources.slice(0, put.length).map((r) => r.type), 'the resources put, in template order');
      assert.ok(put.length >= 3 && put.length < 5, `${put.length} of 5 put before the kill`);
      await checkInvariants(client);

      const again = await client('PUT', path, body);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.properties.provisioningState, 'Succeeded', JSON.stringify(again.body));
      const final = (await client('GET', `${FAB}/providers/Microsoft.Resources/deployments/${tag}/operations?${V.rm}`)).body.value as Operation[];
      assert.deepEqual(final.map((o) => o.properties.provisioningState), Array(5).fill('Succeeded'), 're-PUT put all five');
      for (const o of final) assert.ok(await exists(client, o.properties.targetResource.id, o.properties.targetResource.resourceType), o.properties.targetResource.id);
      figures.verified += final.length;
    });

    it('keeps every acknowledged write and every invariant across kill -9 during bursts of concurrent writes', async () => {
      const ledger = new Map<string, Expectation>();
      for (let cycle = 0; cycle < KILLS; cycle++) {
        const client = await clientOf(server!);
        const writes = burst(client, server!.credentials);
        await new Promise((r) => setTimeout(r, BURST_MS[0] + Math.random() * (BURST_MS[1] - BURST_MS[0])));
        await writes.stop(kill);
        figures.acknowledged += writes.acknowledged();
        for (const [k, e] of writes.ledger) ledger.set(k, e);
        await start();
        const after = await clientOf(server!);
        await verify(after, ledger);
        await checkInvariants(after);
      }
      await server!.stop();
      server = undefined;
      await checkStoreDirectly(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', path: join(dataDir, 'lantern.db') });
      assert.ok(figures.acknowledged > 0 && figures.verified > 0);
    });
  });
}
