/**
 * Lantern's portal in a real browser (test/support/browser.ts): contoso-managed-ops published through
 * the pipeline and delegated by Fabrikam. Users walk the Marketplace (browse, search, the offer page),
 * the Portal (subscriptions, resource groups, the directory switcher) and Partner Center (offers with
 * status). Skips, saying why, where /usr/bin/chromium is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { call, demoOffer, publishOffer } from '../support/demo-offer.js';
import { browserSkip, startPortalWorld, type PortalWorld } from '../support/browser.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const OFFER = 'contoso.contoso-managed-ops';
const FAB_OWNER = 'owner@fabrikam.example';
const ADMIN = 'admin@contoso.example';
const ALICE = 'alice@contoso.example';

describe('The portal in the browser (Chromium, sqlite)', { skip: browserSkip }, () => {
  let world: PortalWorld;
  let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;

  before(async () => {
    leads = await startLeadEndpoint();
    world = await startPortalWorld({ marketplace: { allowPrivateLeadEndpoints: true } });
    const { lantern, demo } = world;
    const admin = await demo.token(ADMIN);
    await publishOffer(lantern, admin, demoOffer(demo, leads.url));
    // Fabrikam acquires the gold plan and delegates its production subscription to Contoso.
    const owner = await demo.token(FAB_OWNER);
    const fab = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
    const acquired = await call(lantern, owner, 'POST', `/marketplace${fab}/acquisitions`, { offerId: OFFER, planId: 'gold', acceptLegalTerms: true });
    assert.equal(acquired.status, 201, JSON.stringify(acquired.body));
    const delegated = await call(lantern, owner, 'POST', `/marketplace${fab}/acquisitions/${acquired.body.id as string}/delegate`, { scopes: [fab] });
    assert.ok(delegated.status < 300, JSON.stringify(delegated.body));
  });

  after(async () => {
    await world?.stop();
    await leads?.stop();
  });

  it('serves the page with its cache and security headers; API paths keep their 404 envelope', async () => {
    const index = await fetch(`${world.lantern.baseUrl}/portal/marketplace/offers/anything`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, html);
    const script = await fetch(`${world.lantern.baseUrl}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    const again = await fetch(`${world.lantern.baseUrl}${asset}`, { headers: { 'if-none-match': script.headers.get('etag')! } });
    assert.equal(again.status, 304);
    for (const path of ['/assets/missing.js', '/subscriptionz', '/marketplace/nothing-here']) {
      const res = await fetch(`${world.lantern.baseUrl}${path}`);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /json/, path);
    }
  });

  it('signs a customer in through Lantern\'s sign-in page; browses, searches and opens the offer page', async () => {
    await world.page.goto(`${world.lantern.baseUrl}/`);
    await world.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await world.review('sign-in-landing');
    await world.signIn(FAB_OWNER, 'sign-in-page');
    await world.page.getByRole('heading', { name: 'Welcome, Fabrikam Owner' }).waitFor();
    await world.review('home');

    await world.page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Marketplace' }).click();
    await world.page.getByRole('link', { name: 'Contoso Managed Operations' }).first().waitFor();
    await world.page.getByLabel('Search the marketplace').fill('patching');
    await world.page.getByRole('button', { name: 'Search' }).click();
    await world.page.getByText('1 offer for “patching”').waitFor();
    assert.match(world.page.url(), /\/portal\/marketplace\?search=patching$/);
    await world.review('marketplace');

    await world.page.getByLabel('Search the marketplace').fill('nothing-matches-this');
    await world.page.getByRole('button', { name: 'Search' }).click();
    await world.page.getByText('No offers match your search').waitFor();

    await world.page.goto(`${world.lantern.baseUrl}/portal/marketplace?search=contoso`);
    await world.page.getByRole('link', { name: 'Contoso Managed Operations' }).first().click();
    await world.page.getByRole('heading', { name: 'Plans' }).waitFor();
    const gold = world.page.getByRole('table', { name: /Who gets access with Gold/ });
    await gold.getByRole('cell', { name: 'Contoso L2 Engineers' }).waitFor();
    assert.ok(await gold.getByRole('cell', { name: 'Contributor' }).count() > 0);
    await world.review('offer-page');

    await world.page.goto(`${world.lantern.baseUrl}/portal/marketplace/offers/contoso.no-such-offer`);
    await world.page.getByText('This offer is not available to you').waitFor();
  });

  it('lists the customer\'s subscriptions, resource groups with the subscription filter, and a group\'s resources', async () => {
    await world.page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Portal' }).click();
    await world.page.getByRole('link', { name: 'Fabrikam Production' }).click();
    const groups = world.page.getByRole('table', { name: 'Resource groups' });
    await groups.getByRole('cell', { name: 'rg-web' }).waitFor();
    assert.deepEqual(await groups.locator('tbody tr td:first-child').allTextContents(), ['rg-data', 'rg-network', 'rg-web']);
    assert.match(world.page.url(), new RegExp(`subscription=${DEMO_IDS.fabrikamProduction}$`));
    await world.review('resource-groups');
    await groups.getByRole('link', { name: 'rg-web' }).click();
    const resources = world.page.getByRole('table', { name: 'Resources of rg-web' });
    await resources.getByRole('cell', { name: 'fabrikam-web' }).waitFor();
    assert.deepEqual((await resources.locator('tbody tr td:nth-child(2)').allTextContents()).sort(), ['Microsoft.Web/serverfarms', 'Microsoft.Web/sites']);
    await world.signOut();
  });

  it('shows a provider\'s user the delegated customer subscription, narrowed by the directory switcher', async () => {
    await world.signIn(ALICE);
    await world.page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Portal' }).click();
    const subscriptions = world.page.getByRole('table', { name: 'Subscriptions' });
    await subscriptions.getByRole('link', { name: 'Fabrikam Production' }).waitFor();
    assert.ok(await subscriptions.getByText('Delegated').count() === 1);
    await world.review('subscriptions');

    await world.page.getByLabel('Directory').selectOption({ label: 'Contoso (home)' });
    await world.page.getByText('No subscriptions in this directory').waitFor();
    await world.page.getByLabel('Directory').selectOption({ label: 'Fabrikam (delegated)' });
    await subscriptions.getByRole('link', { name: 'Fabrikam Production' }).waitFor();
    await world.signOut();
  });

  it('shows the publisher\'s offers with their status in Partner Center, and an offer\'s sections', async () => {
    await world.signIn(ADMIN);
    await world.page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Partner Center' }).click();
    const offers = world.page.getByRole('table', { name: 'Offers of Contoso' });
    await offers.getByRole('cell', { name: 'contoso-managed-ops' }).waitFor();
    assert.equal(await offers.getByText('Live').count(), 1);
    await world.review('partner-center-offers');
    await offers.getByRole('link', { name: 'Contoso Managed Operations' }).click();
    const sections = world.page.getByRole('table', { name: 'Sections' });
    await sections.getByRole('cell', { name: 'Offer setup' }).waitFor();
    assert.deepEqual([...new Set(await sections.locator('tbody tr td:nth-child(2)').allTextContents())], ['Complete'], 'a live offer has every section complete');
    await world.review('partner-center-offer');
    assert.deepEqual(world.pageErrors, [], 'no script error on any page');
  });
});
