/**
 * Just-in-time activation of eligible authorizations through the activation service (SQLite and
 * PostgreSQL): self-activation within the policy's maximum, approval through a group by an approver
 * who is not the requester, the window the engine honours, and activations ending with their
 * delegation. The PIM contract over HTTP is test/arm/pim.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../src/core/identity/model.js';
import { OWNER, READER, CONTRIBUTOR, VIRTUAL_MACHINE_CONTRIBUTOR } from '../../src/core/roles/builtin-catalog.js';
import type { RequestContext } from '../../src/services/context.js';
import type { ScheduleRequestInput } from '../../src/services/delegation/activation-service.js';
import { systemContext } from '../../src/services/context.js';
import { DomainError } from '../../src/core/errors.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDelegationWorld, type DelegationWorld } from '../e2e/support/delegation-world.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

function contextOf(caller: Caller): RequestContext {
  return { caller, correlationId: randomUUID(), requestId: randomUUID() };
}

async function refused(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  assert.fail('expected a refusal');
}

for (const database of testDatabases()) {
  describe(`Eligible authorizations: just-in-time activation (${database.name})`, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    let alice: RequestContext;
    let admin: RequestContext;
    let automation: RequestContext;
    let rg: string;
    const assignmentName = randomUUID();
    const allowed = (ctx: RequestContext, action: string) => lantern.services.access.allows(ctx, action, `${rg}/providers/Microsoft.Compute/virtualMachines/vm1`);

    before(async () => {
      lantern = await startTestLantern(database, { clock });
      w = await seedDelegationWorld(lantern.services);
      rg = `/subscriptions/${w.subscriptionId}/resourceGroups/rg-web`;
      const user = (p: { id: string; displayName: string }): Caller => ({ objectId: p.id, tenantId: w.contoso.id, principalType: 'User', appId: AZURE_CLI, displayName: p.displayName, authenticationMethods: ['pwd', 'mfa'] });
      alice = contextOf(user(w.alice.principal));
      admin = contextOf(user(w.admin.principal));
      automation = contextOf({ objectId: w.automation.principal.id, tenantId: w.contoso.id, principalType: 'ServicePrincipal', appId: w.automation.principal.appId, displayName: 'contoso-automation' });
      const system = systemContext(lantern.services.ids);
      const name = randomUUID();
      await lantern.services.delegation.putDefinition(system, `/subscriptions/${w.subscriptionId}`, name, {
        registrationDefinitionName: 'Contoso JIT',
        managedByTenantId: w.contoso.id,
        authorizations: [{ principalId: w.l2.id, roleDefinitionId: READER }],
        eligibleAuthorizations: [
          { principalId: w.alice.principal.id, roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT1H' } },
          {
            principalId: w.l2.id,
            roleDefinitionId: VIRTUAL_MACHINE_CONTRIBUTOR,
            justInTimeAccessPolicy: { multiFactorAuthProvider: 'None', maximumActivationDuration: 'PT2H', managedByTenantApprovers: [{ principalId: w.offboarding.id }] },
          },
        ],
      });
      await lantern.services.delegation.putAssignment(system, rg, assignmentName, `/subscriptions/${w.subscriptionId}/providers/Microsoft.ManagedServices/registrationDefinitions/${name}`);
    });
    after(() => lantern.stop());

    const ask = (ctx: RequestContext, role: string, extra: Partial<ScheduleRequestInput> = {}) => {
      const caller = ctx.caller as Caller;
      return lantern.services.activations.createRequest(ctx, rg, randomUUID(), { principalId: caller.objectId, roleDefinitionId: role, requestType: 'SelfActivate', justification: 'incident 42', ...extra });
    };

    it('a user eligible without approvers activates at once, for at most the policy maximum, and loses the role when the window ends', async () => {
      assert.equal(allowed(alice, 'Microsoft.Storage/storageAccounts/write'), false, 'eligible is not active');
      const tooLong = await refused(ask(alice, CONTRIBUTOR, { scheduleInfo: { expiration: { duration: 'PT2H' } } }));
      assert.deepEqual([tooLong.code, tooLong.target], ['RoleAssignmentRequestPolicyValidationFailed', 'properties.scheduleInfo.expiration.duration']);
      const request = await ask(alice, CONTRIBUTOR, { scheduleInfo: { expiration: { duration: 'PT30M' } } });
      assert.equal(request.status, 'Provisioned');
      assert.equal(request.mfaRequired, true);
      assert.equal(allowed(alice, 'Microsoft.Storage/storageAccounts/write'), true);
      assert.equal((await refused(ask(alice, CONTRIBUTOR))).code, 'RoleAssignmentExists');
      offset += 31 * 60 * 1000;
      assert.equal(allowed(alice, 'Microsoft.Storage/storageAccounts/write'), false, 'the window has ended');
    });

    it('refuses roles the caller is not eligible for and service principals', async () => {
      assert.equal((await refused(ask(alice, OWNER))).code, 'RoleAssignmentDoesNotExist');
      assert.equal((await refused(ask(admin, CONTRIBUTOR))).code, 'RoleAssignmentDoesNotExist');
      assert.equal((await refused(ask(automation, VIRTUAL_MACHINE_CONTRIBUTOR))).code, 'EligibleActivationNotAllowed');
    });

    it('with approvers (a group) the request waits; an approver through the group approves; removing the delegation ends the activation', async () => {
      const activations = lantern.services.activations;
      const pending = await ask(alice, VIRTUAL_MACHINE_CONTRIBUTOR);
      assert.equal(pending.status, 'PendingApproval');
      assert.equal(pending.duration, 'PT2H');
      assert.equal(allowed(alice, 'Microsoft.Compute/virtualMachines/write'), false);
      const approval = pending.approval!;
      assert.equal((await refused(activations.review(alice, approval.id, approval.stage.id, { reviewResult: 'Approve', justification: 'ok' }))).code, 'AuthorizationFailed');
      assert.ok((await activations.approvals(admin)).some((r) => r.id === pending.id), 'the approver sees the request');
      const { request: approved } = await activations.review(admin, approval.id, approval.stage.id, { reviewResult: 'Approve', justification: 'ok' });
      assert.equal(approved.status, 'Provisioned');
      assert.equal(approved.activation?.approvedBy, w.admin.principal.id);
      assert.equal(allowed(alice, 'Microsoft.Compute/virtualMachines/write'), true);

      await lantern.services.delegation.deleteAssignment(systemContext(lantern.services.ids), rg, assignmentName);
      assert.equal(allowed(alice, 'Microsoft.Compute/virtualMachines/write'), false, 'the activation ends with the delegation');
      assert.deepEqual(await lantern.services.store.delegation.listActivations(), []);
    });
  });
}
