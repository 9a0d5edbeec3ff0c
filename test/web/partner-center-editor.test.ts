/**
 * Partner Center's offer editor in a real browser (test/support/browser.ts): Contoso's admin creates a
 * managed service offer with "+ New offer" and fills every section through the UI — each bad field shows
 * the API's own message next to it, a refused request saves nothing — uploads a logo (a too-large one is
 * refused with the API's rule), imports and exports a preview audience CSV, builds a plan with an eligible
 * authorization, and ends with every section Complete. Skips, saying why, where Chromium is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { makePng } from '../../src/core/marketplace/example-offer.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { call } from '../support/demo-offer.js';
import { browserSkip, startPortalWorld, type PortalWorld } from '../support/browser.js';

const ADMIN = 'admin@contoso.example';
const OFFER = 'contoso-patching';
const SUBSCRIPTIONS = ['5a1e0000-0000-4000-8000-000000000001', '5a1e0000-0000-4000-8000-000000000002', '5a1e0000-0000-4000-8000-000000000003'];

/** The messages a control's field shows (its `aria-describedby` / `aria-errormessage` texts). */
async function messageOf(control: Locator): Promise<string> {
  return control.evaluate((node) => {
    // Runs in the page (this project's types have no DOM).
    const el = node as unknown as { getAttribute(name: string): string | null; ownerDocument: { getElementById(id: string): { textContent: string | null } | null } };
    const ids = `${el.getAttribute('aria-describedby') ?? ''} ${el.getAttribute('aria-errormessage') ?? ''}`.split(/\s+/).filter((id) => id !== '');
    return ids.map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' ');
  });
}

async function waitForMessage(control: Locator, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (pattern.test(await messageOf(control))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(await messageOf(control), pattern);
}

/** The status the left-hand menu shows for a section. */
function menuStatus(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Offer sections' }).getByRole('link', { name: new RegExp(`^${name}`) });
}

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('All changes saved').waitFor();
}

describe('Partner Center\'s offer editor in the browser (Chromium, sqlite)', { skip: browserSkip }, () => {
  let world: PortalWorld;
  let token: string;
  const api = `/partner-center/publishers/contoso/offers/${OFFER}`;

  before(async () => {
    world = await startPortalWorld();
    token = await world.demo.token(ADMIN);
    await world.signIn(ADMIN);
  });

  after(async () => {
    await world?.stop();
  });

  it('creates an offer with "+ New offer": a bad offer ID gets the API\'s message and nothing is saved', async () => {
    const { page } = world;
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Partner Center' }).click();
    await page.getByRole('button', { name: '+ New offer' }).click();
    const dialog = page.getByRole('form', { name: 'New managed service offer for Contoso' });
    await dialog.getByLabel('Offer ID').fill('Contoso Patching!');
    await dialog.getByLabel('Offer alias').fill('Contoso Patching');
    await world.review('partner-center-new-offer');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await waitForMessage(dialog.getByLabel('Offer ID'), /Offer ID "Contoso Patching!" must be 3–50 lowercase letters/);
    assert.equal((await call(world.lantern, token, 'GET', '/partner-center/publishers/contoso/offers')).body.value.length, 0, 'the refused offer was not saved');
    await dialog.getByLabel('Offer ID').fill(OFFER);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Offer setup' }).waitFor();
    assert.match(page.url(), new RegExp(`/portal/partner-center/offers/contoso/${OFFER}/setup$`));
  });

  it('Offer setup: a lead destination with a bad URL shows the API\'s message, fixed it is Complete', async () => {
    const { page } = world;
    await page.getByLabel('Lead destination').selectOption({ label: 'HTTPS endpoint' });
    await page.getByLabel('HTTPS endpoint URL').fill('http://crm.contoso.example/leads');
    await page.getByLabel('Signing secret (HMAC-SHA256)').fill('contoso-lead-signing-secret');
    await page.getByLabel('Contact email (separate with ;)').fill('sales@contoso.example; leads@contoso.example');
    await save(page);
    await waitForMessage(page.getByLabel('HTTPS endpoint URL'), /HTTPS endpoint URL must be an absolute https:\/\/ URL\./);
    await menuStatus(page, 'Offer setup').getByText('1 error').waitFor();
    await page.getByLabel('HTTPS endpoint URL').fill('https://crm.contoso.example/leads');
    await save(page);
    await menuStatus(page, 'Offer setup').getByText('Complete').waitFor();
    assert.deepEqual((await call(world.lantern, token, 'GET', api)).body.draft.setup.customerLeads.contactEmails, ['sales@contoso.example', 'leads@contoso.example']);
    await world.review('partner-center-offer-setup');
  });

  it('Properties: six categories are refused by the API\'s rule; five with terms are Complete', async () => {
    const { page } = world;
    await menuStatus(page, 'Properties').click();
    for (const c of ['Analytics', 'Compute', 'Identity', 'Monitoring & Diagnostics', 'Security', 'Storage']) await page.getByRole('checkbox', { name: c, exact: true }).check();
    await page.getByRole('checkbox', { name: 'Threat protection' }).check();
    await page.getByLabel('Terms and conditions text').fill('Contoso\'s standard terms of service apply.');
    await save(page);
    await page.getByText('Choose between 1 and 5 categories (6 chosen).').waitFor();
    await page.getByRole('checkbox', { name: 'Storage', exact: true }).uncheck();
    await save(page);
    await menuStatus(page, 'Properties').getByText('Complete').waitFor();
    await world.review('partner-center-properties');
  });

  it('Offer listing: the description keeps only the allowed tags, a bad e-mail and a too-large logo get the API\'s messages', async () => {
    const { page } = world;
    await menuStatus(page, 'Offer listing').click();
    await page.getByLabel('Name', { exact: true }).fill('Contoso Patching');
    await page.getByLabel('Search results summary').fill('Monthly patching of your Azure VMs by Contoso engineers');
    await page.getByLabel('Short description').fill('Contoso patches and reports on your virtual machines every month.');
    const description = page.getByRole('textbox', { name: 'Description', exact: true });
    await description.click();
    await page.keyboard.type('Patching ');
    await page.getByRole('toolbar', { name: 'Description formatting' }).getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('every month');
    // Pasted markup beyond the allow-list (a link, an image, a script) is reduced to its text.
    await description.evaluate((el) => {
      // Runs in the page (this project's types have no DOM): the editor's own document.
      const doc = el.ownerDocument as unknown as { execCommand(command: string, ui: boolean, value: string): boolean };
      doc.execCommand('insertHTML', false, ' <a href="https://evil.example" style="color:red">with reports</a><img src="x"><script>1</script>');
    });
    await page.getByLabel('Privacy policy link').fill('https://contoso.example/privacy');
    for (const [who, prefix] of [['Support contact', 'support'], ['Engineering contact', 'engineering']] as const) {
      await page.getByLabel(`${who} name`).fill(`Contoso ${prefix}`);
      await page.getByLabel(`${who} e-mail`).fill(`${prefix}@contoso.example`);
      await page.getByLabel(`${who} phone`).fill('+1 425 555 0100');
    }
    await page.getByLabel('Support contact e-mail').fill('support-at-contoso');
    await save(page);
    await waitForMessage(page.getByLabel('Support contact e-mail'), /Support contact e-mail "support-at-contoso" is not a valid e-mail address\./);
    const saved = (await call(world.lantern, token, 'GET', api)).body.draft.listing.description as string;
    assert.equal(saved, 'Patching <b>every month</b> with reports', 'only allowed tags reach the API');
    await page.getByLabel('Support contact e-mail').fill('support@contoso.example');
    await save(page);

    const logo = page.getByLabel('Large logo');
    await logo.setInputFiles({ name: 'too-large.png', mimeType: 'image/png', buffer: Buffer.from(makePng(400, 400)) });
    await waitForMessage(logo, /Large logo "too-large\.png" is 400×400 pixels; it must be square, between 216×216 and 350×350\./);
    assert.equal((await call(world.lantern, token, 'GET', api)).body.draft.listing.logos.large, undefined, 'the refused logo was not saved');
    await logo.setInputFiles({ name: 'contoso.png', mimeType: 'image/png', buffer: Buffer.from(makePng(300, 300)) });
    await page.getByRole('img', { name: 'Large logo preview' }).waitFor();
    await page.getByRole('img', { name: 'Small logo preview' }).waitFor();
    await page.getByLabel('Screenshot caption').fill('The monthly patch report');
    await page.getByLabel('Add a screenshot').setInputFiles({ name: 'report.png', mimeType: 'image/png', buffer: Buffer.from(makePng(1280, 720)) });
    await page.getByRole('img', { name: 'The monthly patch report' }).waitFor();
    await menuStatus(page, 'Offer listing').getByText('Complete').waitFor();
    await world.review('partner-center-listing');
  });

  it('Preview audience: a CSV with a bad row is reported by the dry run; a good one is imported and exported', async () => {
    const { page } = world;
    await menuStatus(page, 'Preview audience').click();
    const csvFile = (rows: string[]) => ({ name: 'audience.csv', mimeType: 'text/csv', buffer: Buffer.from(['Id,Description,Type', ...rows].join('\n')) });
    const upload = page.getByLabel(/Import a CSV/);
    await upload.setInputFiles(csvFile([`${SUBSCRIPTIONS[0]},Contoso test,SubscriptionId`, 'not-a-guid,Typo,SubscriptionId']));
    await page.getByRole('list', { name: 'Problems in the CSV' }).getByText('row 3: "not-a-guid" is not an Azure subscription ID (a GUID).').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Import \d/ }).isDisabled(), true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await upload.setInputFiles(csvFile(SUBSCRIPTIONS.map((s, i) => `${s},Contoso test ${i + 1},SubscriptionId`)));
    await page.getByRole('button', { name: 'Import 3 subscriptions' }).click();
    const list = page.getByRole('table', { name: 'Preview audience' });
    await list.getByText(SUBSCRIPTIONS[2]!).waitFor();
    await menuStatus(page, 'Preview audience').getByText('Complete').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const exported = readFileSync((await download.path()), 'utf8');
    for (const s of SUBSCRIPTIONS) assert.match(exported, new RegExp(s));
    await world.review('partner-center-preview-audience');
  });

  it('Plans: creates a plan, fills its listing, and builds a manifest with an eligible authorization; every section ends Complete', async () => {
    const { page } = world;
    await menuStatus(page, 'Plan overview').click();
    await page.getByLabel('Plan ID').fill('Gold Plan');
    await page.getByLabel('Plan name').fill('Gold');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await waitForMessage(page.getByLabel('Plan ID'), /Plan ID "Gold Plan" must be 3–50 lowercase letters/);
    await page.getByLabel('Plan ID').fill('gold');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByRole('heading', { name: 'Gold' }).waitFor();
    await page.getByLabel('Plan summary').fill('Monthly patching with a named engineer');
    await page.getByLabel('Plan description').fill('Patching every month, reports, and an engineer on call.');
    await save(page);
    await menuStatus(page, 'Gold').getByText('Complete').waitFor();
    await world.review('partner-center-plan-listing');

    await page.getByRole('navigation', { name: 'Offer sections' }).getByRole('link', { name: /^Technical configuration/ }).click();
    await page.getByLabel('Tenant ID').fill(DEMO_IDS.contosoTenant);
    await page.getByRole('button', { name: 'Add an authorization' }).click();
    const first = page.getByRole('region', { name: 'Authorization 1' });
    await first.getByLabel('Display name (1)').fill('Contoso L2 Engineers');
    await first.getByLabel('Principal ID (1)').fill(DEMO_IDS.contosoL2Engineers);
    await first.getByRole('combobox', { name: 'Role (1)' }).click();
    const owner = page.getByRole('option', { name: /^Owner/ });
    assert.equal(await owner.getAttribute('aria-disabled'), 'true');
    assert.match(await owner.innerText(), /Not allowed: Owner can't be delegated: it would let the provider manage the customer's access\./);
    await page.getByRole('option', { name: 'Contributor', exact: true }).click();

    await page.getByRole('button', { name: 'Add an authorization' }).click();
    const second = page.getByRole('region', { name: 'Authorization 2' });
    await second.getByLabel('Display name (2)').fill('Contoso L2 Engineers (elevated)');
    await second.getByLabel('Principal ID (2)').fill('not-a-guid');
    await second.getByRole('radio', { name: 'Eligible' }).check();
    await second.getByRole('combobox', { name: 'Role (2)' }).click();
    await page.getByRole('option', { name: 'Virtual Machine Contributor', exact: true }).click();
    await second.getByLabel('Maximum duration (2)').selectOption({ label: '4 hours' });
    await second.getByRole('button', { name: 'Add an approver' }).click();
    await second.getByLabel('Approver 1 display name').fill('Contoso Offboarding');
    await second.getByLabel('Approver 1 principal ID').fill(DEMO_IDS.contosoOffboarding);
    await save(page);
    await waitForMessage(second.getByLabel('Principal ID (2)'), /Principal ID "not-a-guid" is not an object ID \(GUID\)\./);
    await second.getByLabel('Principal ID (2)').fill(DEMO_IDS.contosoL2Engineers);
    await save(page);
    await menuStatus(page, 'Technical configuration').getByText('Complete').waitFor();
    const manifest = (await call(world.lantern, token, 'GET', api)).body.draft.plans[0].technicalConfiguration.manifests[0];
    assert.deepEqual(manifest.authorizations[1].justInTime, { maximumDuration: 'PT4H', requireMfa: true, approvers: [{ principalId: DEMO_IDS.contosoOffboarding, displayName: 'Contoso Offboarding' }] });
    await world.review('partner-center-technical-configuration');

    await page.getByLabel('New version').fill('1.0.0');
    await page.getByRole('button', { name: '+ New manifest' }).click();
    await waitForMessage(page.getByLabel('New version'), /1\.0\.0/);
    await page.getByLabel('New version').fill('1.1.0');
    await page.getByRole('button', { name: '+ New manifest' }).click();
    await page.getByText('Current manifest: version 1.1.0 (2 versions).').waitFor();

    await menuStatus(page, 'Offer overview').click();
    const sections = page.getByRole('table', { name: 'Sections' });
    await sections.getByRole('cell', { name: 'Offer setup' }).waitFor();
    assert.deepEqual([...new Set(await sections.locator('tbody tr td:nth-child(2)').allTextContents())], ['Complete']);
    await world.review('partner-center-offer-editor');
  });

  it('a private plan\'s audience of 10,000 subscriptions stays a virtualised list: imported from CSV, filtered, scrolled to the end', async () => {
    const { page } = world;
    await menuStatus(page, 'Gold').click();
    await page.getByRole('radio', { name: 'Private' }).check();
    await save(page);
    const ids = Array.from({ length: 10_000 }, (_, i) => `7e570000-0000-4000-8000-${i.toString().padStart(12, '0')}`);
    await page.getByLabel(/Import a CSV/).setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(['Id,Description,Type', ...ids.map((id) => `${id},,SubscriptionId`)].join('\n')) });
    await page.getByRole('button', { name: 'Import 10,000 subscriptions' }).click();
    const list = page.getByRole('table', { name: 'Private audience of Gold' });
    await page.getByText('10,000 subscriptions', { exact: true }).waitFor();
    assert.equal(await list.getAttribute('aria-rowcount'), '10001');
    assert.ok(await list.getByRole('row').count() < 60, 'only the rows in view are in the page');
    const started = Date.now();
    await list.getByRole('rowgroup').last().evaluate((body) => { (body as unknown as { scrollTop: number; scrollHeight: number }).scrollTop = (body as unknown as { scrollHeight: number }).scrollHeight; });
    await list.getByText(ids.at(-1)!).waitFor();
    await page.getByLabel('Filter').fill('000000009999');
    await list.getByText(ids.at(-1)!).waitFor();
    assert.equal(await list.getByRole('row').count(), 2, 'the header and the one match');
    assert.ok(Date.now() - started < 3000, `scrolling and filtering 10,000 rows took ${Date.now() - started} ms`);
    await menuStatus(page, 'Gold').getByText('Complete').waitFor();
    await world.review('partner-center-private-audience');
  });

  it('guards unsaved changes when leaving a page, and no page raised a script error', async () => {
    const { page } = world;
    await menuStatus(page, 'Offer listing').click();
    await page.getByLabel('Search results summary').fill('Changed but not saved');
    await menuStatus(page, 'Properties').click();
    await page.getByRole('alertdialog', { name: 'Leave without saving?' }).waitFor();
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    assert.equal(await page.getByLabel('Search results summary').inputValue(), 'Changed but not saved');
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Marketplace' }).click();
    await page.getByRole('alertdialog', { name: 'Leave without saving?' }).waitFor();
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    await menuStatus(page, 'Properties').click();
    await page.getByRole('button', { name: 'Discard changes and leave' }).click();
    await page.getByRole('heading', { name: 'Properties' }).waitFor();
    assert.deepEqual(world.pageErrors, []);
  });
});
