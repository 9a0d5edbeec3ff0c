/**
 * Partner Center's publishing and publisher pages in a real browser (test/support/browser.ts): the
 * "Publish" story through the portal — a complete draft of contoso-managed-ops written over the API,
 * then Review and publish, the pipeline's live progress, Go live, Live; a draft change shown by
 * Compare (fields and who gains or loses which role) and the publish listed by History; Referrals
 * (the submission's test lead, redelivery, CSV export), Users (list, add) and the action center.
 * Skips, saying why, where /usr/bin/chromium is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MONITORING_READER } from '../../src/core/roles/builtin-catalog.js';
import { call, demoOffer, prepareDraft } from '../support/demo-offer.js';
import { browserSkip, startPortalWorld, type PortalWorld } from '../support/browser.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const ADMIN = 'admin@contoso.example';
const OFFER_API = '/partner-center/publishers/contoso/offers/contoso-managed-ops';
const OFFER_PAGE = '/portal/partner-center/offers/contoso/contoso-managed-ops';

describe('Partner Center: publishing and publisher pages in the browser (Chromium, sqlite)', { skip: browserSkip }, () => {
  let world: PortalWorld;
  let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
  let admin: string;

  before(async () => {
    leads = await startLeadEndpoint();
    world = await startPortalWorld({ marketplace: { allowPrivateLeadEndpoints: true } });
    admin = await world.demo.token(ADMIN);
    await prepareDraft(world.lantern, admin, demoOffer(world.demo, leads.url));
    await world.signIn(ADMIN);
  });

  after(async () => {
    await world?.stop();
    await leads?.stop();
  });

  it('reviews the draft, publishes it, watches the pipeline to the preview, goes live', async () => {
    const { page } = world;
    await page.goto(`${world.lantern.baseUrl}${OFFER_PAGE}/review`);
    const sections = page.getByRole('table', { name: 'Sections to publish' });
    await sections.getByRole('link', { name: 'Offer setup' }).waitFor();
    assert.deepEqual([...new Set(await sections.locator('tbody tr td:nth-child(2)').allTextContents())], ['Complete']);
    await page.getByText('None: every section is ready').waitFor();
    await world.review('partner-center-review');

    await page.getByLabel('Notes for certification (optional)').fill('Test with the Contoso test subscription.');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const steps = page.getByRole('list', { name: 'Publishing steps' });
    await page.getByRole('button', { name: 'Go live' }).waitFor({ timeout: 30_000 });
    assert.match(await steps.textContent() ?? '', /Automated validationDone.*CertificationDone.*PreviewDone.*Go liveWaiting/);
    await page.getByText('The preview is ready: check it, then select Go live.').waitFor();
    await page.getByRole('heading', { name: 'Review and publish' }).scrollIntoViewIfNeeded();
    await world.review('partner-center-publish-progress');

    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByText('Version 1 is live in the marketplace.').waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Review and publish' }).scrollIntoViewIfNeeded();
    assert.equal((await call(world.lantern, admin, 'GET', OFFER_API)).body.status, 'Live');
    await world.review('partner-center-live');
  });

  it('compares a changed draft with the live version and lists the publish in History', async () => {
    const { page } = world;
    assert.equal((await call(world.lantern, admin, 'PUT', `${OFFER_API}/listing`, { searchResultsSummary: 'Managed operations, patching and monitoring by Contoso' })).status, 200);
    const live = (await call(world.lantern, admin, 'GET', OFFER_API)).body.draft.plans[0].technicalConfiguration.manifests[0] as { tenantId: string; authorizations: { displayName: string; roleDefinitionId: string }[] };
    const authorizations = live.authorizations.map((a) => (a.displayName === 'Contoso L1 Support' ? { ...a, roleDefinitionId: MONITORING_READER } : a));
    const manifest = await call(world.lantern, admin, 'POST', `${OFFER_API}/plans/gold/manifests`, { version: '1.1.0', tenantId: live.tenantId, authorizations });
    assert.equal(manifest.status, 200, JSON.stringify(manifest.body));

    await page.getByRole('navigation', { name: 'Offer pages' }).getByRole('link', { name: 'Compare' }).click();
    const roles = page.getByRole('table', { name: 'Authorization changes' });
    await roles.getByRole('row', { name: /Contoso L1 Support Gains Monitoring Reader/ }).waitFor();
    await roles.getByRole('row', { name: /Contoso L1 Support Loses Reader/ }).waitFor();
    const fields = page.getByRole('table', { name: 'Fields: draft and published' });
    const summary = fields.getByRole('row', { name: /listing\.searchResultsSummary/ });
    await summary.getByText('Edited').waitFor();
    await summary.getByText('Managed operations, patching and monitoring by Contoso').waitFor();
    await world.review('partner-center-compare');
    await page.getByLabel('Only changed fields').uncheck();
    await fields.getByRole('row', { name: /listing\.name/ }).getByText('Same').waitFor();

    await page.getByRole('navigation', { name: 'Offer pages' }).getByRole('link', { name: 'History' }).click();
    const events = page.getByRole('table', { name: 'History events' });
    await events.getByRole('cell', { name: 'Published to marketplace' }).waitFor();
    await events.getByRole('row', { name: new RegExp(`Submitted offer to preview ${ADMIN}`) }).waitFor();
    await events.getByRole('row', { name: new RegExp(`Sign-off to go live ${ADMIN}`) }).waitFor();
    await page.getByRole('table', { name: 'Versions' }).getByRole('row', { name: new RegExp(`1 .*${ADMIN} Publish Live`) }).waitFor();
    await world.review('partner-center-history');
  });

  it('shows the submission\'s test lead in Referrals with its delivery, redelivers it and exports CSV', async () => {
    const { page } = world;
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Partner Center' }).click();
    await page.getByRole('navigation', { name: 'Partner Center' }).getByRole('link', { name: 'Referrals' }).click();
    const table = page.getByRole('table', { name: 'Leads' });
    const lead = table.getByRole('row', { name: /Test lead/ }).first();
    await lead.getByText('Delivered').waitFor();
    await world.review('partner-center-referrals');

    const before = leads.received.length;
    await lead.getByRole('button', { name: /^Redeliver/ }).click();
    await page.getByText(/is queued for delivery again/).waitFor();
    for (let i = 0; i < 200 && leads.received.length === before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(leads.received.length, before + 1, 'the lead was sent again');
    await lead.getByText('Delivered').waitFor();

    await lead.getByRole('button', { name: /^Delivery log/ }).click();
    const log = page.getByRole('table', { name: 'Delivery attempts' });
    await log.getByRole('row').nth(1).waitFor();
    await page.getByRole('button', { name: 'Close the delivery log' }).click();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'referrals-contoso.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv.split('\n')[0] ?? '', /LeadSource/i);
    assert.ok(csv.split('\n').filter((l) => l.trim() !== '').length >= 2, csv);
  });

  it('lists the publisher\'s users with their roles and adds one', async () => {
    const { page } = world;
    await page.getByRole('navigation', { name: 'Partner Center' }).getByRole('link', { name: 'Users' }).click();
    const users = page.getByRole('table', { name: 'Publisher users' });
    await users.getByRole('cell', { name: ADMIN }).waitFor();
    assert.ok(await users.getByRole('group', { name: /^Roles of Contoso Admin/ }).getByRole('checkbox', { name: 'Owner' }).isChecked());
    await page.getByLabel('User or service principal of your directory').selectOption({ label: 'Alice Engineer (alice@contoso.example)' }).catch(async () => {
      const options = await page.getByLabel('User or service principal of your directory').locator('option').allTextContents();
      throw new Error(`no Alice among ${options.join(', ')}`);
    });
    const toGive = page.getByRole('group', { name: 'Roles to give' });
    await toGive.getByRole('checkbox', { name: 'Manager' }).check();
    await toGive.getByRole('checkbox', { name: 'Developer' }).uncheck();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await users.getByRole('cell', { name: 'alice@contoso.example' }).waitFor();
    await world.review('partner-center-users');
    const publisher = await call(world.lantern, admin, 'GET', '/partner-center/publishers/contoso');
    const members = publisher.body.account.members as { userId: string; roles: string[] }[];
    assert.deepEqual(members.find((m) => m.userId === world.demo.id('alice@contoso.example'))?.roles, ['Manager']);
  });

  it('explains a failed submission in words: the lead destination refused the test lead', async () => {
    const { page } = world;
    const setup = await call(world.lantern, admin, 'PUT', `${OFFER_API}/setup`, { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: 'https://localhost:1/leads', contactEmails: ['sales@contoso.example'] } });
    assert.equal(setup.status, 200, JSON.stringify(setup.body));
    await page.goto(`${world.lantern.baseUrl}${OFFER_PAGE}/review`);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Publishing stopped at Automated validation').waitFor({ timeout: 30_000 });
    await page.getByText(/^Lead destination: /).waitFor();
    assert.match(await page.getByRole('list', { name: 'Publishing steps' }).textContent() ?? '', /Automated validationFailed/);
    await page.getByRole('heading', { name: 'Review and publish' }).scrollIntoViewIfNeeded();
    await world.review('partner-center-publish-failed');
  });

  it('shows the action center\'s items', async () => {
    const { page } = world;
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Partner Center' }).click();
    await page.getByRole('navigation', { name: 'Partner Center' }).getByRole('link', { name: 'Action center' }).click();
    const stopped = page.getByRole('group', { name: 'Contoso Managed Operations: publishing stopped' });
    await stopped.getByRole('link', { name: 'Review and publish' }).waitFor();
    const notifications = page.getByRole('table', { name: 'Notifications' });
    await notifications.getByRole('row').nth(1).waitFor();
    await world.review('partner-center-action-center');
    assert.deepEqual(world.pageErrors, [], 'no script error on any page');
  });
});
