/**
 * Partner Center → Users over HTTP (`GET /partner-center/publishers/{p}/users`): the publisher's
 * tenant's users and service principals with their roles, members first; Owners and Managers only.
 * Bad input is refused by the route's schema; a Developer, a principal of the tenant without a role
 * and a principal of another tenant are refused, and nobody of another tenant is ever listed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { call, startWorld, type Principal, type World } from './support.js';

const USERS = '/partner-center/publishers/contoso/users';

for (const db of testDatabases()) {
  describe(`Partner Center Users (${db.name})`, () => {
    let world: World;
    let stranger: Principal;

    before(async () => {
      world = await startWorld(db);
      const { directory } = world.lantern.services.identity;
      const tenantId = (await directory.createTenant({ displayName: 'Tailspin', defaultDomain: `tailspin-${Date.now()}.example` })).id;
      const sp = await directory.createServicePrincipal({ tenantId, displayName: 'tailspin-owner' });
      stranger = { objectId: sp.id, appId: sp.appId, secret: (await directory.addClientSecret(sp.id, { displayName: 'test' })).value, tenantId };
      // The stranger owns a publisher of its own: its roles there give it nothing in Contoso.
      const enrolled = await call(world, stranger, 'POST', '/partner-center/publishers', { publisherId: 'tailspin', displayName: 'Tailspin', contacts: [{ name: 'T', email: 't@tailspin.example' }] });
      assert.equal(enrolled.status, 201, enrolled.text);
    });
    after(async () => world.stop());

    it('lists the tenant\'s principals with their roles, members first, and only members when asked', async () => {
      const answer = await call(world, world.owner, 'GET', USERS);
      assert.equal(answer.status, 200, answer.text);
      const users = answer.body.value as { id: string; kind: string; displayName: string; userPrincipalName?: string; appId?: string; roles: string[] }[];
      const byId = new Map(users.map((u) => [u.id, u]));
      assert.deepEqual(byId.get(world.owner.objectId)?.roles, ['Owner']);
      assert.equal(byId.get(world.owner.objectId)?.kind, 'servicePrincipal');
      assert.equal(byId.get(world.owner.objectId)?.appId, world.owner.appId);
      assert.deepEqual(byId.get(world.developer.objectId)?.roles, ['Developer']);
      assert.deepEqual(byId.get(world.outsider.objectId)?.roles, []);
      const admin = users.find((u) => u.userPrincipalName === world.ownerUpn);
      assert.equal(admin?.kind, 'user');
      assert.deepEqual(admin?.roles, ['Owner']);
      const firstOutsider = users.findIndex((u) => u.roles.length === 0);
      assert.ok(users.slice(firstOutsider).every((u) => u.roles.length === 0), 'members come first');
      assert.ok(!byId.has(stranger.objectId), 'no principal of another tenant is listed');

      const members = await call(world, world.owner, 'GET', `${USERS}?members=true`);
      assert.equal(members.status, 200, members.text);
      assert.deepEqual((members.body.value as { id: string }[]).map((u) => u.id).sort(), users.filter((u) => u.roles.length > 0).map((u) => u.id).sort());
    });

    it('shows a role change made through PUT …/members at once', async () => {
      assert.equal((await call(world, world.owner, 'PUT', `/partner-center/publishers/contoso/members/${world.outsider.objectId}`, { roles: ['Manager'] })).status, 200);
      const users = (await call(world, world.owner, 'GET', `${USERS}?members=true`)).body.value as { id: string; roles: string[] }[];
      assert.deepEqual(users.find((u) => u.id === world.outsider.objectId)?.roles, ['Manager']);
      // A Manager may see Users too; removing the role takes it away again.
      assert.equal((await call(world, world.outsider, 'GET', USERS)).status, 200);
      assert.equal((await call(world, world.owner, 'PUT', `/partner-center/publishers/contoso/members/${world.outsider.objectId}`, { roles: [] })).status, 200);
      assert.equal((await call(world, world.outsider, 'GET', USERS)).status, 403);
    });

    it('refuses bad input with the plane\'s error envelope', async () => {
      for (const query of ['members=maybe', 'members=true&other=1']) {
        const answer = await call(world, world.owner, 'GET', `${USERS}?${query}`);
        assert.equal(answer.status, 400, `${query}: ${answer.text}`);
        assert.equal(typeof answer.body.error.message, 'string', answer.text);
      }
      const missing = await call(world, world.owner, 'GET', '/partner-center/publishers/nobody/users');
      assert.equal(missing.status, 404, missing.text);
    });

    it('refuses a Developer, a principal without a role, another tenant and no token', async () => {
      assert.equal((await call(world, world.developer, 'GET', USERS)).status, 403);
      assert.equal((await call(world, world.outsider, 'GET', USERS)).status, 403);
      const attack = await call(world, stranger, 'GET', USERS);
      assert.equal(attack.status, 403, attack.text);
      assert.doesNotMatch(attack.text, new RegExp(world.ownerUpn));
      assert.equal((await call(world, stranger, 'GET', `${USERS}?members=true`)).status, 403);
      assert.equal((await call(world, undefined, 'GET', USERS)).status, 401);
      // Nor may the stranger list its own tenant through Contoso's name, or Contoso's through its own publisher.
      const own = await call(world, stranger, 'GET', '/partner-center/publishers/tailspin/users');
      assert.equal(own.status, 200, own.text);
      assert.deepEqual((own.body.value as { id: string }[]).map((u) => u.id), [stranger.objectId]);
    });
  });
}
