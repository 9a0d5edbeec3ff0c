/**
 * Lantern's portal in a real browser: Debian's Chromium driven by playwright-core against a whole
 * Lantern over HTTPS (the demo world seeded, contoso-managed-ops published through the pipeline and
 * delegated by Fabrikam). Users sign in through Lantern's real sign-in page with MSAL (authorization
 * code with PKCE), then walk the Marketplace (browse, search, the offer page), the Portal
 * (subscriptions, resource groups, the directory switcher) and Partner Center (offers with status).
 * Every page is checked with axe-core (no serious or critical violation) and screenshotted at
 * 1280×800 into docs/screenshots/. The browser trusts exactly the test server's key (an SPKI pin),
 * no certificate check is switched off. Skips, saying why, where /usr/bin/chromium is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { WEB_BUILD_DIR } from '../../src/http/routes/portal-app-route.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { call, demoOffer, publishOffer, seedDemo, type DemoWorld } from '../support/demo-offer.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const OFFER = 'contoso.contoso-managed-ops';
const FAB_OWNER = 'owner@fabrikam.example';
const ADMIN = 'admin@contoso.example';
const ALICE = 'alice@contoso.example';

const skip = existsSync(CHROMIUM) ? false : `no browser: ${CHROMIUM} is absent (apt-get install -y chromium)`;
const sqlite = testDatabases().find((d) => d.name === 'sqlite')!;

/** base64(SHA-256(SPKI)) of the test certificate: Chromium accepts that key and no other. */
function spkiPin(certPath: string): string {
  const spki = new X509Certificate(readFileSync(certPath)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] }

/** axe-core's serious and critical violations on the page as it is now. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (no inline script) does not govern.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Runs in the page (this project's types have no DOM): the whole document.
    const page = globalThis as unknown as { axe: { run: (context: unknown) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return (await page.axe.run(page.document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.html.slice(0, 120)).join(', ')}`);
}

describe('The portal in the browser (Chromium, sqlite)', { skip }, () => {
  let lantern: TestLantern;
  let demo: DemoWorld;
  let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  /** Checks the page with axe-core and saves its screenshot as docs/screenshots/{name}.png. */
  const review = async (name: string) => {
    assert.deepEqual(await accessibilityProblems(page), [], `axe-core on ${name} (${page.url()})`);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  };

  /** Signs `upn` in from the portal's landing page through Lantern's sign-in page. */
  const signIn = async (upn: string, screenshot?: string) => {
    await page.goto(`${lantern.baseUrl}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/oauth2\/v2\.0\/authorize/);
    await page.getByLabel('User name (e-mail address)').fill(upn);
    await page.getByLabel('Password').fill(demo.credentials.users.find((u) => u.userPrincipalName === upn)!.password);
    if (screenshot) await review(screenshot);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('banner').getByText(upn, { exact: false }).waitFor();
  };

  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  };

  before(async () => {
    assert.ok(existsSync(join(WEB_BUILD_DIR, 'index.html')), 'the portal is built (npm run build)');
    mkdirSync(SCREENSHOTS, { recursive: true });
    leads = await startLeadEndpoint();
    lantern = await startTestLantern(sqlite, { marketplace: { allowPrivateLeadEndpoints: true } });
    demo = await seedDemo(lantern);
    const admin = await demo.token(ADMIN);
    await publishOffer(lantern, admin, demoOffer(demo, leads.url));
    // Fabrikam acquires the gold plan and delegates its production subscription to Contoso.
    const owner = await demo.token(FAB_OWNER);
    const fab = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
    const acquired = await call(lantern, owner, 'POST', `/marketplace${fab}/acquisitions`, { offerId: OFFER, planId: 'gold', acceptLegalTerms: true });
    assert.equal(acquired.status, 201, JSON.stringify(acquired.body));
    const delegated = await call(lantern, owner, 'POST', `/marketplace${fab}/acquisitions/${acquired.body.id as string}/delegate`, { scopes: [fab] });
    assert.ok(delegated.status < 300, JSON.stringify(delegated.body));

    profile = mkdtempSync(join(tmpdir(), 'lantern-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...ARGS, `--ignore-certificate-errors-spki-list=${spkiPin(process.env.LANTERN_TEST_TLS_CERT!)}`],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await lantern?.stop();
    await leads?.stop();
  });

  it('serves the page with its cache and security headers; API paths keep their 404 envelope', async () => {
    const index = await fetch(`${lantern.baseUrl}/portal/marketplace/offers/anything`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, html);
    const script = await fetch(`${lantern.baseUrl}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    const again = await fetch(`${lantern.baseUrl}${asset}`, { headers: { 'if-none-match': script.headers.get('etag')! } });
    assert.equal(again.status, 304);
    for (const path of ['/assets/missing.js', '/subscriptionz', '/marketplace/nothing-here']) {
      const res = await fetch(`${lantern.baseUrl}${path}`);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /json/, path);
    }
  });

  it('signs a customer in through Lantern\'s sign-in page; browses, searches and opens the offer page', async () => {
    await page.goto(`${lantern.baseUrl}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await review('sign-in-landing');
    await signIn(FAB_OWNER, 'sign-in-page');
    await page.getByRole('heading', { name: 'Welcome, Fabrikam Owner' }).waitFor();
    await review('home');

    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Marketplace' }).click();
    await page.getByRole('link', { name: 'Contoso Managed Operations' }).first().waitFor();
    await page.getByLabel('Search the marketplace').fill('patching');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 offer for “patching”').waitFor();
    assert.match(page.url(), /\/portal\/marketplace\?search=patching$/);
    await review('marketplace');

    await page.getByLabel('Search the marketplace').fill('nothing-matches-this');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No offers match your search').waitFor();

    await page.goto(`${lantern.baseUrl}/portal/marketplace?search=contoso`);
    await page.getByRole('link', { name: 'Contoso Managed Operations' }).first().click();
    await page.getByRole('heading', { name: 'Plans' }).waitFor();
    const gold = page.getByRole('table', { name: /Who gets access with Gold/ });
    await gold.getByRole('cell', { name: 'Contoso L2 Engineers' }).waitFor();
    assert.ok(await gold.getByRole('cell', { name: 'Contributor' }).count() > 0);
    await review('offer-page');

    await page.goto(`${lantern.baseUrl}/portal/marketplace/offers/contoso.no-such-offer`);
    await page.getByText('This offer is not available to you').waitFor();
  });

  it('lists the customer\'s subscriptions, resource groups with the subscription filter, and a group\'s resources', async () => {
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Portal' }).click();
    await page.getByRole('link', { name: 'Fabrikam Production' }).click();
    const groups = page.getByRole('table', { name: 'Resource groups' });
    await groups.getByRole('cell', { name: 'rg-web' }).waitFor();
    assert.deepEqual(await groups.locator('tbody tr td:first-child').allTextContents(), ['rg-data', 'rg-network', 'rg-web']);
    assert.match(page.url(), new RegExp(`subscription=${DEMO_IDS.fabrikamProduction}$`));
    await review('resource-groups');
    await groups.getByRole('link', { name: 'rg-web' }).click();
    const resources = page.getByRole('table', { name: 'Resources of rg-web' });
    await resources.getByRole('cell', { name: 'fabrikam-web' }).waitFor();
    assert.deepEqual((await resources.locator('tbody tr td:nth-child(2)').allTextContents()).sort(), ['Microsoft.Web/serverfarms', 'Microsoft.Web/sites']);
    await signOut();
  });

  it('shows a provider\'s user the delegated customer subscription, narrowed by the directory switcher', async () => {
    await signIn(ALICE);
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Portal' }).click();
    const subscriptions = page.getByRole('table', { name: 'Subscriptions' });
    await subscriptions.getByRole('link', { name: 'Fabrikam Production' }).waitFor();
    assert.ok(await subscriptions.getByText('Delegated').count() === 1);
    await review('subscriptions');

    await page.getByLabel('Directory').selectOption({ label: 'Contoso (home)' });
    await page.getByText('No subscriptions in this directory').waitFor();
    await page.getByLabel('Directory').selectOption({ label: 'Fabrikam (delegated)' });
    await subscriptions.getByRole('link', { name: 'Fabrikam Production' }).waitFor();
    await signOut();
  });

  it('shows the publisher\'s offers with their status in Partner Center, and an offer\'s sections', async () => {
    await signIn(ADMIN);
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Partner Center' }).click();
    const offers = page.getByRole('table', { name: 'Offers of Contoso' });
    await offers.getByRole('cell', { name: 'contoso-managed-ops' }).waitFor();
    assert.equal(await offers.getByText('Live').count(), 1);
    await review('partner-center-offers');
    await offers.getByRole('link', { name: 'Contoso Managed Operations' }).click();
    const sections = page.getByRole('table', { name: 'Sections' });
    await sections.getByRole('cell', { name: 'Offer setup' }).waitFor();
    assert.deepEqual([...new Set(await sections.locator('tbody tr td:nth-child(2)').allTextContents())], ['Complete'], 'a live offer has every section complete');
    await review('partner-center-offer');
    assert.deepEqual(pageErrors, [], 'no script error on any page');
  });
});
