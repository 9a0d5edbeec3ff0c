import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { assertMayDecide, assertSecondFactor, eligibilitiesOf, holdsEligibility, parsePimFilter, validateActivation } from './activation-rules.js';
import type { RegistrationAssignment, RegistrationDefinition } from './model.js';

const MSP = 'aaaaaaaa-0000-4000-8000-000000000001';
const ROLE = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const GROUP = 'cccccccc-0000-4000-8000-000000000001';
const policy = { multiFactorAuthProvider: 'Azure' as const, maximumActivationDuration: 'PT2H' };

const refused = (code: string, target?: string) => (e: unknown) => e instanceof DomainError && e.code === code && (target === undefined || e.target === target);

describe('just-in-time activation rules', () => {
  it('derives one stable eligibility per eligible authorization, held through a group by the managing tenant only', () => {
    const definition = { id: 'def1', managedByTenantId: MSP, eligibleAuthorizations: [{ principalId: GROUP.toUpperCase(), roleDefinitionId: ROLE.toUpperCase(), justInTimeAccessPolicy: policy }] } as unknown as RegistrationDefinition;
    const assignment = { id: 'A1', scope: '/subscriptions/s1/resourceGroups/rg', createdAt: '2026-01-01T00:00:00Z' } as RegistrationAssignment;
    const [e] = eligibilitiesOf(definition, assignment);
    assert.ok(e);
    assert.deepEqual([e.principalId, e.roleDefinitionId, e.scope, e.startDateTime], [GROUP, ROLE, assignment.scope, assignment.createdAt]);
    assert.equal(eligibilitiesOf(definition, { ...assignment, scope: '/SUBSCRIPTIONS/s1/resourceGroups/RG' })[0]?.id, e.id, 'the id does not depend on spelling');
    assert.notEqual(eligibilitiesOf(definition, { ...assignment, id: 'A2' })[0]?.id, e.id);
    assert.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(holdsEligibility(e, MSP.toUpperCase(), new Set(['u1', GROUP])), true);
    assert.equal(holdsEligibility(e, 'dddddddd-0000-4000-8000-000000000001', new Set([GROUP])), false, 'another tenant');
    assert.equal(holdsEligibility(e, MSP, new Set(['someone-else'])), false, 'not eligible');
  });

  it('defaults the duration to the policy maximum, measures an end time from the start, and trims the justification', () => {
    assert.deepEqual(validateActivation(policy, { startsAt: 0, justification: '  incident 42 ' }), { duration: 'PT2H', seconds: 7200, justification: 'incident 42' });
    assert.equal(validateActivation(policy, { startsAt: 1000, expirationType: 'AfterDateTime', endsAt: 1000 + 1_800_000, justification: 'x' }).seconds, 1800);
  });

  it("refuses a duration above the maximum (PIM's ExpirationRule), no expiration, or a malformed duration, naming the field", () => {
    const field = 'properties.scheduleInfo.expiration.duration';
    assert.throws(() => validateActivation(policy, { startsAt: 0, duration: 'PT3H', justification: 'x' }), refused('RoleAssignmentRequestPolicyValidationFailed', field));
    assert.throws(() => validateActivation(policy, { startsAt: 0, expirationType: 'NoExpiration', justification: 'x' }), refused('RoleAssignmentRequestPolicyValidationFailed', 'properties.scheduleInfo.expiration.type'));
    for (const duration of ['PT0M', 'two hours']) assert.throws(() => validateActivation(policy, { startsAt: 0, duration, justification: 'x' }), refused('InvalidRequestContent', field), duration);
  });

  it("refuses an empty or over-long justification (PIM's JustificationRule)", () => {
    assert.throws(() => validateActivation(policy, { startsAt: 0, justification: '   ' }), refused('RoleAssignmentRequestPolicyValidationFailed', 'properties.justification'));
    assert.throws(() => validateActivation(policy, { startsAt: 0, justification: 'x'.repeat(501) }), /JustificationRule/);
  });

  it("asks for 'mfa' in the token's amr claim only where the policy requires Azure MFA", () => {
    assert.throws(() => assertSecondFactor(policy, ['pwd']), /MfaRule.*'amr' claim does not contain 'mfa'/);
    assert.throws(() => assertSecondFactor(policy, undefined), /MfaRule/);
    assert.doesNotThrow(() => assertSecondFactor(policy, ['pwd', 'mfa']));
    assert.doesNotThrow(() => assertSecondFactor({ ...policy, multiFactorAuthProvider: 'None' }, ['pwd']));
  });

  it('parses the PIM list filters and refuses others', () => {
    assert.equal(parsePimFilter(' asTarget() '), 'asTarget');
    assert.equal(parsePimFilter('ASAPPROVER()'), 'asApprover');
    assert.equal(parsePimFilter(undefined), undefined);
    assert.throws(() => parsePimFilter("principalId eq 'x'"), refused('InvalidFilter', '$filter'));
  });

  it('lets an approver (also through a group) decide, never the requester or a stranger', () => {
    const request = { id: 'r1', principalId: 'u1', approvers: [GROUP] };
    assert.doesNotThrow(() => assertMayDecide(request, { objectId: 'u2', name: 'bob', identities: new Set(['u2', GROUP]) }));
    assert.throws(() => assertMayDecide(request, { objectId: 'U1', name: 'alice', identities: new Set(['u1', GROUP]) }), /cannot approve their own/);
    assert.throws(() => assertMayDecide(request, { objectId: 'u3', name: 'eve', identities: new Set(['u3']) }), /is not an approver of activation request 'r1'/);
  });
});
