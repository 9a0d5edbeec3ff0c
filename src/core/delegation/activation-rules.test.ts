import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { assertMayDecide, eligibleAuthorizationFor, validateActivationRequest } from './activation-rules.js';
import type { RegistrationDefinition } from './model.js';

const MSP = 'aaaaaaaa-0000-4000-8000-000000000001';
const ROLE = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const GROUP = 'cccccccc-0000-4000-8000-000000000001';
const policy = { multiFactorAuthProvider: 'Azure' as const, maximumActivationDuration: 'PT2H' };

const refused = (code: string, target?: string) => (e: unknown) => e instanceof DomainError && e.code === code && (target === undefined || e.target === target);

describe('just-in-time activation rules', () => {
  it('finds the eligible authorization through a group, for the managing tenant only', () => {
    const definition = { managedByTenantId: MSP, eligibleAuthorizations: [{ principalId: GROUP.toUpperCase(), roleDefinitionId: ROLE, justInTimeAccessPolicy: policy }] } as unknown as RegistrationDefinition;
    assert.equal(eligibleAuthorizationFor(definition, MSP, ROLE.toUpperCase(), new Set([GROUP]))?.principalId, GROUP.toUpperCase());
    assert.equal(eligibleAuthorizationFor(definition, 'dddddddd-0000-4000-8000-000000000001', ROLE, new Set([GROUP])), undefined, 'another tenant');
    assert.equal(eligibleAuthorizationFor(definition, MSP, ROLE, new Set(['someone-else'])), undefined, 'not eligible');
  });

  it('defaults the duration to the policy maximum and trims the justification', () => {
    assert.deepEqual(validateActivationRequest(policy, { justification: '  incident 42 ' }), { duration: 'PT2H', seconds: 7200, justification: 'incident 42' });
  });

  it('refuses a duration above the maximum, of zero, or malformed, naming the field', () => {
    for (const duration of ['PT3H', 'PT0M', 'two hours']) {
      assert.throws(() => validateActivationRequest(policy, { duration, justification: 'x' }), refused('InvalidActivationDuration', 'duration'), duration);
    }
  });

  it('refuses an empty or over-long justification', () => {
    assert.throws(() => validateActivationRequest(policy, { justification: '   ' }), refused('InvalidJustification', 'justification'));
    assert.throws(() => validateActivationRequest(policy, { justification: 'x'.repeat(501) }), refused('InvalidJustification', 'justification'));
  });

  it('lets an approver (also through a group) decide, never the requester or a stranger', () => {
    const request = { id: 'r1', principalId: 'u1', approvers: [GROUP] };
    assert.doesNotThrow(() => assertMayDecide(request, { objectId: 'u2', name: 'bob', identities: new Set(['u2', GROUP]) }));
    assert.throws(() => assertMayDecide(request, { objectId: 'U1', name: 'alice', identities: new Set(['u1', GROUP]) }), /cannot approve their own/);
    assert.throws(() => assertMayDecide(request, { objectId: 'u3', name: 'eve', identities: new Set(['u3']) }), /is not an approver of activation request 'r1'/);
  });
});
