import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, hotp, otpauthUri, totpStep, verifyTotp } from './totp.js';

// RFC 6238 appendix B, SHA-1 key, last six digits of the eight-digit values.
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [[59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'], [20000000000, '353130']];

describe('TOTP (RFC 6238, SHA-1, 30 s, 6 digits)', () => {
  it('matches the RFC 6238 test vectors', () => {
    for (const [time, code] of VECTORS) assert.equal(hotp(RFC_SECRET, totpStep(time)), code, `T=${time}`);
  });

  it('base32 round-trips and refuses characters outside the alphabet', () => {
    assert.equal(base32Encode(RFC_SECRET), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.deepEqual(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq'), RFC_SECRET);
    assert.equal(base32Decode('GEZ1'), undefined);
  });

  it('accepts a code of the step before, now and after, nothing further, and never a step already used', () => {
    const now = 1234567890;
    const step = totpStep(now);
    assert.equal(verifyTotp(RFC_SECRET, '005924', now), step);
    assert.equal(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step - 1), now), step - 1);
    assert.equal(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step + 1), now), step + 1);
    assert.equal(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step - 2), now), undefined);
    assert.equal(verifyTotp(RFC_SECRET, '005924', now, step), undefined, 'replayed');
    assert.equal(verifyTotp(RFC_SECRET, '00592', now), undefined);
    assert.equal(verifyTotp(RFC_SECRET, '00592x', now), undefined);
  });

  it('the otpauth URI names issuer, account and parameters', () => {
    const uri = otpauthUri(RFC_SECRET, 'Lantern', 'alice@contoso.example');
    assert.match(uri, /^otpauth:\/\/totp\/Lantern:alice%40contoso\.example\?/);
    const query = new URL(uri).searchParams;
    assert.equal(query.get('secret'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.equal(query.get('digits'), '6');
    assert.equal(query.get('period'), '30');
    assert.equal(query.get('algorithm'), 'SHA1');
  });
});
