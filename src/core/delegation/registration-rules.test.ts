import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PrincipalType } from '../identity/model.js';
import type { RoleDefinition } from '../rbac/model.js';
import {
  CONTRIBUTOR,
  LOG_ANALYTICS_CONTRIBUTOR,
  OWNER,
  READER,
  REGISTRATION_ASSIGNMENT_DELETE_ROLE,
  STORAGE_ACCOUNT_BACKUP_CONTRIBUTOR,
  USER_ACCESS_ADMINISTRATOR,
  findBuiltinRole,
} from '../roles/builtin-catalog.js';
import type { EligibleAuthorization, RegistrationAssignment, RegistrationDefinition } from './model.js';
import { parseRegistrationDefinitionId, validateRegistrationAssignment, validateRegistrationDefinition } from './registration-rules.js';
import type { DefinitionValidationInput, RegistrationDefinitionFields } from './registration-rules.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const CUSTOMER = 'c0c0c0c0-0000-4000-8000-000000000001';
const PROVIDER = 'bbbbbbbb-0000-4000-8000-000000000002';
const DEF = '6c2c6ffc-ae9c-4b53-b2c2-4cc7a1a3b0a9';
const USER = 'a1a1a1a1-0000-4000-8000-000000000010';
const GROUP = 'a1a1a1a1-0000-4000-8000-000000000011';
const SP = 'a1a1a1a1-0000-4000-8000-000000000012';
const CUSTOM_ROLE = 'dddddddd-0000-4000-8000-000000000099';
const DEPRECATED_ROLE = 'dddddddd-0000-4000-8000-000000000098';
const CREATE = 'InvalidRegistrationDefinitionCreateRequest';

const extraRoles: RoleDefinition[] = [
  { id: CUSTOM_ROLE, roleName: 'Ops', description: '', roleType: 'CustomRole', permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }], assignableScopes: [`/subscriptions/${SUB}`], scope: `/subscriptions/${SUB}` },
  { id: DEPRECATED_ROLE, roleName: 'Purview role 9 (Deprecated)', description: '', roleType: 'BuiltInRole', permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }], assignableScopes: ['/'], scope: '/' },
];
const findRole = (id: string) => findBuiltinRole(id) ?? extraRoles.find((r) => r.id === id.toLowerCase());
const types: Record<string, PrincipalType> = { [USER]: 'User', [GROUP]: 'Group', [SP]: 'ServicePrincipal' };

function eligible(overrides: Partial<EligibleAuthorization> = {}): EligibleAuthorization {
  return {
    principalId: USER,
    roleDefinitionId: CONTRIBUTOR,
    justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT8H', managedByTenantApprovers: [{ principalId: GROUP }] },
    ...overrides,
  };
}

function fields(overrides: Partial<RegistrationDefinitionFields> = {}): RegistrationDefinitionFields {
  return {
    registrationDefinitionName: 'Relecloud Managed Services',
    managedByTenantId: PROVIDER,
    authorizations: [
      { principalId: GROUP, roleDefinitionId: READER },
      { principalId: GROUP, roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE },
      { principalId: SP, roleDefinitionId: USER_ACCESS_ADMINISTRATOR, delegatedRoleDefinitionIds: [CONTRIBUTOR, LOG_ANALYTICS_CONTRIBUTOR] },
    ],
    eligibleAuthorizations: [eligible()],
    ...overrides,
  };
}

function input(overrides: Partial<DefinitionValidationInput> = {}, f: Partial<RegistrationDefinitionFields> = {}): DefinitionValidationInput {
  return { scope: `/subscriptions/${SUB}`, name: DEF, fields: fields(f), customerTenantId: CUSTOMER, findRole, principalTypeOf: (id) => types[id], ...overrides };
}

function rejects(i: DefinitionValidationInput, code: string, target: string, message: string | RegExp): void {
  assert.throws(() => validateRegistrationDefinition(i), { name: 'DomainError', code, target, message });
}

function stored(overrides: Partial<RegistrationDefinition> = {}): RegistrationDefinition {
  const at = '2026-01-01T00:00:00Z';
  return {
    id: DEF, subscriptionId: SUB, managedByTenantId: PROVIDER, authorizations: fields().authorizations, eligibleAuthorizations: [],
    createdAt: at, createdBy: 'x', createdByType: 'User', lastModifiedAt: at, lastModifiedBy: 'x', lastModifiedByType: 'User', ...overrides,
  };
}

describe('validateRegistrationDefinition', () => {
  it('accepts the sample offer: Reader, Delete Role, UAA with delegated roles, an eligible Contributor', () => {
    assert.doesNotThrow(() => validateRegistrationDefinition(input()));
    assert.doesNotThrow(() => validateRegistrationDefinition(input({ existing: stored({ managedByTenantId: PROVIDER.toUpperCase() }) })));
  });

  it('accepts principals Lantern does not know (foreign directories)', () => {
    const unknown = 'eeeeeeee-0000-4000-8000-000000000001';
    assert.doesNotThrow(() => validateRegistrationDefinition(input({}, { eligibleAuthorizations: [eligible({ principalId: unknown, justInTimeAccessPolicy: { multiFactorAuthProvider: 'None', maximumActivationDuration: 'PT30M', managedByTenantApprovers: [{ principalId: unknown }] } })] })));
  });

  it('lives at subscription scope only', () => {
    rejects(
      input({ scope: `/subscriptions/${SUB}/resourceGroups/RG1` }),
      'InvalidRegistrationDefinitionUri',
      'scope',
      `The registration definition request scope '/subscriptions/${SUB}/resourcegroups/rg1' should be '/subscriptions/<subscriptionId>'.`,
    );
    rejects(input({ scope: '/' }), 'InvalidRegistrationDefinitionUri', 'scope', /request scope '\/' should be/);
  });

  it('needs a GUID name', () => {
    rejects(input({ name: 'my-offer' }), CREATE, 'name', "The registration definition name 'my-offer' is not valid: it must be a GUID.");
  });

  it('needs a GUID managedByTenantId that is not the customer tenant', () => {
    rejects(input({}, { managedByTenantId: '<insert managing tenant id>' }), CREATE, 'properties.managedByTenantId', /'<insert managing tenant id>' is not valid: it must be a tenant GUID/);
    rejects(input({}, { managedByTenantId: CUSTOMER.toUpperCase() }), CREATE, 'properties.managedByTenantId', /is the tenant of subscription '0b1f6471-.*': a subscription can't be delegated to its own tenant/);
  });

  it('keeps managedByTenantId immutable', () => {
    rejects(
      input({ existing: stored({ managedByTenantId: 'ffffffff-0000-4000-8000-000000000003' }) }),
      'RegistrationDefinitionInvalidUpdate',
      'properties.managedByTenantId',
      `The registration definition '${DEF}' property ManagedByTenantId not allowed to update.`,
    );
  });

  it('needs at least one authorization', () => {
    rejects(input({}, { authorizations: [] }), CREATE, 'properties.authorizations', `The registration definition '${DEF}' needs at least one authorization.`);
  });

  it('needs GUID principal ids', () => {
    rejects(input({}, { authorizations: [{ principalId: 'PIM_Group', roleDefinitionId: READER }] }), CREATE, 'properties.authorizations[0].principalId', /The principalId 'PIM_Group' is not valid/);
  });

  it('needs the bare GUID of a known role', () => {
    const full = `/providers/Microsoft.Authorization/roleDefinitions/${READER}`;
    rejects(input({}, { authorizations: [{ principalId: USER, roleDefinitionId: full }] }), CREATE, 'properties.authorizations[0].roleDefinitionId', /must be the bare GUID of a built-in role .* not a resource id/);
    const unknown = '99999999-0000-4000-8000-000000000000';
    rejects(
      input({}, { authorizations: [{ principalId: USER, roleDefinitionId: READER }, { principalId: USER, roleDefinitionId: unknown }] }),
      CREATE,
      'properties.authorizations[1].roleDefinitionId',
      `The role definition '${unknown}' does not exist. Only built in role definitions are allowed for registration definition '${DEF}'.`,
    );
  });

  it('refuses Owner, custom, deprecated, data-action and restricted-action roles with the service messages', () => {
    const target = 'properties.authorizations[0].roleDefinitionId';
    const auth = (roleDefinitionId: string) => input({}, { authorizations: [{ principalId: USER, roleDefinitionId }] });
    rejects(auth(OWNER), CREATE, target, `The role definition '${OWNER}' is restricted for registration definition '${DEF}'.`);
    rejects(auth(CUSTOM_ROLE), CREATE, target, `The role definition '${CUSTOM_ROLE}' is not a built in role definition and is not allowed for registration definition '${DEF}'.`);
    rejects(auth(DEPRECATED_ROLE), CREATE, target, `The role definition '${DEPRECATED_ROLE}' is deprecated and not allowed for registration definition '${DEF}'.`);
    rejects(
      auth(LOG_ANALYTICS_CONTRIBUTOR),
      CREATE,
      target,
      `The role definition '${LOG_ANALYTICS_CONTRIBUTOR}' with data actions not allowed for registration definition '${DEF}'. Only built in role definitions without any data and notData actions are allowed.`,
    );
    rejects(
      auth(STORAGE_ACCOUNT_BACKUP_CONTRIBUTOR),
      CREATE,
      target,
      `The role definition '${STORAGE_ACCOUNT_BACKUP_CONTRIBUTOR}' is not allowed for registration definition '${DEF}' because of restricted actions.`,
    );
  });

  it('requires delegatedRoleDefinitionIds with User Access Administrator', () => {
    for (const delegatedRoleDefinitionIds of [undefined, []]) {
      rejects(
        input({}, { authorizations: [{ principalId: SP, roleDefinitionId: USER_ACCESS_ADMINISTRATOR, ...(delegatedRoleDefinitionIds ? { delegatedRoleDefinitionIds } : {}) }] }),
        CREATE,
        'properties.authorizations[0].delegatedRoleDefinitionIds',
        /The User Access Administrator authorization needs delegatedRoleDefinitionIds/,
      );
    }
  });

  it('allows delegated roles only as known built-ins other than Owner and UAA', () => {
    const uaa = (ids: string[]) => input({}, { authorizations: [{ principalId: SP, roleDefinitionId: USER_ACCESS_ADMINISTRATOR, delegatedRoleDefinitionIds: ids }] });
    const at = (j: number) => `properties.authorizations[0].delegatedRoleDefinitionIds[${j}]`;
    rejects(uaa([CONTRIBUTOR, OWNER]), CREATE, at(1), new RegExp(`^The role definition '${OWNER}' is not allowed in delegatedRoleDefinitionIds of registration definition '${DEF}'. Owner can't be assigned`));
    rejects(uaa([USER_ACCESS_ADMINISTRATOR]), CREATE, at(0), /is not allowed in delegatedRoleDefinitionIds .* User Access Administrator can't be assigned/);
    rejects(uaa([CUSTOM_ROLE]), CREATE, at(0), /is not allowed in delegatedRoleDefinitionIds .* only Azure built-in roles can/);
    rejects(uaa(['contributor']), CREATE, at(0), /The roleDefinitionId 'contributor' is not valid/);
    rejects(uaa(['99999999-0000-4000-8000-000000000000']), CREATE, at(0), /does not exist/);
  });

  it('refuses delegatedRoleDefinitionIds on other roles', () => {
    rejects(
      input({}, { authorizations: [{ principalId: USER, roleDefinitionId: READER, delegatedRoleDefinitionIds: [CONTRIBUTOR] }] }),
      CREATE,
      'properties.authorizations[0].delegatedRoleDefinitionIds',
      `delegatedRoleDefinitionIds is allowed only with the User Access Administrator role ('${USER_ACCESS_ADMINISTRATOR}'), not with '${READER}'.`,
    );
  });

  it('refuses Owner and User Access Administrator as eligible roles, listing the restricted ids', () => {
    for (const roleDefinitionId of [OWNER, USER_ACCESS_ADMINISTRATOR]) {
      rejects(
        input({}, { eligibleAuthorizations: [eligible(), eligible({ roleDefinitionId })] }),
        CREATE,
        'properties.eligibleAuthorizations[1].roleDefinitionId',
        `The role definition '${roleDefinitionId}' is restricted for eligible authorization in registration definition '${DEF}'. Restricted role definitions are '8e3af657-a8ff-443c-a75c-2fe8c4bcb635;18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'.`,
      );
    }
  });

  it('applies the other role rules to eligible roles too', () => {
    rejects(input({}, { eligibleAuthorizations: [eligible({ roleDefinitionId: LOG_ANALYTICS_CONTRIBUTOR })] }), CREATE, 'properties.eligibleAuthorizations[0].roleDefinitionId', /with data actions not allowed/);
    rejects(input({}, { eligibleAuthorizations: [eligible({ principalId: 'x' })] }), CREATE, 'properties.eligibleAuthorizations[0].principalId', /The principalId 'x' is not valid/);
  });

  it('refuses service principals as eligible principals and as approvers', () => {
    rejects(input({}, { eligibleAuthorizations: [eligible({ principalId: SP })] }), CREATE, 'properties.eligibleAuthorizations[0].principalId', `The principal '${SP}' is a service principal: eligible authorizations can't be used with service principals.`);
    rejects(
      input({}, { eligibleAuthorizations: [eligible({ justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT1H', managedByTenantApprovers: [{ principalId: USER }, { principalId: SP }] } })] }),
      CREATE,
      'properties.eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers[1].principalId',
      `The approver '${SP}' is a service principal: approvers must be users or groups.`,
    );
  });

  it('needs approver GUIDs and at most 10 approvers', () => {
    const policy = (ids: string[]) => ({ multiFactorAuthProvider: 'Azure' as const, maximumActivationDuration: 'PT1H', managedByTenantApprovers: ids.map((principalId) => ({ principalId })) });
    const eleven = Array.from({ length: 11 }, (_, i) => `a1a1a1a1-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`);
    assert.doesNotThrow(() => validateRegistrationDefinition(input({}, { eligibleAuthorizations: [eligible({ justInTimeAccessPolicy: policy(eleven.slice(0, 10)) })] })));
    rejects(input({}, { eligibleAuthorizations: [eligible({ justInTimeAccessPolicy: policy(eleven) })] }), CREATE, 'properties.eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers', 'A just-in-time policy allows at most 10 approvers; this one has 11.');
    rejects(input({}, { eligibleAuthorizations: [eligible({ justInTimeAccessPolicy: policy(['Approvers']) })] }), CREATE, 'properties.eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers[0].principalId', /The approver principalId 'Approvers' is not valid/);
  });

  it('bounds maximumActivationDuration to PT30M … PT8H', () => {
    const withDuration = (maximumActivationDuration: string) => input({}, { eligibleAuthorizations: [eligible({ justInTimeAccessPolicy: { multiFactorAuthProvider: 'None', maximumActivationDuration } })] });
    const target = 'properties.eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration';
    for (const ok of ['PT30M', 'PT6H30M', 'PT8H', 'PT480M']) assert.doesNotThrow(() => validateRegistrationDefinition(withDuration(ok)), ok);
    rejects(withDuration('PT29M'), CREATE, target, "The maximumActivationDuration 'PT29M' must be between PT30M and PT8H.");
    rejects(withDuration('PT8H1M'), CREATE, target, /'PT8H1M' must be between PT30M and PT8H/);
    rejects(withDuration('P1D'), CREATE, target, /'P1D' must be between/);
    rejects(withDuration('8 hours'), CREATE, target, "The maximumActivationDuration '8 hours' is not an ISO-8601 duration such as 'PT8H' or 'PT6H30M'.");
  });

  it('needs identical policies for eligible authorizations of the same role', () => {
    const policy = { multiFactorAuthProvider: 'Azure' as const, maximumActivationDuration: 'PT8H', managedByTenantApprovers: [{ principalId: GROUP }, { principalId: USER }] };
    const same = { ...policy, maximumActivationDuration: 'PT480M', managedByTenantApprovers: [{ principalId: USER.toUpperCase() }, { principalId: GROUP }] };
    assert.doesNotThrow(() => validateRegistrationDefinition(input({}, { eligibleAuthorizations: [eligible({ justInTimeAccessPolicy: policy }), eligible({ principalId: GROUP, justInTimeAccessPolicy: same })] })));
    rejects(
      input({}, { eligibleAuthorizations: [eligible({ justInTimeAccessPolicy: policy }), eligible({ roleDefinitionId: READER }), eligible({ principalId: GROUP, justInTimeAccessPolicy: { ...policy, multiFactorAuthProvider: 'None' } })] }),
      CREATE,
      'properties.eligibleAuthorizations[2].justInTimeAccessPolicy',
      /eligible authorizations 0 and 2 of registration definition '.*' grant role '.*' with different justInTimeAccessPolicy/,
    );
  });

  it('needs every plan field when a plan is given', () => {
    const plan = { name: 'plan-a', publisher: 'relecloud', product: 'managed-ops', version: '1.0.0' };
    assert.doesNotThrow(() => validateRegistrationDefinition(input({}, { plan })));
    rejects(input({}, { plan: { ...plan, version: ' ' } }), CREATE, 'plan.version', 'plan.version is required when a plan is given (name, publisher, product and version).');
  });
});

// ---------------------------------------------------------------------------------------------

const DEF_ID = `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEF}`;
const ASSIGNMENT = '11111111-0000-4000-8000-0000000000aa';

function assignment(scope: string, id = '22222222-0000-4000-8000-0000000000bb', registrationDefinitionId = DEF): RegistrationAssignment {
  const at = '2026-01-01T00:00:00Z';
  return { id, scope, registrationDefinitionId, createdAt: at, createdBy: 'x', createdByType: 'User', lastModifiedAt: at, lastModifiedBy: 'x', lastModifiedByType: 'User' };
}

function assign(overrides: Partial<Parameters<typeof validateRegistrationAssignment>[0]> = {}) {
  return validateRegistrationAssignment({
    scope: `/subscriptions/${SUB}`, name: ASSIGNMENT, registrationDefinitionId: DEF_ID, definition: stored(), customerTenantId: CUSTOMER, assignmentsAtScope: [], ...overrides,
  });
}

describe('validateRegistrationAssignment', () => {
  it('accepts an assignment at the subscription or one of its resource groups, and returns the definition', () => {
    assert.equal(assign().id, DEF);
    assert.equal(assign({ scope: `/subscriptions/${SUB}/resourceGroups/rg1`, assignmentsAtScope: [assignment(`/subscriptions/${SUB}`)] }).id, DEF);
    // Re-PUT of the same assignment is an update, not a second assignment.
    assert.equal(assign({ assignmentsAtScope: [assignment(`/subscriptions/${SUB}`, ASSIGNMENT)] }).id, DEF);
  });

  it('lives only at subscription or resource-group scope', () => {
    for (const scope of ['/', '/providers/Microsoft.Management/managementGroups/mg1', `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`]) {
      assert.throws(() => assign({ scope }), { code: 'InvalidRegistrationAssignmentUri', target: 'scope', message: /should be '\/subscriptions\/<subscriptionId>' or '\/subscriptions\/<subscriptionId>\/resourceGroups\/<resourceGroupName>'/ });
    }
  });

  it('needs a GUID name', () => {
    assert.throws(() => assign({ name: 'offer' }), { code: 'InvalidRegistrationAssignmentCreateRequest', target: 'name', message: "The registration assignment name 'offer' is not valid: it must be a GUID." });
  });

  it('needs the full id of a definition in the same subscription', () => {
    const target = 'properties.registrationDefinitionId';
    assert.throws(() => assign({ registrationDefinitionId: DEF }), { code: 'InvalidRegistrationAssignmentCreateRequest', target, message: /must be the full id of a registration definition/ });
    assert.throws(() => parseRegistrationDefinitionId(`/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/not-a-guid`), { target, message: /is not valid/ });
    const other = DEF_ID.replace(SUB, '99999999-0000-4000-8000-000000000000');
    assert.throws(() => assign({ registrationDefinitionId: other }), { code: 'InvalidRegistrationAssignmentCreateRequest', target, message: /is not in subscription '0b1f6471-.*': an assignment must reference a definition of its own subscription/ });
  });

  it('reports a definition that does not exist as not found', () => {
    assert.throws(() => assign({ definition: undefined }), { name: 'DomainError', kind: 'not_found', code: 'RegistrationDefinitionNotFound', message: `The registration definition '${DEF_ID}' could not be found.` });
    assert.throws(() => assign({ definition: stored({ id: ASSIGNMENT }) }), { code: 'RegistrationDefinitionNotFound' });
  });

  it('refuses a definition managed by the customer tenant itself', () => {
    assert.throws(() => assign({ definition: stored({ managedByTenantId: CUSTOMER }) }), { code: 'InvalidRegistrationAssignmentCreateRequest', target: 'properties.registrationDefinitionId', message: /a subscription can't be delegated to its own tenant/ });
  });

  it('allows one assignment per definition per scope', () => {
    assert.throws(() => assign({ assignmentsAtScope: [assignment(`/Subscriptions/${SUB.toUpperCase()}`)] }), {
      name: 'DomainError',
      kind: 'conflict',
      code: 'Conflict',
      target: 'properties.registrationDefinitionId',
      message: `Another registration assignment present at this scope '/subscriptions/${SUB}' for registration definition '/subscriptions/${SUB}/providers/microsoft.managedservices/registrationdefinitions/${DEF}'. Multiple registration assignments are not allowed.`,
    });
    // Another definition at the same scope is fine.
    assert.doesNotThrow(() => assign({ assignmentsAtScope: [assignment(`/subscriptions/${SUB}`, undefined, 'eeeeeeee-0000-4000-8000-000000000000')] }));
  });
});
