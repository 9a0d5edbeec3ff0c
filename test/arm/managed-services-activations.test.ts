/**
 * Just-in-time activation of eligible authorizations (SQLite and PostgreSQL): self-activation
 * within the policy's maximum, approval by an approver who is not the requester, the refusals,
 * the window the engine honours, and activations ending with their delegation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../src/core/identity/model.js';
import { OWNER, READER, CONTRIBUTOR, VIRTUAL_MACHINE_CONTRIBUTOR } from '../../src/core/roles/builtin-catalog.js';
import type { RequestContext } from '../../src/services/context.js';
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
      const user = (p: { id: string; displayName: string }): Caller => ({ objectId: p.id, tenantId: w.contoso.id, principalType: 'User', appId: AZURE_CLI, displayName: p.displayName });
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

    it('a user eligible without approvers activates at once, for at most the policy maximum, and loses the role when the window ends', async () => {
      const activations = lantern.services.activations;
      assert.equal(allowed(alice, 'Microsoft.Storage/storageAccounts/write'), false, 'eligible is not active');
      const tooLong = await refused(activations.request(alice, { scope: rg, registrationAssignmentId: assignmentName, roleDefinitionId: CONTRIBUTOR, duration: 'PT2H', justification: 'incident 42' }));
      assert.equal(tooLong.code, 'InvalidActivationDuration');
      const noReason = await refused(activations.request(alice, { scope: rg, registrationAssignmentId: assignmentName, roleDefinitionId: CONTRIBUTOR, justification: '  ' }));
      assert.equal(noReason.code, 'InvalidJustification');
      const request = await activations.request(alice, { scope: rg, registrationAssignmentId: assignmentName, roleDefinitionId: CONTRIBUTOR, duration: 'PT30M', justification: 'incident 42' });
      assert.equal(request.status, 'Active');
      assert.equal(request.mfaRequired, true);
      assert.equal(allowed(alice, 'Microsoft.Storage/storageAccounts/write'), true);
      const twice = await refused(activations.request(alice, { scope: rg, registrationAssignmentId: assignmentName, roleDefinitionId: CONTRIBUTOR, justification: 'again' }));
      assert.equal(twice.code, 'ActivationAlreadyActive');
      offset += 31 * 60 * 1000;
      assert.equal(allowed(alice, 'Microsoft.Storage/storageAccounts/write'), false, 'the window has ended');
    });

    it('refuses roles the caller is not eligible for and service principals', async () => {
      const activations = lantern.services.activations;
      assert.equal((await refused(activations.request(alice, { scope: rg, registrationAssignmentId: assignmentName, roleDefinitionId: OWNER, justification: 'x' }))).code, 'NotEligible');
      assert.equal((await refused(activations.request(admin, { scope: rg, registrationAssignmentId: assignmentName, roleDefinitionId: CONTRIBUTOR, justification: 'x' }))).code, 'NotEligible');
      assert.equal((await refused(activations.request(automation, { scope: rg, registrationAssignmentId: assignmentName, roleDefinitionId: VIRTUAL_MACHINE_CONTRIBUTOR, justification: 'x' }))).code, 'EligibleActivationNotAllowed');
    });

    it('with approvers the request waits; the requester cannot approve it, an approver can; removing the delegation ends the activation', async () => {
      const activations = lantern.services.activations;
      const pending = await activations.request(alice, { scope: rg, registrationAssignmentId: assignmentName, roleDefinitionId: VIRTUAL_MACHINE_CONTRIBUTOR, justification: 'patch the VMs' });
      assert.equal(pending.status, 'PendingApproval');
      assert.equal(pending.duration, 'PT2H');
      assert.equal(allowed(alice, 'Microsoft.Compute/virtualMachines/write'), false);
      assert.equal((await refused(activations.decide(alice, pending.id, true))).code, 'AuthorizationFailed');
      assert.ok((await activations.list(admin)).some((r) => r.id === pending.id), 'the approver sees the request');
      const approved = await activations.decide(admin, pending.id, true);
      assert.equal(approved.status, 'Active');
      assert.equal(approved.activation?.approvedBy, w.admin.principal.id);
      assert.equal(allowed(alice, 'Microsoft.Compute/virtualMachines/write'), true);
      assert.equal((await refused(activations.decide(admin, pending.id, false))).code, 'ActivationRequestDecided');

      await lantern.services.delegation.deleteAssignment(systemContext(lantern.services.ids), rg, assignmentName);
      assert.equal(allowed(alice, 'Microsoft.Compute/virtualMachines/write'), false, 'the activation ends with the delegation');
      assert.deepEqual(await lantern.services.store.delegation.listActivations(), []);
    });
  });
}
