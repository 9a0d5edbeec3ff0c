/**
 * The customer and provider stories of product.md through the portal in a real browser
 * (test/support/browser.ts), as the demo world's users: onboard (Fabrikam's Owner: Marketplace →
 * Create → delegate; a subscription it may not delegate is disabled with the reason), manage (Alice
 * sees Fabrikam in My customers), update (Contoso publishes 1.1.0; Fabrikam reviews the difference
 * and accepts), template path (Service providers → Add offer) and offboard (Fabrikam removes the
 * delegation; Contoso no longer sees it). Skips, saying why, where /usr/bin/chromium is absent.
 */
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Offer } from '../../src/core/marketplace/model.js';
import { CONTRIBUTOR, READER } from '../../src/core/roles/builtin-catalog.js';
import { systemContext } from '../../src/services/context.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { createSubscription } from '../../src/services/operator/subscription-admin.js';
import { demoOffer, publishOffer, type DemoWorld } from '../support/demo-offer.js';
import { browserSkip, startPortalWorld, type PortalWorld } from '../support/browser.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const OFFER = 'contoso.contoso-managed-ops';
const FAB_OWNER = 'owner@fabrikam.example';
const ADMIN = 'admin@contoso.example';
const ALICE = 'alice@contoso.example';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const SANDBOX = 'fab5a000-0000-4000-8000-0000000000b2';

/** Gold 1.0.0 also makes Contoso L1 Support eligible for Contributor (4 hours, MFA, approved by Contoso Admin). */
function withEligible(offer: Offer, demo: DemoWorld): Offer {
  const gold = offer.plans[0]!;
  const first = gold.technicalConfiguration.manifests[0]!;
  const eligible = {
    displayName: 'Contoso L1 Support', principalId: demo.id('Contoso L1 Support'), roleDefinitionId: CONTRIBUTOR, accessType: 'eligible' as const,
    justInTime: { maximumDuration: 'PT4H', requireMfa: true, approvers: [{ principalId: demo.id(ADMIN), displayName: 'Contoso Admin' }] },
  };
  return { ...offer, plans: [{ ...gold, technicalConfiguration: { manifests: [{ ...first, authorizations: [...first.authorizations, eligible] }] } }] };
}

/** Gold 1.1.0: Contoso L1 Support's Contributor becomes permanent (one removed, one added). */
function withUpdate(offer: Offer): Offer {
  const gold = offer.plans[0]!;
  const first = gold.technicalConfiguration.manifests[0]!;
  const next = {
    ...first,
    version: '1.1.0',
    authorizations: first.authorizations.map((a) => (a.accessType === 'eligible' ? { displayName: a.displayName, principalId: a.principalId, roleDefinitionId: a.roleDefinitionId, accessType: 'active' as const } : a)),
  };
  return { ...offer, plans: [{ ...gold, technicalConfiguration: { manifests: [first, next] } }] };
}

/** A Lighthouse onboarding template as providers hand them out (Azure-Lighthouse-samples' shape). */
function lighthouseTemplate(demo: DemoWorld) {
  return {
    $schema: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { mspOfferName: { type: 'string' }, managedByTenantId: { type: 'string' } },
    variables: { name: "[guid(parameters('mspOfferName'))]" },
    resources: [
      {
        type: 'Microsoft.ManagedServices/registrationDefinitions',
        apiVersion: '2022-10-01',
        name: "[variables('name')]",
        properties: { registrationDefinitionName: "[parameters('mspOfferName')]", managedByTenantId: "[parameters('managedByTenantId')]", authorizations: [{ principalId: demo.id('Contoso L1 Support'), principalIdDisplayName: 'Contoso L1 Support', roleDefinitionId: READER }] },
      },
      {
        type: 'Microsoft.ManagedServices/registrationAssignments',
        apiVersion: '2022-10-01',
        name: "[variables('name')]",
        dependsOn: ["[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('name'))]"],
        properties: { registrationDefinitionId: "[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('name'))]" },
      },
    ],
  };
}

const PARAMETERS = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
  contentVersion: '1.0.0.0',
  parameters: { mspOfferName: { value: 'Contoso network watch' }, managedByTenantId: { value: DEMO_IDS.contosoTenant } },
};

describe('Customer and provider journeys in the browser (Chromium, sqlite)', { skip: browserSkip }, () => {
  let world: PortalWorld;
  let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
  let offer: Offer;
  const go = (path: string) => world.page.goto(`${world.lantern.baseUrl}${path}`);
  const portalSection = async (name: string) => {
    await world.page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Portal' }).click();
    await world.page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name }).click();
  };
  const goldCard = () => world.page.locator('.fui-Card').filter({ has: world.page.getByRole('heading', { name: 'Contoso Managed Operations · Gold' }) });

  before(async () => {
    leads = await startLeadEndpoint();
    world = await startPortalWorld({ marketplace: { allowPrivateLeadEndpoints: true } });
    const { lantern, demo } = world;
    offer = withEligible(demoOffer(demo, leads.url), demo);
    await publishOffer(lantern, await demo.token(ADMIN), offer);
    // A second Fabrikam subscription on which its Owner is only a Reader: it may not delegate it.
    const services = lantern.services;
    await createSubscription({ store: services.store, engine: services.access.engine }, { subscriptionId: SANDBOX, tenantId: DEMO_IDS.fabrikamTenant, displayName: 'Fabrikam Sandbox' });
    await services.rbac.putRoleAssignment(systemContext(services.ids), {
      name: randomUUID(), scope: `/subscriptions/${SANDBOX}`, roleDefinitionId: READER, principalId: demo.id(FAB_OWNER), principalType: 'User',
    });
  });

  after(async () => {
    await world?.stop();
    await leads?.stop();
  });

  it('onboards: Fabrikam\'s Owner creates from the offer page, sees who gets which role, delegates, and finds it in Service providers', async () => {
    const page = world.page;
    await world.signIn(FAB_OWNER);
    await go(`/portal/marketplace/offers/${OFFER}`);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Create: Contoso Managed Operations' }).waitFor();
    assert.match(page.url(), new RegExp(`/portal/marketplace/offers/${OFFER}/create$`));
    await page.getByRole('radio', { name: /^Gold/ }).check();
    await world.review('create-plan');
    await page.getByRole('button', { name: 'Next' }).click();

    const next = page.getByRole('button', { name: 'Next' });
    assert.equal(await next.isDisabled(), true, 'the terms must be accepted first');
    await page.getByRole('checkbox', { name: /I accept the legal terms of Gold/ }).check();
    await world.review('create-terms');
    await next.click();

    const production = page.getByRole('radio', { name: `Fabrikam Production (${DEMO_IDS.fabrikamProduction})` });
    await production.waitFor();
    const sandbox = page.getByRole('radio', { name: `Fabrikam Sandbox (${SANDBOX})` });
    assert.equal(await sandbox.isDisabled(), true, 'a subscription the Owner only reads is disabled');
    await page.getByText('You need Owner on this subscription to delegate it. Your role here: Reader.').waitFor();
    assert.equal(await next.isDisabled(), true, 'nothing chosen yet');
    await production.check();
    // Resource groups are offered too, each checked with the engine.
    await page.getByRole('radio', { name: 'Some of its resource groups' }).check();
    await page.getByRole('checkbox', { name: 'rg-web' }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'rg-data' }).isDisabled(), false);
    assert.equal(await next.isDisabled(), true, 'no resource group chosen yet');
    await page.getByRole('radio', { name: 'The whole subscription' }).check();
    await world.review('create-scope');
    await next.click();

    const access = page.getByRole('table', { name: 'Who gets access with Gold' });
    await access.getByRole('cell', { name: 'Contoso L2 Engineers' }).waitFor();
    const rows = await access.locator('tbody tr').allTextContents();
    assert.ok(rows.some((r) => r.includes('Contoso Offboarding') && r.includes('Managed Services Registration assignment Delete Role')), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('Contoso L1 Support') && r.includes('Contributor') && r.includes('at most 4 hours, MFA required, approved by Contoso Admin')), rows.join('\n'));
    await page.getByText('Delegating the whole subscription Fabrikam Production with Contoso Managed Operations · Gold (version 1.0.0)').waitFor();
    await world.review('create-review');
    await page.getByRole('button', { name: 'Delegate' }).click();
    await page.getByText('Delegated', { exact: true }).waitFor();
    await page.getByRole('definition').getByText('Fabrikam Production', { exact: true }).waitFor();
    await world.review('create-done');

    await page.getByRole('link', { name: 'See it in Service providers' }).click();
    const delegations = page.getByRole('table', { name: 'Delegations of Contoso Managed Operations · Gold' });
    await delegations.getByRole('cell', { name: FAB, exact: true }).waitFor();
    await world.review('service-providers');
    await world.signOut();
  });

  it('manages: Alice sees Fabrikam in My customers with the delegation\'s offer, plan and roles, without a Remove she may not use', async () => {
    const page = world.page;
    await world.signIn(ALICE);
    await portalSection('My customers');
    const customers = page.getByRole('table', { name: 'Customers' });
    await customers.getByRole('button', { name: 'Fabrikam' }).click();
    const delegations = page.getByRole('table', { name: 'Delegations of Contoso Managed Operations' });
    await delegations.getByRole('cell', { name: 'Fabrikam Production', exact: true }).waitFor();
    await delegations.getByText('Contoso L2 Engineers: Contributor').waitFor();
    await page.getByText(/plan gold · version 1\.0\.0/).waitFor();
    assert.equal(await delegations.getByRole('button', { name: /Remove/ }).count(), 0, 'Alice holds no Delete Role');
    await delegations.getByText('Removing needs the Managed Services Registration assignment Delete Role here.').waitFor();
    await page.getByLabel('Filter customers').fill('northwind');
    await page.getByText('No customer matches the filter').waitFor();
    await page.getByLabel('Filter customers').fill('fabri');
    await customers.getByRole('button', { name: 'Fabrikam' }).waitFor();
    await world.review('my-customers');
    await world.signOut();
  });

  it('updates: Contoso publishes 1.1.0; Fabrikam sees who gains and who loses which role, and accepts', async () => {
    await publishOffer(world.lantern, await world.demo.token(ADMIN), withUpdate(offer));
    await world.signIn(FAB_OWNER);
    await portalSection('Service providers');
    const card = goldCard();
    await card.getByText('Update available', { exact: true }).first().waitFor();
    const gains = card.getByRole('table', { name: /Who gains access with .* 1\.1\.0/ });
    assert.deepEqual((await gains.locator('tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ' ')), ['Contoso L1 SupportContributorPermanent (always active)']);
    const loses = card.getByRole('table', { name: /Who loses access with .* 1\.1\.0/ });
    assert.match(await loses.locator('tbody tr').first().textContent() ?? '', /Contoso L1 Support.*Contributor.*Eligible/);
    await world.review('service-providers-update');
    await card.getByRole('button', { name: 'Accept version 1.1.0' }).click();
    await goldCard().getByText('Version 1.1.0', { exact: true }).waitFor();
    assert.equal(await goldCard().getByText('Update available', { exact: true }).count(), 0);
  });

  it('adds an offer from a Lighthouse template (paste template and parameters); a broken template is said in words', async () => {
    const page = world.page;
    await page.getByRole('button', { name: 'Add offer' }).click();
    await page.getByRole('heading', { name: 'Add offer from a template' }).waitFor();
    await page.getByRole('textbox', { name: 'Template' }).fill('{ "resources": [');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText(/The template is not valid JSON/).waitFor();
    await page.getByRole('textbox', { name: 'Template' }).fill(JSON.stringify(lighthouseTemplate(world.demo), null, 2));
    await page.getByLabel('Or upload the parameters file (.json)').setInputFiles({ name: 'parameters.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(PARAMETERS)) });
    const parameters = page.getByRole('textbox', { name: 'Parameters' });
    for (let i = 0; i < 50 && !(await parameters.inputValue()).includes('Contoso network watch'); i++) await page.waitForTimeout(100);
    assert.match(await parameters.inputValue(), /Contoso network watch/, 'the uploaded file is read into the field');
    await page.getByLabel('Deployment name').fill('contoso-network-watch');
    // The deployment decides: at the subscription Fabrikam's Owner only reads, it is refused in words.
    await page.getByLabel('Subscription').selectOption({ label: `Fabrikam Sandbox (${SANDBOX})` });
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('Not deployed').waitFor();
    await page.getByText(/\(AuthorizationFailed\)/).waitFor();
    await page.getByLabel('Subscription').selectOption({ label: `Fabrikam Production (${DEMO_IDS.fabrikamProduction})` });
    await world.review('service-providers-add-offer');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByRole('heading', { name: 'Contoso network watch' }).waitFor();
    const delegations = page.getByRole('table', { name: 'Delegations of Contoso network watch' });
    await delegations.getByRole('cell', { name: FAB, exact: true }).waitFor();
  });

  it('offboards: Fabrikam removes the delegation after confirming; Alice no longer sees Fabrikam', async () => {
    const page = world.page;
    const delegations = page.getByRole('table', { name: 'Delegations of Contoso Managed Operations · Gold' });
    await delegations.getByRole('button', { name: 'Remove the delegation of Fabrikam Production' }).click();
    const dialog = page.getByRole('group', { name: 'Remove this delegation?' });
    await dialog.getByText(/loses all access it has through this delegation at once/).waitFor();
    await world.review('service-providers-remove');
    await dialog.getByRole('button', { name: 'Remove delegation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await goldCard().getByText('Terms accepted, nothing delegated yet').waitFor();
    assert.equal(await delegations.count(), 0);
    const again = goldCard().getByRole('link', { name: 'Delegate a subscription or resource groups with this plan' });
    assert.equal(await again.getAttribute('href'), `/portal/marketplace/offers/${OFFER}/create?plan=gold`);
    await world.signOut();

    await world.signIn(ALICE);
    await portalSection('My customers');
    await page.getByText('No customers yet').waitFor();
  });

  it('stays responsive with 1,000 customers: only the rows in view are in the page, scrolling and the filter reach any of them', async () => {
    const page = world.page;
    // The list as a provider with a thousand customers gets it (the API's own shape), served to the page in place of Lantern's answer.
    const customers = Array.from({ length: 1000 }, (_, i) => {
      const tenant = `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
      return { id: `/providers/Lantern.Lighthouse/myCustomers/${tenant}`, type: 'Lantern.Lighthouse/myCustomers', name: tenant, properties: { customerTenantId: tenant, customerName: `Customer ${String(i + 1).padStart(4, '0')}`, offers: [] } };
    });
    await page.route('**/providers/Lantern.Lighthouse/myCustomers?*', (route) => route.fulfill({ json: { value: customers } }));
    try {
      await page.reload();
      await page.getByText('1000 customers').waitFor();
      const table = page.getByRole('table', { name: 'Customers' });
      assert.equal(await table.getAttribute('aria-rowcount'), '1001');
      const rendered = await table.getByRole('row').count();
      assert.ok(rendered < 40, `${rendered} rows in the page`);
      await table.getByRole('rowgroup', { name: /Customers: 1000 rows/ }).evaluate((body) => { body.scrollTop = body.scrollHeight; });
      await table.getByRole('button', { name: 'Customer 1000' }).waitFor();
      await page.getByLabel('Filter customers').fill('customer 0421');
      await page.getByText('1 of 1000 customers').waitFor();
      await table.getByRole('button', { name: 'Customer 0421' }).waitFor();
    } finally {
      await page.unroute('**/providers/Lantern.Lighthouse/myCustomers?*');
    }
    assert.deepEqual(world.pageErrors, [], 'no script error on any page');
  });
});
