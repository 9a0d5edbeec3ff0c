/**
 * Microsoft.Authorization end to end over HTTPS on SQLite and PostgreSQL with the real
 * @azure/arm-authorization client: role assignments under ARM's rules (including the narrow
 * right of a Lighthouse User Access Administrator delegate), IAM listings that never show
 * Lighthouse principals, effective permissions and custom roles.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { CONTRIBUTOR, OWNER, READER } from '../../src/core/roles/builtin-catalog.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, buildWorld, credentialOf, tokenOf, type ArmWorld, type TestPrincipal } from './support.js';

const AUTHZ = 'api-version=2022-04-01';

type RestError = { statusCode?: number; code?: string; message?: string };

for (const database of testDatabases()) {
  describe(`Microsoft.Authorization (${database.name})`, () => {
    let lantern: TestLantern;
    let world: ArmWorld;
    let sub: string;
    let rg: string;
    let ownerClient: AuthorizationManagementClient;
    let identity: TestPrincipal;
    const roleId = (guid: string) => `/subscriptions/${world.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const clientFor = (p: TestPrincipal) => new AuthorizationManagementClient(credentialOf(lantern, p), world.subscriptionId, { endpoint: lantern.baseUrl });
    const collect = async <T>(items: AsyncIterable<T>) => {
      const out: T[] = [];
      for await (const item of items) out.push(item);
      return out;
    };

    before(async () => {
      lantern = await startTestLantern(database);
      world = await buildWorld(lantern);
      sub = `/subscriptions/${world.subscriptionId}`;
      rg = `${sub}/resourceGroups/rg-app`;
      ownerClient = clientFor(world.owner);
      // The managed identity of a customer policy assignment (policy remediation, lighthouse.md §1.9).
      const sp = await lantern.services.identity.directory.createManagedIdentity({ tenantId: world.contoso, resourceId: `${rg}/providers/Microsoft.Authorization/policyAssignments/enforce-tags` });
      identity = { objectId: sp.id, appId: sp.appId, tenantId: world.contoso, secret: '', displayName: sp.displayName };
    });
    after(async () => lantern.stop());

    describe('role assignments', () => {
      it('creates (201), reads, lists and deletes a role assignment with the SDK', async () => {
        const name = randomUUID();
        const created = await ownerClient.roleAssignments.create(rg, name, { roleDefinitionId: roleId(READER), principalId: world.nobody.objectId, principalType: 'ServicePrincipal' });
        assert.equal(created.id, `${rg}/providers/Microsoft.Authorization/roleAssignments/${name}`);
        assert.equal(created.roleDefinitionId, roleId(READER));
        assert.equal(created.scope, rg);
        assert.equal((await ownerClient.roleAssignments.get(rg, name)).principalId, world.nobody.objectId);
        const atRg = await collect(ownerClient.roleAssignments.listForResourceGroup('rg-app'));
        assert.ok(atRg.some((a) => a.name === name));
        const atScopeOnly = await collect(ownerClient.roleAssignments.listForScope(sub, { filter: 'atScope()' }));
        assert.ok(!atScopeOnly.some((a) => a.name === name), 'atScope() leaves out assignments below the scope');
        const mine = await collect(ownerClient.roleAssignments.listForScope(sub, { filter: `assignedTo('${world.nobody.objectId}')` }));
        assert.deepEqual(mine.map((a) => a.name), [name]);
        const deleted = await ownerClient.roleAssignments.delete(rg, name);
        assert.equal(deleted.name, name);
        const again = await arm(lantern, 'DELETE', `${rg}/providers/Microsoft.Authorization/roleAssignments/${name}?${AUTHZ}`, await tokenOf(lantern, world.owner));
        assert.equal(again.status, 204);
        await assert.rejects(ownerClient.roleAssignments.get(rg, name), (e: RestError) => e.statusCode === 404 && e.code === 'RoleAssignmentNotFound');
      });

      it('gives the new assignee access at once and takes it away on delete', async () => {
        const token = await tokenOf(lantern, world.nobody);
        const path = `${rg}?api-version=2025-04-01`;
        assert.equal((await arm(lantern, 'GET', path, token)).status, 403);
        const name = randomUUID();
        await ownerClient.roleAssignments.create(rg, name, { roleDefinitionId: roleId(READER), principalId: world.nobody.objectId });
        assert.equal((await arm(lantern, 'GET', path, token)).status, 200);
        await ownerClient.roleAssignments.delete(rg, name);
        assert.equal((await arm(lantern, 'GET', path, token)).status, 403);
      });

      it("applies ARM's rules to bad input", async () => {
        const bad = async (name: string, properties: Record<string, unknown>, code: string, status = 400) => {
          const r = await arm(lantern, 'PUT', `${rg}/providers/Microsoft.Authorization/roleAssignments/${name}?${AUTHZ}`, await tokenOf(lantern, world.owner), { properties });
          assert.equal(r.status, status, code);
          assert.equal(r.body.error?.code, code);
        };
        const base = { roleDefinitionId: roleId(READER), principalId: world.nobody.objectId };
        await bad('not-a-guid', base, 'InvalidRoleAssignmentId');
        await bad(randomUUID(), { ...base, roleDefinitionId: roleId(randomUUID()) }, 'RoleDefinitionDoesNotExist');
        await bad(randomUUID(), { ...base, principalId: randomUUID() }, 'PrincipalNotFound');
        await bad(randomUUID(), { ...base, principalType: 'Robot' }, 'InvalidPrincipalType');
        await bad(randomUUID(), { ...base, principalType: 'User' }, 'UnmatchedPrincipalType');
        await bad(randomUUID(), { principalId: world.nobody.objectId }, 'InvalidRequestContent');
        const name = randomUUID();
        await ownerClient.roleAssignments.create(rg, name, base);
        await bad(randomUUID(), base, 'RoleAssignmentExists', 409);
        await bad(name, { ...base, roleDefinitionId: roleId(CONTRIBUTOR) }, 'RoleAssignmentUpdateNotPermitted', 409);
        await ownerClient.roleAssignments.delete(rg, name);
        const missingGroup = await arm(lantern, 'PUT', `${sub}/resourceGroups/rg-none/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?${AUTHZ}`, await tokenOf(lantern, world.owner), { properties: base });
        assert.equal(missingGroup.status, 404);
        assert.equal(missingGroup.body.error?.code, 'ResourceGroupNotFound');
        const missingResource = await arm(lantern, 'PUT', `${rg}/providers/Microsoft.KeyVault/vaults/none/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?${AUTHZ}`, await tokenOf(lantern, world.owner), { properties: base });
        assert.equal(missingResource.body.error?.code, 'ResourceNotFound');
      });

      it('refuses a reader with 403 naming roleAssignments/write', async () => {
        const client = clientFor(world.rgReader);
        const name = randomUUID();
        await assert.rejects(client.roleAssignments.create(rg, name, { roleDefinitionId: roleId(READER), principalId: world.nobody.objectId }), (e: RestError) => {
          assert.equal(e.statusCode, 403);
          assert.equal(e.code, 'AuthorizationFailed');
          assert.match(e.message ?? '', new RegExp(`perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${rg}/providers/Microsoft.Authorization/roleAssignments/${name}'`));
          return true;
        });
      });

      it('never shows Lighthouse principals in the customer IAM listing', async () => {
        const all = await collect(ownerClient.roleAssignments.listForScope(sub));
        assert.ok(all.length >= 2);
        const lighthouse = new Set([world.fabrikamOps.objectId, world.fabrikamUaa.objectId]);
        assert.ok(!all.some((a) => lighthouse.has(a.principalId ?? '')));
      });

      it("doesn't show the customer's role assignments to the managing tenant", async () => {
        const client = clientFor(world.fabrikamOps);
        assert.deepEqual(await collect(client.roleAssignments.listForScope(sub)), []);
      });

      it('lets a delegated User Access Administrator assign only its delegated roles, only to managed identities', async () => {
        const client = clientFor(world.fabrikamUaa);
        const mi = `${rg}/providers/Microsoft.Authorization/policyAssignments/enforce-tags`;
        const ok = await client.roleAssignments.create(rg, randomUUID(), {
          roleDefinitionId: roleId(READER), principalId: identity.objectId, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: mi,
        });
        assert.equal(ok.delegatedManagedIdentityResourceId, mi);
        await assert.rejects(
          client.roleAssignments.create(rg, randomUUID(), { roleDefinitionId: roleId(CONTRIBUTOR), principalId: identity.objectId, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: mi }),
          (e: RestError) => e.statusCode === 403 && e.code === 'AuthorizationFailed',
        );
        await assert.rejects(
          client.roleAssignments.create(rg, randomUUID(), { roleDefinitionId: roleId(READER), principalId: identity.objectId, principalType: 'ServicePrincipal' }),
          (e: RestError) => e.statusCode === 403 && /managed identities/.test(e.message ?? ''),
        );
        // It sees what it made, and may remove it; not the customer's own assignments.
        const seen = await collect(client.roleAssignments.listForResourceGroup('rg-app'));
        assert.deepEqual(seen.map((a) => a.name), [ok.name]);
        await client.roleAssignments.delete(rg, ok.name!);
      });

      it('serves role assignments at a resource scope through the generic resource path', async () => {
        await lantern.services.resources.registerProvider(world.subscriptionId, 'Microsoft.KeyVault');
        const vault = `${rg}/providers/Microsoft.KeyVault/vaults/kv1`;
        const token = await tokenOf(lantern, world.owner);
        assert.equal((await arm(lantern, 'PUT', `${vault}?api-version=2023-07-01`, token, { location: 'westeurope' })).status, 201);
        const name = randomUUID();
        const put = await arm(lantern, 'PUT', `${vault}/providers/Microsoft.Authorization/roleAssignments/${name}?${AUTHZ}`, token, { properties: { roleDefinitionId: roleId(READER), principalId: world.nobody.objectId } });
        assert.equal(put.status, 201);
        const list = await arm(lantern, 'GET', `${vault}/providers/Microsoft.Authorization/roleAssignments?${AUTHZ}`, token);
        assert.ok(list.body.value?.some((a) => a.name === name));
        const nobody = await tokenOf(lantern, world.nobody);
        assert.equal((await arm(lantern, 'GET', `${vault}?api-version=2023-07-01`, nobody)).status, 200);
        assert.equal((await arm(lantern, 'GET', `${rg}/providers/Microsoft.KeyVault/vaults/kv2?api-version=2023-07-01`, nobody)).status, 403);
        const bad = await arm(lantern, 'PUT', `${vault}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?${AUTHZ}`, token, { properties: {} });
        assert.equal(bad.body.error?.code, 'InvalidRequestContent');
        const version = await arm(lantern, 'GET', `${vault}/providers/Microsoft.Authorization/roleAssignments?api-version=2099-01-01`, token);
        assert.equal(version.body.error?.code, 'NoRegisteredProviderFound');
        assert.equal((await arm(lantern, 'DELETE', `${vault}/providers/Microsoft.Authorization/roleAssignments/${name}?${AUTHZ}`, token)).status, 200);
      });
    });

    describe('effective permissions', () => {
      it('answers the caller’s own permission blocks at a scope', async () => {
        const reader = await collect((clientFor(world.rgReader)).permissions.listForResourceGroup('rg-app'));
        assert.deepEqual(reader.map((p) => p.actions), [['*/read']]);
        const ops = await arm(lantern, 'GET', `${sub}/providers/Microsoft.Authorization/permissions?${AUTHZ}`, await tokenOf(lantern, world.fabrikamOps));
        assert.deepEqual(ops.body.value?.map((p) => p.actions), [['*']]);
        const nobody = await arm(lantern, 'GET', `${sub}/providers/Microsoft.Authorization/permissions?${AUTHZ}`, await tokenOf(lantern, world.nobody));
        assert.deepEqual(nobody.body.value, []);
      });
    });

    describe('role definitions', () => {
      it('lists and reads built-in roles at the scope asked', async () => {
        const readers = await collect(ownerClient.roleDefinitions.list(sub, { filter: "roleName eq 'Reader'" }));
        assert.deepEqual(readers.map((r) => r.id), [roleId(READER)]);
        assert.equal((await ownerClient.roleDefinitions.get(sub, OWNER)).roleName, 'Owner');
        await assert.rejects(ownerClient.roleDefinitions.get(sub, randomUUID()), (e: RestError) => e.statusCode === 404 && e.code === 'RoleDefinitionDoesNotExist');
      });

      it('creates, assigns, protects and deletes a custom role', async () => {
        const id = randomUUID();
        const role = await ownerClient.roleDefinitions.createOrUpdate(sub, id, {
          roleName: `VM restarter ${id.slice(0, 8)}`,
          description: 'Restarts virtual machines',
          roleType: 'CustomRole',
          permissions: [{ actions: ['Microsoft.Compute/virtualMachines/read', 'Microsoft.Compute/virtualMachines/restart/action'], notActions: [], dataActions: [], notDataActions: [] }],
          assignableScopes: [sub],
        });
        assert.equal(role.roleType, 'CustomRole');
        const custom = await collect(ownerClient.roleDefinitions.list(sub, { filter: "type eq 'CustomRole'" }));
        assert.ok(custom.some((r) => r.name === id));
        const name = randomUUID();
        await ownerClient.roleAssignments.create(rg, name, { roleDefinitionId: roleId(id), principalId: world.nobody.objectId });
        await lantern.services.resources.registerProvider(world.subscriptionId, 'Microsoft.Compute');
        await arm(lantern, 'PUT', `${rg}/providers/Microsoft.Compute/virtualMachines/vm1?api-version=2024-07-01`, await tokenOf(lantern, world.owner), { location: 'westeurope' });
        const restart = await arm(lantern, 'POST', `${rg}/providers/Microsoft.Compute/virtualMachines/vm1/restart?api-version=2024-07-01`, await tokenOf(lantern, world.nobody));
        assert.equal(restart.status, 200);
        const stop = await arm(lantern, 'POST', `${rg}/providers/Microsoft.Compute/virtualMachines/vm1/deallocate?api-version=2024-07-01`, await tokenOf(lantern, world.nobody));
        assert.equal(stop.status, 403);
        assert.match(stop.body.error?.message ?? '', /'Microsoft.Compute\/virtualMachines\/deallocate\/action'/);
        await assert.rejects(ownerClient.roleDefinitions.delete(sub, id), (e: RestError) => e.statusCode === 409 && e.code === 'RoleDefinitionHasAssignments');
        await ownerClient.roleAssignments.delete(rg, name);
        assert.equal((await ownerClient.roleDefinitions.delete(sub, id)).name, id);
      });

      it('refuses to delete a built-in role and a custom role with no permissions', async () => {
        await assert.rejects(ownerClient.roleDefinitions.delete(sub, READER), (e: RestError) => e.code === 'InvalidRoleDefinition');
        await assert.rejects(
          ownerClient.roleDefinitions.createOrUpdate(sub, randomUUID(), { roleName: 'Empty', permissions: [{ actions: [] }], assignableScopes: [sub] }),
          (e: RestError) => e.statusCode === 400 && e.code === 'InvalidRoleDefinition',
        );
      });

      it("doesn't let a Lighthouse delegate create custom roles in the customer tenant", async () => {
        const r = await arm(lantern, 'PUT', `${sub}/providers/Microsoft.Authorization/roleDefinitions/${randomUUID()}?${AUTHZ}`, await tokenOf(lantern, world.fabrikamUaa), {
          properties: { roleName: 'Sneaky', permissions: [{ actions: ['*'] }], assignableScopes: [sub] },
        });
        assert.equal(r.status, 403);
        assert.equal(r.body.error?.code, 'AuthorizationFailed');
      });
    });
  });
}
