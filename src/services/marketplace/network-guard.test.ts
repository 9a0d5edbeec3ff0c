import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isNonPublicAddress } from './network-guard.js';

describe('isNonPublicAddress', () => {
  it('refuses private, loopback, link-local, CGNAT and mapped addresses', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip']) {
      assert.equal(isNonPublicAddress(a), true, a);
    }
  });
  it('refuses a blocked IPv4 address carried in IPv6: IPv4-compatible, SIIT, NAT64, 6to4, Teredo', () => {
    for (const a of ['::7f00:1', '::ffff:0:a9fe:a9fe', '64:ff9b::a9fe:a9fe', '64:ff9b::7f00:1', '64:ff9b:1::a00:1', '2002:a9fe:a9fe::1', '2002:ac10::1', '2001:0:1::1', 'fec0::1']) {
      assert.equal(isNonPublicAddress(a), true, a);
    }
  });
  it('allows public addresses', () => {
    for (const a of ['8.8.8.8', '172.32.0.1', '20.190.128.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) assert.equal(isNonPublicAddress(a), false, a);
  });
});
