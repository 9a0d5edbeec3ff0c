import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertMayRemoveAuthenticator, selfServiceUser } from './authenticator-rules.js';
import type { Caller } from './model.js';

const user = (amr: string[]): Caller => ({ objectId: 'u1', tenantId: 't1', principalType: 'User', appId: 'a1', displayName: 'Bob', userPrincipalName: 'bob@contoso.example', authenticationMethods: amr });
const app: Caller = { objectId: 's1', tenantId: 't1', principalType: 'ServicePrincipal', appId: 'a2', displayName: 'automation' };

describe('self-service authenticator rules', () => {
  it('serves a user only, never a service principal or the system', () => {
    assert.equal(selfServiceUser(user(['pwd'])).objectId, 'u1');
    assert.throws(() => selfServiceUser(app), (e: Error & { code?: string }) => e.code === 'AuthenticatorNotForServicePrincipals' && /'a2', a service principal/.test(e.message));
    assert.throws(() => selfServiceUser('system'), { code: 'AuthenticatorNotForServicePrincipals' });
  });

  it('removes an active authenticator only for a sign-in that passed it; a pending one for any', () => {
    assert.throws(() => assertMayRemoveAuthenticator(user(['pwd']), 'active'), { code: 'MultiFactorAuthenticationRequired' });
    assert.throws(() => assertMayRemoveAuthenticator({ objectId: 'u1', tenantId: 't1', principalType: 'User', appId: 'a1', displayName: 'Bob' }, 'active'), { code: 'MultiFactorAuthenticationRequired' });
    assertMayRemoveAuthenticator(user(['pwd', 'mfa']), 'active');
    assertMayRemoveAuthenticator(user(['pwd']), 'pending');
  });
});
