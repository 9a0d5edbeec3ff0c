import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignInLockout, type SignInAttempt, type SignInRefusal } from './sign-in-lockout.js';

const policy = { threshold: 3, addressThreshold: 5, windowMs: 1_000, lockoutMs: 5_000, inFlightPerAddress: 2 };

function attempt(lockout: SignInLockout, accounts: string[], address: string | undefined, nowMs: number): SignInAttempt {
  const result = lockout.begin(accounts, address, nowMs);
  assert.ok('failed' in result, `expected the attempt to go on, got ${JSON.stringify(result)}`);
  return result;
}
const refusal = (lockout: SignInLockout, accounts: string[], address: string | undefined, nowMs: number): SignInRefusal | undefined => {
  const result = lockout.begin(accounts, address, nowMs);
  if ('failed' in result) {
    result.abandoned();
    return undefined;
  }
  return result;
};

describe('SignInLockout', () => {
  it('locks an account after the threshold of failures within the window, for the lockout time', () => {
    const lockout = new SignInLockout(policy);
    for (const t of [0, 10, 20]) attempt(lockout, ['user:a'], '10.0.0.1', t).failed(t);
    assert.deepEqual(refusal(lockout, ['user:a'], '10.0.0.1', 20), { kind: 'account', retryAfterMs: 5_000 });
    assert.equal(refusal(lockout, ['user:b'], '10.0.0.1', 30), undefined, 'another account from the same address is not locked');
    assert.equal(refusal(lockout, ['user:a'], '10.0.0.1', 5_020), undefined, 'the lock ends');
  });

  it('forgets failures older than the window, and clears them on success', () => {
    const lockout = new SignInLockout(policy);
    for (const t of [0, 10, 1_500]) attempt(lockout, ['k'], undefined, t).failed(t);
    assert.equal(refusal(lockout, ['k'], undefined, 1_500), undefined, 'two of the three failures are outside the window');
    attempt(lockout, ['k'], undefined, 1_600).failed(1_600);
    attempt(lockout, ['k'], undefined, 1_650).succeeded();
    attempt(lockout, ['k'], undefined, 1_700).failed(1_700);
    assert.equal(refusal(lockout, ['k'], undefined, 1_700), undefined);
  });

  it('keeps familiar and unfamiliar addresses apart: an attacker elsewhere does not lock the user out where they sign in', () => {
    const lockout = new SignInLockout(policy);
    attempt(lockout, ['user:a'], '10.0.0.1', 0).succeeded();
    for (const t of [1, 2, 3]) attempt(lockout, ['user:a'], '203.0.113.9', t).failed(t);
    assert.equal(refusal(lockout, ['user:a'], '203.0.113.9', 4)?.kind, 'account', 'the attacker is locked');
    assert.equal(refusal(lockout, ['user:a'], '198.51.100.7', 4)?.kind, 'account', 'so is every other unfamiliar address');
    assert.equal(refusal(lockout, ['user:a'], '10.0.0.1', 4), undefined, 'the familiar address still signs in');
  });

  it('locks an address that sprays many accounts, at its own threshold', () => {
    const lockout = new SignInLockout(policy);
    for (let i = 0; i < 5; i++) attempt(lockout, [`user:${i}`], '203.0.113.9', i).failed(i);
    assert.deepEqual(refusal(lockout, ['user:new'], '203.0.113.9', 10), { kind: 'address', retryAfterMs: 4_994 });
    assert.equal(refusal(lockout, ['user:new'], '10.0.0.1', 10), undefined, 'other addresses are not');
  });

  it('turns away more concurrent attempts of one address than allowed, without counting them', () => {
    const lockout = new SignInLockout(policy);
    const first = attempt(lockout, ['user:a'], '10.0.0.1', 0);
    const second = attempt(lockout, ['user:b'], '10.0.0.1', 0);
    assert.deepEqual(refusal(lockout, ['user:c'], '10.0.0.1', 0), { kind: 'busy' });
    first.failed(1);
    first.failed(1); // reported twice: counted once
    second.abandoned();
    attempt(lockout, ['user:a'], '10.0.0.1', 2).failed(2);
    assert.equal(refusal(lockout, ['user:a'], '10.0.0.1', 3), undefined, 'two failures, not three');
  });
});
