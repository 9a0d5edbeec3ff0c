/**
 * The Portal's operational views in a real browser (test/support/browser.ts), walking the JIT story
 * through the UI: Contoso publishes gold with "Contoso L1 Support" eligible for Contributor (at most an
 * hour, MFA, approved by Contoso's admin) and Fabrikam delegates its production subscription. bob
 * (L1 Support) finds the role in My roles with its policy; activating without a second factor says so
 * and how to get one; he enrols a TOTP authenticator (over /lantern/me/authenticator), signs in again
 * with its code, is refused a too-long duration and an empty justification in the API's words, and
 * asks; admin approves in "Approvals waiting for me"; the role is active and bob's write works. The
 * activity log shows the activation with its details in words; Access check explains an allow and a
 * deny. Skips, saying why, where /usr/bin/chromium is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, hotp, totpStep } from '../../src/core/identity/totp.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { acquireAndDelegate, call, demoOffer, publishOffer, withEligibleL1Support } from '../support/demo-offer.js';
import { browserSkip, startPortalWorld, type PortalWorld } from '../support/browser.js';
import { offsetClock } from '../identity/support.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const ADMIN = 'admin@contoso.example';
const BOB = 'bob@contoso.example';
const OWNER = 'owner@fabrikam.example';
const ALICE = 'alice@contoso.example';

describe('The Portal\'s operational views in the browser: My roles, activity log, access check (Chromium, sqlite)', { skip: browserSkip }, () => {
  let world: PortalWorld;
  let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
  const clock = offsetClock();
  // bob's authenticator, once he has enrolled one: the sign-in page then asks him for its code.
  let bobsCode: (() => string) | undefined;

  const password = (upn: string) => world.demo.credentials.users.find((u) => u.userPrincipalName === upn)!.password;
  // Lantern's sign-in page, with the authenticator's code when it asks for one.
  const fillSignInPage = async (upn: string, screenshot?: string) => {
    const page = world.page;
    await page.waitForURL(/\/oauth2\/v2\.0\/authorize/);
    await page.getByLabel('User name (e-mail address)').fill(upn);
    await page.getByLabel('Password').fill(password(upn));
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (upn === BOB && bobsCode !== undefined) {
      await page.getByLabel('Code').waitFor();
      if (screenshot) await world.review(screenshot);
      clock.advance(30); // a code is good once: every sign-in uses the next one
      await page.getByLabel('Code').fill(bobsCode());
      await page.getByRole('button', { name: 'Verify' }).click();
    }
    await page.getByRole('banner').getByText(upn, { exact: false }).waitFor();
  };
  const signIn = async (upn: string) => {
    await world.page.goto(`${world.lantern.baseUrl}/`);
    await world.page.getByRole('button', { name: 'Sign in' }).click();
    await fillSignInPage(upn);
  };
  const openPortal = async (section: string) => {
    await world.page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Portal' }).click();
    await world.page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: section }).click();
  };

  before(async () => {
    leads = await startLeadEndpoint();
    world = await startPortalWorld({ clock, marketplace: { allowPrivateLeadEndpoints: true } });
    const { lantern, demo } = world;
    await publishOffer(lantern, await demo.token(ADMIN), withEligibleL1Support(demoOffer(demo, leads.url), demo, 'Contoso L1 Support (just in time)', [{ name: ADMIN, displayName: 'Contoso Admin' }]));
    await acquireAndDelegate(lantern, await demo.token(OWNER), FAB, [FAB]);
  });

  after(async () => {
    await world?.stop();
    await leads?.stop();
  });

  it('walks just-in-time access: eligible role with its policy, MFA, the API\'s refusals, approval, active', async () => {
    const page = world.page;
    await signIn(BOB);
    await openPortal('My roles');
    const eligible = page.getByRole('table', { name: 'Eligible roles' });
    const row = eligible.getByRole('row').filter({ hasText: 'Contributor' });
    await row.waitFor();
    assert.deepEqual(
      (await row.getByRole('cell').allTextContents()).slice(0, 7),
      ['Contributor', 'Fabrikam Production (subscription)', 'Fabrikam', 'Group Contoso L1 Support', '1 hour', 'Required', 'Required: Contoso Admin'],
    );
    await page.getByText('No active roles').waitFor();
    await world.review('my-roles');

    // Without a second factor the policy refuses; the dialog says so and how to get one.
    await row.getByRole('button', { name: /Activate Contributor/ }).click();
    const dialog = page.getByRole('form', { name: 'Activate Contributor' });
    await dialog.getByLabel('Justification').fill('Ticket 815: rotate the web storage keys');
    await dialog.getByLabel('Duration (hours)').fill('1');
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    await dialog.getByText('This role needs multifactor authentication').waitFor();
    await world.review('my-roles-activate-mfa');

    // bob enrols an authenticator (the API a script or an authenticator page uses), then signs in again with its code.
    const token = await world.demo.token(BOB);
    const enrolled = await call(world.lantern, token, 'POST', '/lantern/me/authenticator');
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    const secret = base32Decode(enrolled.body.secret as string)!;
    const code = () => hotp(secret, totpStep(clock.now().getTime() / 1000));
    assert.equal((await call(world.lantern, token, 'POST', '/lantern/me/authenticator/confirm', { code: code() })).body.state, 'active');
    bobsCode = code;
    await dialog.getByRole('button', { name: 'Sign in again with your authenticator' }).click();
    await fillSignInPage(BOB, 'sign-in-code');
    await page.getByRole('heading', { name: 'My roles' }).waitFor();

    // The policy's rules, in the API's words: too long, then no justification; then the request waits for approval.
    await row.getByRole('button', { name: /Activate Contributor/ }).click();
    await dialog.getByLabel('Duration (hours)').fill('abc');
    await dialog.getByText('Enter the duration in hours').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Activate', exact: true }).isDisabled(), true);
    await dialog.getByLabel('Duration (hours)').fill('2');
    await dialog.getByLabel('Justification').fill('Ticket 815: rotate the web storage keys');
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    await dialog.getByText(/ExpirationRule.*PT1H/).waitFor();
    await world.review('my-roles-activate-refused');
    await dialog.getByLabel('Duration (hours)').fill('0.5');
    await dialog.getByLabel('Justification').fill('');
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    await dialog.getByText(/JustificationRule/).waitFor();
    await dialog.getByLabel('Justification').fill('Ticket 815: rotate the web storage keys');
    await dialog.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByText(/waits for an approver/).waitFor();
    const pending = page.getByRole('table', { name: 'Requests waiting for approval' });
    await pending.getByRole('cell', { name: '30 minutes' }).waitFor();
    const write = async (name: string) => (await call(world.lantern, token, 'PUT', `${FAB}/resourceGroups/rg-web/providers/Microsoft.Storage/storageAccounts/${name}?api-version=2023-01-01`, { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } })).status;
    assert.equal(await write('bobjit1'), 403, 'not active while it waits');
    await world.signOut();

    // Contoso's admin approves with a reason.
    await signIn(ADMIN);
    await openPortal('My roles');
    const approvals = page.getByRole('table', { name: 'Approvals waiting for me' });
    const request = approvals.getByRole('row').filter({ hasText: 'Ticket 815' });
    await request.waitFor();
    assert.deepEqual((await request.getByRole('cell').allTextContents()).slice(0, 5), ['Bob Support', 'Contributor', 'Fabrikam Production', '30 minutes', 'Ticket 815: rotate the web storage keys']);
    await request.getByRole('button', { name: /Review/ }).click();
    const review = page.getByRole('form', { name: 'Bob Support asks for Contributor' });
    await review.getByLabel('Reason').fill('Ticket 815 is real');
    await world.review('my-roles-review');
    await review.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(/You approved .* activation of Contributor on Fabrikam Production/).waitFor();
    await page.getByText('Nothing to approve').waitFor();
    await world.signOut();

    // bob's role is active until its end, and his write works.
    await signIn(BOB);
    await openPortal('My roles');
    const active = page.getByRole('table', { name: 'Active roles' });
    await active.getByRole('cell', { name: 'Contributor' }).waitFor();
    assert.equal(await write('bobjit2'), 201, 'active after approval');
  });

  it('shows the activation in the customer\'s activity log, filtered, with its details in words', async () => {
    const page = world.page;
    await openPortal('Activity log');
    const events = page.getByRole('table', { name: 'Events' });
    await events.getByRole('row').nth(1).waitFor();
    await page.getByLabel('Operation').selectOption('Microsoft.Authorization/roleAssignments/write');
    await events.getByRole('button', { name: 'Create role assignment' }).first().click();
    const details = page.getByRole('region', { name: 'Create role assignment' });
    await details.getByText(/activated for principal .* approved by '.*'\): Ticket 815: rotate the web storage keys/).waitFor();
    assert.equal(await details.getByText('Fabrikam Production', { exact: true }).count(), 1, 'the subscription by name');
    await world.review('activity-log');

    // Failed requests only: bob's write before the approval, refused, with the error in words.
    await page.getByLabel('Operation').selectOption('all');
    await page.getByLabel('Status').selectOption('Failed');
    await events.getByRole('button', { name: /storageAccounts/ }).first().click();
    await page.getByRole('region', { name: /storageAccounts/ }).getByText(/does not have authorization to perform action .* \(AuthorizationFailed\)/).waitFor();
    await page.getByLabel('Time range').selectOption('1h');
    await page.getByLabel('Subscription').selectOption({ label: 'Directory-level log (your directory)' });
    await page.getByText(/The log of your directory could not be read: .*does not have authorization/).waitFor();
    await page.getByText('No events').waitFor();
  });

  it('explains an allow (the activated role) and a deny in Access check, and refuses asking about others without the right', async () => {
    const page = world.page;
    await openPortal('Access check');
    const form = page.getByRole('form', { name: 'Access check' });
    await form.getByRole('combobox', { name: 'Action' }).fill('Microsoft.Resources/subscriptions/resourceGroups/write');
    await form.getByRole('combobox', { name: 'Scope' }).fill(FAB);
    await form.getByRole('button', { name: 'Check access' }).click();
    const answer = page.getByRole('region', { name: 'Answer' });
    await answer.getByText('Allowed', { exact: true }).waitFor();
    assert.deepEqual(await answer.getByRole('list', { name: 'Allowed by' }).getByRole('listitem').allTextContents(), [
      'Role Contributor, through an activated eligible role (just-in-time access), at Fabrikam Production, held directly.',
    ]);
    await world.review('access-check');

    await form.getByRole('combobox', { name: 'Action' }).fill('Microsoft.Authorization/roleAssignments/write');
    await form.getByRole('button', { name: 'Check access' }).click();
    await answer.getByText('Not allowed').waitFor();
    await answer.getByText(/none of their Actions allows 'Microsoft.Authorization\/roleAssignments\/write'/).waitFor();
    assert.match(page.url(), /\/portal\/access-check\?action=Microsoft.Authorization%2FroleAssignments%2Fwrite&scope=/);
    await world.review('access-check-denied');

    // About someone else: bob is no Owner of the subscription, so the engine refuses the question, in words.
    await form.getByLabel('Principal').selectOption({ label: 'Another principal, by object ID' });
    await form.getByLabel('Object ID').fill(world.demo.id(OWNER));
    await form.getByRole('button', { name: 'Check access' }).click();
    await page.getByText(/Could not load the answer/).waitFor();
    await page.getByText(/may not ask about principal .* that needs 'Microsoft.Authorization\/roleAssignments\/write' over that scope .*\(AuthorizationFailed\)/).waitFor();
    await world.signOut();
  });

  it('lists a provider user\'s delegated customer resources in All resources, by directory and subscription', async () => {
    const page = world.page;
    await signIn(ALICE);
    await openPortal('All resources');
    const resources = page.getByRole('table', { name: 'All resources' });
    const web = resources.getByRole('row').filter({ hasText: 'fabrikam-web' }).filter({ hasText: 'Microsoft.Web/sites' });
    await web.waitFor();
    assert.deepEqual(await web.getByRole('cell').allTextContents(), ['fabrikam-web', 'Microsoft.Web/sites', 'rg-web', 'Fabrikam Production', 'Fabrikam Delegated', 'westeurope']);
    await world.review('all-resources');
    await page.getByLabel('Subscription').selectOption({ label: 'Fabrikam Production' });
    assert.match(page.url(), new RegExp(`/portal/all-resources\\?subscription=${DEMO_IDS.fabrikamProduction}$`));
    await web.waitFor();
    await page.getByLabel('Directory').selectOption({ label: 'Contoso (home)' });
    await page.getByText('You have no subscription in this directory.').waitFor();
    await page.getByLabel('Directory').selectOption({ label: 'All directories' });
    await web.getByRole('link', { name: 'rg-web' }).click();
    await page.getByRole('table', { name: 'Resources of rg-web' }).getByRole('cell', { name: 'fabrikam-web' }).first().waitFor();
    assert.deepEqual(world.pageErrors, [], 'no script error on any page');
  });
});
