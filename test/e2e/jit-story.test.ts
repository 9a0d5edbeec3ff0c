/**
 * Just-in-time access from a marketplace plan (issue 12.5 and 12.8), as the demo world's users over
 * HTTP, on SQLite and PostgreSQL: Contoso publishes gold with an eligible authorization ("Contoso
 * L1 Support" may become Contributor for up to an hour, with MFA, approved by the L1 Support group
 * or Contoso's admin); Fabrikam acquires it and delegates rg-web. bob (L1 Support) enrols a TOTP
 * authenticator (`/lantern/me/authenticator`) and signs in on the sign-in page with a code, finds the
 * eligibility through Azure's PIM contract (roleEligibilityScheduleInstances asTarget), activates it
 * (roleAssignmentScheduleRequests SelfActivate with justification and duration), admin approves it
 * through the PIM approval API, bob's write works, and after the window (the test clock moves) it
 * is refused again. Refused on the way: a password-only token (no MFA), a duration over the policy's maximum, bob approving
 * his own request (he is an approver through his group).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CONTRIBUTOR } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { acquireAndDelegate, call, demoOffer, publishOffer, seedDemo, withEligibleL1Support, type DemoWorld, type Reply } from '../support/demo-offer.js';
import { startLeadEndpoint } from '../marketplace/support.js';
import { offsetClock } from '../identity/support.js';
import { armTokenThroughPage } from '../identity/sign-in-support.js';
import { base32Decode, hotp, totpStep } from '../../src/core/identity/totp.js';
import { decodeJwt } from 'jose';

const PIM = 'api-version=2020-10-01';
const APPROVALS = 'api-version=2021-01-01-preview';
const AUTH = 'providers/Microsoft.Authorization';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const RG = `${FAB}/resourceGroups/rg-web`;
const BOB = 'bob@contoso.example';
const ADMIN = 'admin@contoso.example';
const OWNER = 'owner@fabrikam.example';

for (const database of testDatabases()) {
  describe(`JIT: eligible access from a marketplace plan through Azure's PIM contract (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoWorld;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    const clock = offsetClock();
    const as = async (upn: string, method: string, path: string, body?: unknown) => call(lantern, await demo.token(upn), method, path, body);
    // bob's token: with a password only (the token endpoint's password grant), or, once he has enrolled
    // an authenticator, from the sign-in page with his TOTP code (amr pwd+mfa).
    let mfaToken = '';
    const bob = async (method: string, path: string, body: unknown, mfa: boolean): Promise<Reply> => call(lantern, mfa ? mfaToken : await demo.token(BOB), method, path, body);
    const refusal = (r: Reply, status: number, code: string, text: RegExp) => {
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.error?.code, code);
      assert.match(String(r.body.error?.message), text);
    };
    const activation = (duration: string) => ({
      properties: {
        principalId: demo.id(BOB),
        roleDefinitionId: `${FAB}/${AUTH}/roleDefinitions/${CONTRIBUTOR}`,
        requestType: 'SelfActivate',
        justification: 'Ticket 815: rotate the web storage keys',
        scheduleInfo: { expiration: { type: 'AfterDuration', duration } },
      },
    });
    const write = async (name: string) => (await bob('PUT', `${RG}/providers/Microsoft.Storage/storageAccounts/${name}?api-version=2023-01-01`, { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } }, false)).status;

    before(async () => {
      leads = await startLeadEndpoint();
      lantern = await startTestLantern(database, { clock, marketplace: { allowPrivateLeadEndpoints: true } });
      demo = await seedDemo(lantern);
      await publishOffer(lantern, await demo.token(ADMIN), withEligibleL1Support(demoOffer(demo, leads.url), demo, 'Contoso L1 Support (JIT)', [{ name: 'Contoso L1 Support', displayName: 'Contoso L1 Support' }, { name: ADMIN, displayName: 'Contoso Admin' }]));
      await acquireAndDelegate(lantern, await demo.token(OWNER), FAB, [RG]);
    });
    after(async () => {
      await lantern.stop();
      await leads.stop();
    });

    it('lets bob enrol a TOTP authenticator and sign in with it on the sign-in page', async () => {
      const enrolled = await as(BOB, 'POST', '/lantern/me/authenticator');
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      const secret = base32Decode(enrolled.body.secret as string)!;
      const code = () => hotp(secret, totpStep(clock.now().getTime() / 1000));
      assert.equal((await as(BOB, 'POST', '/lantern/me/authenticator/confirm', { code: code() })).body.state, 'active');
      clock.advance(30); // a code is good once: the sign-in uses the next one
      const user = demo.credentials.users.find((u) => u.userPrincipalName === BOB)!;
      mfaToken = await armTokenThroughPage(lantern.baseUrl, DEMO_IDS.contosoTenant, BOB, user.password, code);
      assert.deepEqual(decodeJwt(mfaToken).amr, ['pwd', 'mfa']);
      assert.deepEqual(decodeJwt(await demo.token(BOB)).amr, ['pwd'], 'the password grant alone is no second factor');
    });

    it('walks eligibility, activation, approval, access and expiry, with every refusal on the way', async () => {
      // bob finds the eligibility the plan granted his group, with its policy.
      const eligible = await bob('GET', `${RG}/${AUTH}/roleEligibilityScheduleInstances?$filter=asTarget()&${PIM}`, undefined, false);
      assert.equal(eligible.status, 200, JSON.stringify(eligible.body));
      const instances = eligible.body.value as { properties: { scope: string; memberType: string; roleDefinitionId: string; expandedProperties: { roleDefinition: { displayName: string } } } }[];
      assert.deepEqual(instances.map((i) => [i.properties.scope, i.properties.memberType, i.properties.expandedProperties.roleDefinition.displayName]), [[RG, 'Group', 'Contributor']]);
      assert.equal(await write('bobjit1'), 403, 'eligible is not active: bob is a Reader');

      // Refused: a token without MFA (the policy requires it), and a duration over the policy's PT1H.
      refusal(await bob('PUT', `${RG}/${AUTH}/roleAssignmentScheduleRequests/${randomUUID()}?${PIM}`, activation('PT30M'), false), 400, 'RoleAssignmentRequestPolicyValidationFailed', /MfaRule.*amr/);
      refusal(await bob('PUT', `${RG}/${AUTH}/roleAssignmentScheduleRequests/${randomUUID()}?${PIM}`, activation('PT2H'), true), 400, 'RoleAssignmentRequestPolicyValidationFailed', /ExpirationRule.*PT1H/);

      const name = randomUUID();
      const requested = await bob('PUT', `${RG}/${AUTH}/roleAssignmentScheduleRequests/${name}?${PIM}`, activation('PT30M'), true);
      assert.equal(requested.status, 201, JSON.stringify(requested.body));
      const { status, approvalId } = requested.body.properties as { status: string; approvalId: string };
      assert.equal(status, 'PendingApproval');
      assert.equal(await write('bobjit2'), 403, 'not active while pending');

      // The approval API: bob is an approver through his group, but never of his own request.
      const review = { properties: { reviewResult: 'Approve', justification: 'Ticket 815 is real' } };
      const stageOf = async (upn: string) => {
        const r = await as(upn, 'GET', `${approvalId}?${APPROVALS}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return (r.body.properties as { stages: { id: string; properties: { assignedToMe: boolean } }[] }).stages[0]!;
      };
      assert.equal((await stageOf(BOB)).properties.assignedToMe, false);
      refusal(await as(BOB, 'PUT', `${(await stageOf(BOB)).id}?${APPROVALS}`, review), 403, 'AuthorizationFailed', /cannot approve their own/);
      assert.equal(await write('bobjit3'), 403, 'the refused self-approval changed nothing');
      const stage = await stageOf(ADMIN);
      assert.equal(stage.properties.assignedToMe, true);
      const approved = await as(ADMIN, 'PUT', `${stage.id}?${APPROVALS}`, review);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));

      const provisioned = await bob('GET', `${RG}/${AUTH}/roleAssignmentScheduleRequests/${name}?${PIM}`, undefined, false);
      assert.equal((provisioned.body.properties as { status: string }).status, 'Provisioned');
      assert.equal(await write('bobjit4'), 201, 'active after approval');
      const active = await bob('GET', `${RG}/${AUTH}/roleAssignmentScheduleInstances?$filter=asTarget()&${PIM}`, undefined, false);
      assert.deepEqual((active.body.value as { properties: { assignmentType: string } }[]).map((i) => i.properties.assignmentType), ['Activated']);
      assert.equal(await write('bobjit5'), 201, 'still active inside the window');

      clock.advance(31 * 60);
      assert.equal(await write('bobjit6'), 403, 'the window has ended');
      assert.deepEqual((await bob('GET', `${RG}/${AUTH}/roleAssignmentScheduleInstances?$filter=asTarget()&${PIM}`, undefined, false)).body.value, []);
    });
  });
}
