import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAzRoleDefinitions } from './import-az-roles.js';

const SUB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CUSTOM = '4a2a6d8c-1111-4b7e-9d1e-0123456789ab';

// The shape `az role definition list` prints.
function azReader(): Record<string, unknown> {
  return {
    assignableScopes: ['/'],
    createdBy: null,
    createdOn: '2015-02-02T21:55:09.880642+00:00',
    description: 'View all resources, but does not allow you to make any changes.',
    id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
    name: READER,
    permissions: [{ actions: ['*/read'], condition: null, conditionVersion: null, dataActions: [], notActions: [], notDataActions: [] }],
    roleName: 'Reader',
    roleType: 'BuiltInRole',
    type: 'Microsoft.Authorization/roleDefinitions',
    updatedBy: null,
    updatedOn: '2021-11-11T20:13:47.862717+00:00',
  };
}

function azCustom(): Record<string, unknown> {
  return {
    ...azReader(),
    id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM}`,
    name: CUSTOM,
    roleName: 'Managed Services RP Register',
    roleType: 'CustomRole',
    assignableScopes: [SUB],
    permissions: [{ actions: ['Microsoft.ManagedServices/register/action'], notActions: [], dataActions: [], notDataActions: [] }],
  };
}

function fails(json: unknown, target: string, message: RegExp): void {
  assert.throws(() => parseAzRoleDefinitions(json), { name: 'DomainError', code: 'InvalidRoleDefinitionFile', target, message });
}

describe('parseAzRoleDefinitions', () => {
  it('reads az CLI output: the GUID from name, built-ins at /, custom roles where they were defined', () => {
    const [reader, custom] = parseAzRoleDefinitions([azReader(), azCustom()]);
    assert.deepEqual(reader, {
      id: READER,
      roleName: 'Reader',
      description: 'View all resources, but does not allow you to make any changes.',
      roleType: 'BuiltInRole',
      permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
      assignableScopes: ['/'],
      scope: '/',
      createdOn: '2015-02-02T21:55:09.880642+00:00',
      updatedOn: '2021-11-11T20:13:47.862717+00:00',
    });
    assert.equal(custom?.roleType, 'CustomRole');
    assert.equal(custom?.scope, SUB);
  });

  it('reads the { roles } dump, where id is the GUID, and keeps ABAC conditions', () => {
    const [role] = parseAzRoleDefinitions({
      roles: [
        {
          id: READER.toUpperCase(),
          roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
          roleName: 'Reader',
          description: 'x',
          roleType: 'BuiltInRole',
          assignableScopes: ['/'],
          permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [], condition: '@Resource[x] == 1', conditionVersion: '2.0' }],
        },
      ],
    });
    assert.equal(role?.id, READER);
    assert.equal(role?.permissions[0]?.condition, '@Resource[x] == 1');
    assert.equal(role?.permissions[0]?.conditionVersion, '2.0');
  });

  it('reads an ARM list body, with the fields under properties and the data lists missing', () => {
    const [role] = parseAzRoleDefinitions({
      value: [
        {
          id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM}`,
          name: CUSTOM,
          type: 'Microsoft.Authorization/roleDefinitions',
          properties: { roleName: 'Ops', type: 'CustomRole', assignableScopes: [SUB], permissions: [{ actions: ['*/read'], notActions: [] }] },
        },
      ],
    });
    assert.equal(role?.roleType, 'CustomRole');
    assert.equal(role?.description, '');
    assert.deepEqual(role?.permissions, [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }]);
  });

  it('rejects input that is no role list', () => {
    assert.throws(() => parseAzRoleDefinitions({ foo: [] }), { code: 'InvalidRoleDefinitionFile', message: /az role definition list/ });
    assert.throws(() => parseAzRoleDefinitions('[]'), { code: 'InvalidRoleDefinitionFile' });
  });

  it('names the index and field of a bad entry', () => {
    fails([azReader(), 'Reader'], '[1]', /^\[1\]: each role definition must be a JSON object/);
    fails([azReader(), { ...azReader(), name: 'reader', id: 'reader' }], '[1].name', /\[1\]\.name: a role definition needs a GUID name/);
    fails({ roles: [{ ...azReader(), roleName: ' ' }] }, 'roles[0].roleName', /roles\[0\]\.roleName: a role definition needs a non-empty roleName/);
    fails([{ ...azReader(), roleType: 'Builtin' }], '[0].roleType', /must be 'BuiltInRole' or 'CustomRole', got "Builtin"/);
    fails([{ ...azReader(), description: 7 }], '[0].description', /must be a string/);
    fails([{ ...azReader(), assignableScopes: [] }], '[0].assignableScopes', /at least one assignable scope/);
    fails([{ ...azReader(), assignableScopes: ['/subscriptions'] }], '[0].assignableScopes[0]', /'\/subscriptions' is not a valid scope/);
    fails([{ ...azReader(), permissions: {} }], '[0].permissions', /must be an array of permission blocks/);
    fails([{ ...azReader(), permissions: [null] }], '[0].permissions[0]', /a permission block must be a JSON object/);
    fails([{ ...azReader(), permissions: [{ actions: '*/read' }] }], '[0].permissions[0].actions', /must be an array of non-empty strings/);
    fails([{ ...azReader(), permissions: [{ actions: ['*/read'], notDataActions: [''] }] }], '[0].permissions[0].notDataActions', /non-empty strings/);
    fails([{ ...azReader(), permissions: [{ actions: ['*/read'], condition: 1 }] }], '[0].permissions[0].condition', /must be a string/);
    fails([{ ...azReader(), createdOn: 5 }], '[0].createdOn', /must be a string/);
  });

  it('rejects the same role twice', () => {
    fails([azReader(), { ...azReader(), roleName: 'Reader again' }], '[1].name', /appears twice \(also at index 0\)/);
  });
});
