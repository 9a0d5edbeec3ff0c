import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MANAGED_SERVICES_API_VERSIONS, normalizeDefinitionInput, supportsEligibleAuthorizations } from './definition-input.js';

const TENANT = '83abe5cd-bcc3-441a-bd86-e6a75360cecc';
const USER = 'f98d86a2-0000-4000-8000-000000000001';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const CODE = 'InvalidRegistrationDefinitionCreateRequest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests reach into and break untyped request JSON
type JsonBody = any;

// Modelled on the 2022-10-01 PutRegistrationDefinition example, with valid GUIDs.
function body(): JsonBody {
  return {
    properties: {
      registrationDefinitionName: 'DefinitionName',
      description: 'Tes1t',
      managedByTenantId: TENANT,
      provisioningState: 'Succeeded',
      authorizations: [
        { principalId: USER, principalIdDisplayName: 'Support User', roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' },
        { principalId: USER, principalIdDisplayName: 'User Access Administrator', roleDefinitionId: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', delegatedRoleDefinitionIds: [CONTRIBUTOR] },
      ],
      eligibleAuthorizations: [
        {
          principalId: USER,
          principalIdDisplayName: 'Support User',
          roleDefinitionId: 'ae349356-3a1b-4a5e-921d-050484c6347e',
          justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT8H', managedByTenantApprovers: [{ principalId: USER, principalIdDisplayName: 'Approver Group' }] },
        },
      ],
    },
    plan: { name: 'addesai-plan', product: 'test', publisher: 'marketplace-test', version: '1.0.0' },
  };
}

function rejects(b: unknown, target: string, message: string | RegExp, apiVersion = '2022-10-01', code = CODE): void {
  assert.throws(() => normalizeDefinitionInput(b, apiVersion), { name: 'DomainError', code, target, message });
}

describe('normalizeDefinitionInput', () => {
  it('reads the full example body and drops read-only fields', () => {
    assert.deepEqual(normalizeDefinitionInput(body(), '2022-10-01'), {
      registrationDefinitionName: 'DefinitionName',
      description: 'Tes1t',
      managedByTenantId: TENANT,
      authorizations: body().properties.authorizations,
      eligibleAuthorizations: body().properties.eligibleAuthorizations,
      plan: { name: 'addesai-plan', publisher: 'marketplace-test', product: 'test', version: '1.0.0' },
    });
  });

  it('reads the template-shaped body of 2019-09-01 (no eligible, no plan)', () => {
    const b = body();
    delete b.properties.eligibleAuthorizations;
    delete b.plan;
    delete b.properties.description;
    const fields = normalizeDefinitionInput(b, '2019-09-01');
    assert.deepEqual(fields.eligibleAuthorizations, []);
    assert.equal(fields.plan, undefined);
    assert.equal('description' in fields, false);
  });

  it('fills the just-in-time defaults and spells the MFA provider canonically', () => {
    const b = body();
    b.properties.eligibleAuthorizations = [
      { principalId: USER, roleDefinitionId: CONTRIBUTOR },
      { principalId: USER, roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { multiFactorAuthProvider: 'azure' } },
    ];
    const [a, b2] = normalizeDefinitionInput(b, '2020-02-01-preview').eligibleAuthorizations;
    assert.deepEqual(a?.justInTimeAccessPolicy, { multiFactorAuthProvider: 'None', maximumActivationDuration: 'PT8H' });
    assert.deepEqual(b2?.justInTimeAccessPolicy, { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT8H' });
  });

  it('accepts eligibleAuthorizations only from 2020-02-01-preview on', () => {
    assert.deepEqual(MANAGED_SERVICES_API_VERSIONS.filter(supportsEligibleAuthorizations), ['2020-02-01-preview', '2022-01-01-preview', '2022-10-01']);
    for (const v of ['2018-06-01-preview', '2019-04-01-preview', '2019-06-01', '2019-09-01']) {
      rejects(body(), 'properties.eligibleAuthorizations', `eligibleAuthorizations is allowed only with api-version 2020-02-01-preview or later; this request uses ${v}.`, v);
      const empty = body();
      empty.properties.eligibleAuthorizations = [];
      assert.doesNotThrow(() => normalizeDefinitionInput(empty, v));
    }
  });

  it('rejects an api-version the service does not have', () => {
    rejects(body(), 'api-version', /The api-version '2021-01-01' is not supported for type 'registrationDefinitions'/, '2021-01-01', 'NoRegisteredProviderFound');
  });

  it('needs a body with properties', () => {
    rejects(null, '', /must be a JSON object/);
    rejects({ properties: [] }, 'properties', /properties is required/);
  });

  it('names the missing or mistyped field', () => {
    const cases: [(b: JsonBody) => void, string, RegExp][] = [
      [(b) => delete b.properties.managedByTenantId, 'properties.managedByTenantId', /properties\.managedByTenantId is required/],
      [(b) => (b.properties.managedByTenantId = 42), 'properties.managedByTenantId', /must be a string/],
      [(b) => delete b.properties.authorizations, 'properties.authorizations', /properties\.authorizations is required/],
      [(b) => (b.properties.authorizations = {}), 'properties.authorizations', /must be an array/],
      [(b) => (b.properties.authorizations[1] = 'x'), 'properties.authorizations[1]', /must be a JSON object/],
      [(b) => delete b.properties.authorizations[1].roleDefinitionId, 'properties.authorizations[1].roleDefinitionId', /is required/],
      [(b) => (b.properties.authorizations[0].principalId = ''), 'properties.authorizations[0].principalId', /is required/],
      [(b) => (b.properties.authorizations[0].principalIdDisplayName = 3), 'properties.authorizations[0].principalIdDisplayName', /must be a string/],
      [(b) => (b.properties.authorizations[1].delegatedRoleDefinitionIds = CONTRIBUTOR), 'properties.authorizations[1].delegatedRoleDefinitionIds', /must be an array/],
      [(b) => (b.properties.authorizations[1].delegatedRoleDefinitionIds = [1]), 'properties.authorizations[1].delegatedRoleDefinitionIds[0]', /must be a string/],
      [(b) => (b.properties.registrationDefinitionName = ['x']), 'properties.registrationDefinitionName', /must be a string/],
      [(b) => (b.properties.eligibleAuthorizations = 'x'), 'properties.eligibleAuthorizations', /must be an array/],
      [(b) => delete b.properties.eligibleAuthorizations[0].principalId, 'properties.eligibleAuthorizations[0].principalId', /is required/],
      [(b) => (b.properties.eligibleAuthorizations[0].justInTimeAccessPolicy = 'PT8H'), 'properties.eligibleAuthorizations[0].justInTimeAccessPolicy', /must be a JSON object/],
      [(b) => delete b.properties.eligibleAuthorizations[0].justInTimeAccessPolicy.multiFactorAuthProvider, 'properties.eligibleAuthorizations[0].justInTimeAccessPolicy.multiFactorAuthProvider', /is required/],
      [(b) => (b.properties.eligibleAuthorizations[0].justInTimeAccessPolicy.multiFactorAuthProvider = 'Sms'), 'properties.eligibleAuthorizations[0].justInTimeAccessPolicy.multiFactorAuthProvider', /must be 'Azure' or 'None', got 'Sms'/],
      [(b) => (b.properties.eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration = 8), 'properties.eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration', /must be a string/],
      [(b) => (b.properties.eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers = [{}]), 'properties.eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers[0].principalId', /is required/],
      [(b) => (b.plan = 'plan'), 'plan', /plan must be a JSON object/],
      [(b) => delete b.plan.version, 'plan.version', /plan\.version is required/],
    ];
    for (const [mutate, target, message] of cases) {
      const b = body();
      mutate(b);
      rejects(b, target, message);
    }
  });

  it('treats a null plan as no plan', () => {
    const b = body();
    b.plan = null;
    assert.equal(normalizeDefinitionInput(b, '2022-10-01').plan, undefined);
  });
});
