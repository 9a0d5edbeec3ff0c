/**
 * Offer as code: a complete offer file pushed and published through the product-ingestion API by the
 * CLI (a child process against a running Lantern), exported back (round trip), validated offline with
 * the portal's messages, and the ingestion API's queries and error shape.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { toIngestionResources } from '../../src/core/marketplace/ingestion.js';
import { contosoOffer } from '../../src/core/marketplace/test-fixtures.js';
import { validateOffer } from '../../src/core/marketplace/validate-offer.js';
import { findBuiltinRole } from '../../src/core/roles/builtin-catalog.js';
import { testDatabases } from '../support/databases.js';
import { lantern } from '../support/cli.js';
import { randomUUID } from 'node:crypto';
import { OWNER } from '../../src/core/roles/builtin-catalog.js';
import { systemContext } from '../../src/services/context.js';
import { createSubscription } from '../../src/services/operator/subscription-admin.js';
import { call, startLeadEndpoint, startWorld, type Principal, type World } from './support.js';

/** Fabrikam: a customer directory with a subscription and a service principal owning it. */
async function customerSubscription(world: World): Promise<{ subscriptionId: string; owner: Principal }> {
  const { directory } = world.lantern.services.identity;
  const tenantId = (await directory.createTenant({ displayName: 'Fabrikam', defaultDomain: `fabrikam-${randomUUID().slice(0, 8)}.example` })).id;
  const sp = await directory.createServicePrincipal({ tenantId, displayName: 'fabrikam-deployer' });
  const owner = { objectId: sp.id, appId: sp.appId, secret: (await directory.addClientSecret(sp.id, { displayName: 'test' })).value, tenantId };
  const subscriptionId = randomUUID();
  await createSubscription({ store: world.lantern.services.store, engine: world.lantern.services.access.engine }, { subscriptionId, tenantId, displayName: 'Fabrikam Production' });
  await world.lantern.services.rbac.putRoleAssignment(systemContext(world.lantern.services.ids), {
    name: randomUUID(), scope: `/subscriptions/${subscriptionId}`, roleDefinitionId: OWNER, principalId: sp.id, principalType: 'ServicePrincipal',
  });
  return { subscriptionId, owner };
}



const dir = mkdtempSync(join(tmpdir(), 'lantern-offer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('lantern offer validate (offline)', () => {
  it('accepts a complete offer in JSON and in YAML', async () => {
    const json = join(dir, 'offer.json');
    writeFileSync(json, JSON.stringify(toIngestionResources(contosoOffer())));
    const ok = await lantern(['offer', 'validate', json, '--publisher', 'contoso']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /valid/);
    const yaml = join(dir, 'offer.yaml');
    writeFileSync(yaml, stringify(toIngestionResources(contosoOffer())));
    assert.equal((await lantern(['offer', 'validate', yaml, '--publisher', 'contoso'])).code, 0);
  });

  it('fails with the portal\'s messages and exit code 1', async () => {
    const broken = { ...contosoOffer(), listing: { ...contosoOffer().listing, name: 'N'.repeat(51), privacyPolicyUrl: 'http://contoso.example/privacy' } };
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(toIngestionResources(broken)));
    const result = await lantern(['offer', 'validate', file, '--publisher', 'contoso']);
    assert.equal(result.code, 1);
    const portal = validateOffer(broken, { role: findBuiltinRole }).violations.filter((v) => v.severity === 'error');
    assert.ok(portal.length >= 2);
    for (const v of portal) assert.ok(result.stdout.includes(`[${v.section}] ${v.field}: ${v.message} (${v.rule})`), `CLI prints "${v.message}"`);
  });

  it('answers usage errors with exit code 2', async () => {
    assert.equal((await lantern(['offer', 'validate'])).code, 2);
    assert.equal((await lantern(['offer', 'validate', join(dir, 'missing.json')])).code, 2);
    writeFileSync(join(dir, 'garbage.json'), '{ not json');
    assert.equal((await lantern(['offer', 'validate', join(dir, 'garbage.json')])).code, 2);
    assert.equal((await lantern(['offer', 'publish', 'x'])).code, 2);
  });
});

for (const db of testDatabases()) {
  describe(`offer as code against a running Lantern (${db.name})`, () => {
    let world: World;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    let env: NodeJS.ProcessEnv;
    before(async () => {
      leads = await startLeadEndpoint();
      world = await startWorld(db);
      env = { LANTERN_URL: world.lantern.baseUrl, LANTERN_TENANT: world.tenantId, LANTERN_CLIENT_ID: world.owner.appId, LANTERN_CLIENT_SECRET: world.owner.secret };
    });
    after(async () => {
      await world.stop();
      await leads.stop();
    });

    it('pushes a complete offer to preview, publishes it live, exports it and pushes the export back unchanged', async () => {
      const offer = { ...contosoOffer(), setup: { customerLeads: { type: 'httpsEndpoint' as const, httpsEndpointUrl: leads.url, contactEmails: ['sales@contoso.example'] } } };
      const file = join(dir, `push-${db.name}.json`);
      writeFileSync(file, JSON.stringify(toIngestionResources(offer, { submit: 'preview' })));
      const pushed = await lantern(['offer', 'push', file], env);
      assert.equal(pushed.code, 0, pushed.stdout + pushed.stderr);
      assert.match(pushed.stdout, /configure job .*: succeeded/);
      assert.match(pushed.stdout, /Preview created/);
      assert.match(pushed.stdout, /publish job .*: succeeded/);
      const path = '/partner-center/publishers/contoso/offers/contoso-managed-ops';
      assert.equal((await call(world, world.owner, 'GET', path)).body.status, 'Preview');
      assert.equal(leads.received.length, 1);

      const published = await lantern(['offer', 'publish', 'contoso-managed-ops', '--target', 'live'], env);
      assert.equal(published.code, 0, published.stdout + published.stderr);
      assert.match(published.stdout, /Published to the marketplace/);
      assert.equal((await call(world, world.owner, 'GET', path)).body.status, 'Live');

      const exported = await lantern(['offer', 'export', 'contoso-managed-ops'], env);
      assert.equal(exported.code, 0, exported.stderr);
      const body = JSON.parse(exported.stdout) as { resources: unknown[] };
      assert.deepEqual(body.resources, toIngestionResources(offer).resources, 'the export is the pushed offer');
      const again = join(dir, `export-${db.name}.json`);
      writeFileSync(again, exported.stdout);
      assert.equal((await lantern(['offer', 'push', again], env)).code, 0);
      assert.deepEqual((await call(world, world.owner, 'GET', `${path}/compare`)).body.changes, [], 'pushing the export back changes nothing');

      const tree = await call(world, world.owner, 'GET', `/rp/product-ingestion/resource-tree/${(await call(world, world.owner, 'GET', path)).body.productDurableId}?targetType=%22live%22`);
      assert.equal(tree.status, 200, 'a quoted targetType is accepted');
      assert.equal(tree.body.target.targetType, 'live');
      const guid = (tree.body.root as string).slice('product/'.length);
      const submissions = await call(world, world.owner, 'GET', `/rp/product-ingestion/submission/${guid}`);
      assert.deepEqual((submissions.body.value as { target: { targetType: string } }[]).map((s) => s.target.targetType), ['draft', 'preview', 'live']);

      const templateDir = join(dir, `template-${db.name}`);
      const template = await lantern(['offer', 'template', 'contoso-managed-ops', '--plan', 'gold', '--out-dir', templateDir], env);
      assert.equal(template.code, 0, template.stderr);
      const parameters = JSON.parse(readFileSync(join(templateDir, 'contoso-managed-ops-gold.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };
      assert.equal(parameters.parameters.marketplaceOfferId?.value, 'contoso-managed-ops');
      assert.equal(parameters.parameters.marketplacePlanVersion?.value, '1.0.0');

      // The exported pair deploys unchanged through Lantern's deployments API, as on real Azure.
      const customer = await customerSubscription(world);
      const offered = await call(world, customer.owner, 'GET', `/subscriptions/${customer.subscriptionId}/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions?api-version=2022-10-01`);
      assert.equal(offered.status, 200, offered.text);
      assert.deepEqual((offered.body.value as { name: string }[]).map((d) => d.name), ['contoso.contoso-managed-ops.gold.1.0.0'], 'the live plan is offered to customers');
      const templateJson = JSON.parse(readFileSync(join(templateDir, 'contoso-managed-ops-gold.template.json'), 'utf8')) as unknown;
      const deployment = await call(world, customer.owner, 'PUT', `/subscriptions/${customer.subscriptionId}/providers/Microsoft.Resources/deployments/onboard-gold?api-version=2021-04-01`, {
        location: 'westeurope',
        properties: { mode: 'Incremental', template: templateJson, parameters: parameters.parameters },
      });
      assert.ok(deployment.status === 200 || deployment.status === 201, deployment.text);
      assert.equal(deployment.body.properties.provisioningState, 'Succeeded', deployment.text);
      const definitions = await call(world, customer.owner, 'GET', `/subscriptions/${customer.subscriptionId}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`);
      const plans = (definitions.body.value as { plan?: { publisher: string; product: string; name: string; version: string } }[]).map((d) => d.plan);
      assert.deepEqual(plans, [{ publisher: 'contoso', product: 'contoso-managed-ops', name: 'gold', version: '1.0.0' }]);
    });

    it('reports ingestion errors in the ingestion shape and fails jobs on schema errors', async () => {
      const missing = await call(world, world.owner, 'GET', '/rp/product-ingestion/configure/00000000-0000-0000-0000-000000000000/status');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'notFound');
      assert.equal(missing.body.error.details[0].code, 'resourceNotFound');
      const never = await call(world, world.owner, 'POST', '/partner-center/publishers/contoso/offers', { offerId: 'never-live', alias: 'Never' });
      const live = await call(world, world.owner, 'GET', `/rp/product-ingestion/resource-tree/${never.body.productDurableId}?targetType=live`);
      assert.equal(live.status, 404);
      assert.equal(live.body.error.details[0].code, 'notDeployed');
      const bad = await call(world, world.owner, 'POST', '/rp/product-ingestion/configure', { resources: [{ $schema: 'https://schema.mp.microsoft.com/schema/product/2022-03-01-preview3', identity: { externalId: 'Bad Id!' }, type: 'softwareAsAService', alias: 'x' }] });
      assert.equal(bad.status, 202);
      let status = bad.body;
      while (status.jobStatus !== 'completed') status = (await call(world, world.owner, 'GET', `/rp/product-ingestion/configure/${bad.body.jobId}/status`)).body;
      assert.equal(status.jobResult, 'failed');
      assert.ok((status.errors as { code: string }[]).some((e) => e.code === 'notSupported'));
      const cancel = await call(world, world.owner, 'POST', `/rp/product-ingestion/configure/${bad.body.jobId}/cancel`);
      assert.equal(cancel.status, 400);
      assert.match(String(cancel.body.error.message), /already completed/);
    });

    it('refuses principals without a Partner Center role, and Developers what only Owners and Managers may do', async () => {
      const path = '/partner-center/publishers/contoso/offers/contoso-managed-ops';
      assert.equal((await call(world, world.outsider, 'GET', path)).status, 403);
      assert.equal((await call(world, world.outsider, 'POST', '/rp/product-ingestion/configure?publisherId=contoso', { resources: [] })).status, 403);
      assert.equal((await call(world, world.developer, 'GET', path)).status, 200, 'a Developer edits offers');
      assert.equal((await call(world, world.developer, 'GET', `${path}/leads`)).status, 403, 'a Developer does not see leads');
      assert.equal((await call(world, world.owner, 'GET', `${path}/leads`)).status, 200);
      assert.equal((await call(world, world.developer, 'PUT', `/partner-center/publishers/contoso/members/${world.outsider.objectId}`, { roles: ['Owner'] })).status, 403);
      assert.equal((await call(world, world.owner, 'POST', `${path}/approve`)).status, 403, 'certification approval is the operator\'s');
      assert.equal((await call(world, world.owner, 'POST', '/partner-center/publishers/contoso/verify')).status, 403);
    });

    it('documents the Partner Center and ingestion routes in /openapi.json', async () => {
      const paths = Object.keys((await call(world, undefined, 'GET', '/openapi.json')).body.paths as Record<string, unknown>);
      for (const p of ['/partner-center/publishers/{publisherId}/offers/{offerId}/submit', '/rp/product-ingestion/configure', '/rp/product-ingestion/resource-tree/product/{guid}']) {
        assert.ok(paths.includes(p), `${p} is documented`);
      }
    });
  });
}
