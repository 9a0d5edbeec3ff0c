/** The directory service's rules, on SQLite and PostgreSQL: every rule with a bad input, and what the store holds afterwards. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../src/core/errors.js';
import type { Tenant } from '../../src/core/identity/model.js';
import { createDirectoryService } from '../../src/services/identity/directory-service.js';
import { hashSecret } from '../../src/services/identity/passwords.js';
import type { DirectoryChange, DirectoryService } from '../../src/services/identity/directory-service.js';
import type { Store } from '../../src/storage/port.js';
import { testDatabases } from '../support/databases.js';
import { ids, testClock, uniqueDomain } from './support.js';

const PASSWORD = 'Sturdy-Pass-1';

function rejectsWith(code: string, target?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (target !== undefined) assert.equal(error.target, target);
    return true;
  };
}

for (const database of testDatabases()) {
  describe(`directory service (${database.name})`, () => {
    const clock = testClock();
    const changes: DirectoryChange[] = [];
    let store: Store;
    let cleanup: () => Promise<void>;
    let directory: DirectoryService;
    let tenant: Tenant;
    let other: Tenant;

    before(async () => {
      ({ store, cleanup } = await database.open());
      directory = createDirectoryService({ store, clock, ids, onChange: (c) => changes.push(c) });
      tenant = await directory.createTenant({ displayName: 'Contoso', defaultDomain: uniqueDomain('contoso') });
      other = await directory.createTenant({ displayName: 'Fabrikam', defaultDomain: uniqueDomain('fabrikam') });
    });
    after(() => cleanup());

    const member = (local: string, extra: { tenantId?: string; password?: string } = {}) =>
      directory.createUser({
        tenantId: extra.tenantId ?? tenant.id, userType: 'Member', userPrincipalName: `${local}@${extra.tenantId === other.id ? other.defaultDomain : tenant.defaultDomain}`,
        displayName: local, password: extra.password ?? PASSWORD,
      });

    describe('tenants', () => {
      it('keeps the id lower-case and the domain lower-case', async () => {
        const id = ids.guid().toUpperCase();
        const domain = uniqueDomain('Northwind').toUpperCase();
        const t = await directory.createTenant({ id, displayName: ' Northwind ', defaultDomain: domain });
        assert.deepEqual(t, { id: id.toLowerCase(), displayName: 'Northwind', defaultDomain: domain.toLowerCase() });
        assert.deepEqual(await directory.resolveTenant(domain), t);
        assert.deepEqual(await directory.resolveTenant(id), t);
      });

      it('refuses a tenant id that is not a GUID', async () => {
        await assert.rejects(directory.createTenant({ id: 'contoso', displayName: 'X', defaultDomain: uniqueDomain('x') }), rejectsWith('InvalidObjectId', 'id'));
      });

      for (const domain of ['contoso', 'contoso..example', '-contoso.example', 'contoso_ops.example', 'contoso.e1', 'a@b.example', '']) {
        it(`refuses the domain '${domain}'`, async () => {
          await assert.rejects(directory.createTenant({ displayName: 'X', defaultDomain: domain }), rejectsWith('InvalidDomainName', 'defaultDomain'));
        });
      }

      it('refuses a blank or over-long display name', async () => {
        await assert.rejects(directory.createTenant({ displayName: '   ', defaultDomain: uniqueDomain('x') }), rejectsWith('InvalidDisplayName', 'displayName'));
        await assert.rejects(directory.createTenant({ displayName: 'x'.repeat(257), defaultDomain: uniqueDomain('x') }), rejectsWith('InvalidDisplayName', 'displayName'));
      });

      it('refuses a domain or an id another tenant has', async () => {
        await assert.rejects(directory.createTenant({ displayName: 'Copy', defaultDomain: tenant.defaultDomain.toUpperCase() }), rejectsWith('DomainAlreadyExists', 'defaultDomain'));
        await assert.rejects(directory.createTenant({ id: tenant.id, displayName: 'Copy', defaultDomain: uniqueDomain('copy') }), rejectsWith('TenantAlreadyExists', 'id'));
      });
    });

    describe('users', () => {
      it('stores a member with an argon2id hash, never the password', async () => {
        const user = await member('ann');
        assert.equal(user.userType, 'Member');
        assert.match(user.passwordHash, /^\$argon2id\$/);
        assert.ok(!user.passwordHash.includes(PASSWORD));
        assert.deepEqual(await directory.findUserByUpn(`ANN@${tenant.defaultDomain.toUpperCase()}`), user);
      });

      it("refuses a member whose UPN domain is not the tenant's", async () => {
        await assert.rejects(
          directory.createUser({ tenantId: tenant.id, userType: 'Member', userPrincipalName: `eve@${other.defaultDomain}`, displayName: 'Eve', password: PASSWORD }),
          rejectsWith('InvalidUserPrincipalName', 'userPrincipalName'),
        );
      });

      for (const local of ['.ann', 'ann.', 'a..nn', 'ann smith', 'ann+ops', '']) {
        it(`refuses the UPN '${local}@…'`, async () => {
          await assert.rejects(member(local), rejectsWith('InvalidUserPrincipalName', 'userPrincipalName'));
        });
      }

      for (const [password, why] of [['Short-1', 'too short'], ['alllowercase1', 'two classes'], ['NoDigitsOrSymbols', 'two classes']] as const) {
        it(`refuses a password that is ${why}`, async () => {
          await assert.rejects(member(`weak${password.length}${why.length}`, { password }), rejectsWith('InvalidPassword', 'password'));
        });
      }

      it('refuses a second user with the same UPN, whatever its case', async () => {
        await member('bob');
        await assert.rejects(member('BOB'), rejectsWith('UserPrincipalNameAlreadyExists', 'userPrincipalName'));
      });

      it('refuses a user in an unknown tenant', async () => {
        await assert.rejects(member('zed', { tenantId: ids.guid() }), rejectsWith('TenantNotFound'));
      });

      it('invites a guest from another domain under the #EXT# UPN, and refuses one from the tenant\'s own domain', async () => {
        const guest = await directory.createUser({ tenantId: other.id, userType: 'Guest', email: `gina@${tenant.defaultDomain}`, displayName: 'Gina', password: PASSWORD });
        assert.equal(guest.userType, 'Guest');
        assert.equal(guest.userPrincipalName, `gina_${tenant.defaultDomain}#EXT#@${other.defaultDomain}`);
        await assert.rejects(
          directory.createUser({ tenantId: other.id, userType: 'Guest', email: `gus@${other.defaultDomain}`, displayName: 'Gus', password: PASSWORD }),
          rejectsWith('InvalidGuestEmail', 'email'),
        );
      });

      it('authenticates by UPN and tells unknown users from wrong passwords', async () => {
        const carl = await member('carl');
        assert.deepEqual(await directory.authenticateUser(carl.userPrincipalName.toUpperCase(), PASSWORD), { ok: true, user: carl });
        assert.deepEqual(await directory.authenticateUser(carl.userPrincipalName, 'Sturdy-Pass-2'), { ok: false, reason: 'bad_password' });
        assert.deepEqual(await directory.authenticateUser(`nobody@${tenant.defaultDomain}`, PASSWORD), { ok: false, reason: 'unknown_user' });
      });
    });

    describe('groups and nested membership', () => {
      it('keeps transitive membership through nested groups and follows removals', async () => {
        const dana = await member('dana');
        const engineers = await directory.createGroup({ tenantId: tenant.id, displayName: 'Contoso L2 Engineers' });
        const automation = await directory.createGroup({ tenantId: tenant.id, displayName: 'Contoso Automation' });
        const robot = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'contoso-automation' });
        await directory.addMember(engineers.id, dana.id);
        await directory.addMember(engineers.id, automation.id);
        const edge = await directory.addMember(automation.id, robot.id.toUpperCase());
        assert.deepEqual(edge, { groupId: automation.id, memberId: robot.id, memberType: 'ServicePrincipal' });
        let graph = await directory.loadGroupGraph();
        assert.deepEqual([...graph.groupsOf(robot.id)].sort(), [engineers.id, automation.id].sort());
        assert.deepEqual([...graph.groupsOf(dana.id)], [engineers.id]);
        await directory.removeMember(engineers.id, automation.id);
        graph = await directory.loadGroupGraph();
        assert.deepEqual([...graph.groupsOf(robot.id)], [automation.id]);
        assert.deepEqual((await directory.listMembers(engineers.id)).map((m) => m.memberId), [dana.id]);
      });

      it('refuses a cycle and changes nothing', async () => {
        const a = await directory.createGroup({ tenantId: tenant.id, displayName: 'A' });
        const b = await directory.createGroup({ tenantId: tenant.id, displayName: 'B' });
        const c = await directory.createGroup({ tenantId: tenant.id, displayName: 'C' });
        await directory.addMember(a.id, b.id);
        await directory.addMember(b.id, c.id);
        const before = await store.identity.listMemberships();
        const eventsBefore = changes.length;
        await assert.rejects(directory.addMember(c.id, a.id), rejectsWith('GroupMembershipCycle', 'memberId'));
        await assert.rejects(directory.addMember(a.id, a.id), rejectsWith('GroupMembershipCycle', 'memberId'));
        assert.deepEqual(await store.identity.listMemberships(), before);
        assert.equal(changes.length, eventsBefore, 'a refused change announces nothing');
      });

      it('lets only one of two concurrent opposite adds through', async () => {
        const x = await directory.createGroup({ tenantId: tenant.id, displayName: 'X' });
        const y = await directory.createGroup({ tenantId: tenant.id, displayName: 'Y' });
        const results = await Promise.allSettled([directory.addMember(x.id, y.id), directory.addMember(y.id, x.id)]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const edges = (await store.identity.listMemberships()).filter((m) => [x.id, y.id].includes(m.groupId));
        assert.equal(edges.length, 1);
      });

      it('refuses duplicates, unknown members, members of another tenant and removing what is not there', async () => {
        const g = await directory.createGroup({ tenantId: tenant.id, displayName: 'G' });
        const erin = await member('erin');
        const outsider = await member('olga', { tenantId: other.id });
        await directory.addMember(g.id, erin.id);
        await assert.rejects(directory.addMember(g.id, erin.id), rejectsWith('MembershipAlreadyExists', 'memberId'));
        await assert.rejects(directory.addMember(g.id, ids.guid()), rejectsWith('PrincipalNotFound'));
        await assert.rejects(directory.addMember(ids.guid(), erin.id), rejectsWith('GroupNotFound'));
        await assert.rejects(directory.addMember(g.id, outsider.id), rejectsWith('MemberTenantMismatch', 'memberId'));
        await assert.rejects(directory.removeMember(g.id, outsider.id), rejectsWith('MembershipNotFound'));
      });

      it('announces membership changes after they are committed', async () => {
        const g = await directory.createGroup({ tenantId: tenant.id, displayName: 'Watched' });
        const fay = await member('fay');
        const from = changes.length;
        await directory.addMember(g.id, fay.id);
        await directory.removeMember(g.id, fay.id);
        const membership = { groupId: g.id, memberId: fay.id, memberType: 'User' };
        assert.deepEqual(changes.slice(from), [{ type: 'MembershipAdded', membership }, { type: 'MembershipRemoved', membership }]);
      });
    });

    describe('service principals and client secrets', () => {
      it('shows the secret value once and stores only its hash and hint', async () => {
        const sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'deployer' });
        const issued = await directory.addClientSecret(sp.id, { displayName: 'pipeline' });
        assert.equal(issued.value.length, 40);
        assert.equal(issued.secret.hint, issued.value.slice(0, 3));
        assert.equal('secretHash' in issued.secret, false);
        assert.deepEqual(await directory.listClientSecrets(sp.id), [issued.secret]);
        const [row] = await store.identity.listClientSecrets(sp.id);
        assert.ok(row && /^\$sha256\$[A-Za-z0-9_-]{43}$/.test(row.secretHash) && !JSON.stringify(row).includes(issued.value));
        const expires = new Date(issued.secret.expiresAt);
        const inAYear = new Date(clock.now());
        inAYear.setUTCFullYear(inAYear.getUTCFullYear() + 1);
        assert.equal(expires.getTime(), inAYear.getTime(), 'the default lifetime is one year');
      });

      for (const [expiresAt, why] of [['not a date', 'unparseable'], ['2000-01-01T00:00:00Z', 'in the past'], ['', 'empty']] as const) {
        it(`refuses an expiry that is ${why}`, async () => {
          const sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'x' });
          await assert.rejects(directory.addClientSecret(sp.id, { expiresAt }), rejectsWith('InvalidSecretExpiry', 'expiresAt'));
        });
      }

      it('allows two years and refuses a day more', async () => {
        const sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'long-lived' });
        const twoYears = new Date(clock.now());
        twoYears.setUTCFullYear(twoYears.getUTCFullYear() + 2);
        await directory.addClientSecret(sp.id, { expiresAt: twoYears.toISOString() });
        await assert.rejects(
          directory.addClientSecret(sp.id, { expiresAt: new Date(twoYears.getTime() + 86_400_000).toISOString() }),
          rejectsWith('InvalidSecretExpiry', 'expiresAt'),
        );
      });

      it('refuses a duplicate appId and a non-GUID appId', async () => {
        const sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'one' });
        await assert.rejects(directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'two', appId: sp.appId }), rejectsWith('AppIdAlreadyExists', 'appId'));
        await assert.rejects(directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'three', appId: 'my-app' }), rejectsWith('InvalidObjectId', 'appId'));
      });

      it('authenticates a client: right secret, wrong secret, wrong tenant, expired, removed', async () => {
        const sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'auth' });
        const { value, secret } = await directory.addClientSecret(sp.id, { expiresAt: new Date(clock.now().getTime() + 3_600_000).toISOString() });
        assert.deepEqual(await directory.authenticateClient(tenant.id, sp.appId, value), { ok: true, servicePrincipal: sp });
        assert.deepEqual(await directory.authenticateClient(tenant.id, sp.appId, `${value.slice(0, 39)}!`), { ok: false, reason: 'bad_secret' });
        assert.deepEqual(await directory.authenticateClient(other.id, sp.appId, value), { ok: false, reason: 'unknown_client' });
        clock.advance(3601);
        assert.deepEqual(await directory.authenticateClient(tenant.id, sp.appId, value), { ok: false, reason: 'expired_secret' });
        const other_sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'not-the-owner' });
        await assert.rejects(directory.removeClientSecret(other_sp.id, secret.id), rejectsWith('ClientSecretNotFound'));
        await directory.removeClientSecret(sp.id, secret.id);
        assert.deepEqual(await directory.authenticateClient(tenant.id, sp.appId, value), { ok: false, reason: 'bad_secret' });
        assert.deepEqual(changes.at(-1), { type: 'ClientSecretRemoved', servicePrincipalId: sp.id, secretId: secret.id });
      });

      it('still accepts a secret stored as argon2id by an earlier version, and only its value', async () => {
        const sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'from-before' });
        const { value } = await directory.addClientSecret(sp.id, {});
        const [row] = await store.identity.listClientSecrets(sp.id);
        await store.identity.putClientSecret({ ...row!, secretHash: await hashSecret(value) });
        assert.match((await store.identity.listClientSecrets(sp.id))[0]!.secretHash, /^\$argon2id\$/);
        assert.deepEqual(await directory.authenticateClient(tenant.id, sp.appId, value), { ok: true, servicePrincipal: sp });
        // Another value of the same alphabet: its last character changed (a fixed 'x' was this value 1 time in 66).
        const wrong = `${value.slice(0, 39)}${value.endsWith('x') ? 'y' : 'x'}`;
        assert.deepEqual(await directory.authenticateClient(tenant.id, sp.appId, wrong), { ok: false, reason: 'bad_secret' });
      });
    });
  });
}
