import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { digestGeneratedSecret, generateClientSecret, hashSecret, passwordComplexityProblem, verifyAgainstDecoy, verifySecret } from './passwords.js';

describe('passwords and secrets', () => {
  it('hashes with argon2id at the documented parameters and a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hashSecret('Sturdy-Pass-1'), hashSecret('Sturdy-Pass-1')]);
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(a, b);
    assert.ok(!a.includes('Sturdy-Pass-1'));
  });

  it('verifies the right value only, and treats a malformed hash as a mismatch', async () => {
    const phc = await hashSecret('Sturdy-Pass-1');
    assert.equal(await verifySecret(phc, 'Sturdy-Pass-1'), true);
    assert.equal(await verifySecret(phc, 'sturdy-pass-1'), false);
    assert.equal(await verifySecret('not-a-hash', 'Sturdy-Pass-1'), false);
    assert.equal(await verifyAgainstDecoy('anything'), false);
  });

  it('keeps a generated secret as its SHA-256 digest and verifies that value only', async () => {
    const { value } = generateClientSecret();
    const stored = digestGeneratedSecret(value);
    assert.match(stored, /^\$sha256\$[A-Za-z0-9_-]{43}$/);
    assert.ok(!stored.includes(value));
    assert.equal(await verifySecret(stored, value), true);
    assert.equal(await verifySecret(stored, `${value.slice(0, 39)}${value[39] === 'A' ? 'B' : 'A'}`), false);
    assert.equal(await verifySecret(stored, ''), false);
    assert.equal(await verifySecret(stored.slice(0, -2), value), false, 'a truncated digest matches nothing');
    assert.equal(await verifySecret('$sha256$', value), false);
  });

  it('generates 40-character Entra-like secrets whose hint is their first three characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { value, hint } = generateClientSecret();
      assert.match(value, /^[A-Za-z0-9.~_-]{3}8Q~[A-Za-z0-9.~_-]{34}$/);
      assert.equal(hint, value.slice(0, 3));
      seen.add(value);
    }
    assert.equal(seen.size, 200);
  });

  it("applies Entra's password policy: 8 to 256 characters, three of four character classes", () => {
    assert.equal(passwordComplexityProblem('Sturdy-Pass-1'), undefined);
    assert.equal(passwordComplexityProblem('abcdEF12'), undefined);
    assert.match(passwordComplexityProblem('aB1-') ?? '', /8 to 256/);
    assert.match(passwordComplexityProblem(`Aa1-${'x'.repeat(253)}`) ?? '', /8 to 256/);
    assert.match(passwordComplexityProblem('abcdefgh1') ?? '', /three of/);
    assert.match(passwordComplexityProblem('ABCDEFGH!') ?? '', /three of/);
  });
});
