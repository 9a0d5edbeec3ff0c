import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calculateJwkThumbprint, compactVerify, CompactSign } from 'jose';
import { openStore } from '../../storage/open-store.js';
import type { Store } from '../../storage/port.js';
import { createSigningKeyRing } from './signing-keys.js';

const DELAY = 300;
const RETENTION = 4200;

function clockAt(iso: string) {
  let now = new Date(iso).getTime();
  return { now: () => new Date(now), advance: (seconds: number) => void (now += seconds * 1000) };
}

async function signWith(ring: ReturnType<typeof createSigningKeyRing>): Promise<{ kid: string; jws: string }> {
  const { kid, privateKey } = await ring.signingKey();
  const jws = await new CompactSign(new TextEncoder().encode('payload')).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
  return { kid, jws };
}

describe('signing-key ring', () => {
  let store: Store;
  before(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
  });
  after(() => store.close());

  it('creates one key on a fresh store, keeps it across restarts, and names it by its JWK thumbprint', async () => {
    const clock = clockAt('2026-01-01T00:00:00Z');
    const first = await createSigningKeyRing({ repository: store.identity, clock, retentionSeconds: RETENTION }).ensureKey();
    const restarted = createSigningKeyRing({ repository: store.identity, clock, retentionSeconds: RETENTION });
    assert.equal((await restarted.ensureKey()).kid, first.kid);
    assert.equal((await store.identity.listSigningKeys()).length, 1);
    const { keys } = await restarted.jwks();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kid, await calculateJwkThumbprint({ kty: keys[0]!.kty, n: keys[0]!.n, e: keys[0]!.e }, 'sha256'));
    assert.deepEqual(Object.keys(keys[0]!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use'], 'no private member (d, p, q, dp, dq, qi) is published');
    assert.equal((await signWith(restarted)).kid, first.kid);
  });

  it('rotates without a gap: publish, then sign after the delay, then retire the old key after the retention', async () => {
    const isolated = await openStore({ kind: 'sqlite', path: ':memory:' });
    try {
      const clock = clockAt('2026-01-01T00:00:00Z');
      const ring = createSigningKeyRing({ repository: isolated.identity, clock, activationDelaySeconds: DELAY, retentionSeconds: RETENTION });
      const old = await ring.ensureKey();
      const oldSignature = await signWith(ring);

      const next = await ring.rotate();
      assert.equal(next.activatesAt, '2026-01-01T00:05:00.000Z');
      assert.deepEqual((await ring.jwks()).keys.map((k) => k.kid), [next.kid, old.kid], 'the successor is published before it signs');
      assert.equal((await signWith(ring)).kid, old.kid, 'the old key still signs during the delay');
      const oldInfo = (await ring.list()).find((k) => k.kid === old.kid);
      assert.equal(oldInfo?.retiresAt, new Date(Date.parse(next.activatesAt) + RETENTION * 1000).toISOString());

      clock.advance(DELAY);
      assert.equal((await signWith(ring)).kid, next.kid, 'the successor signs once the delay has passed');
      const oldKey = await ring.verificationKey(old.kid);
      assert.ok(oldKey, 'the old key still verifies');
      await compactVerify(oldSignature.jws, oldKey);

      clock.advance(RETENTION - 1);
      assert.ok(await ring.verificationKey(old.kid));
      clock.advance(1);
      assert.equal(await ring.verificationKey(old.kid), undefined, 'retired');
      assert.deepEqual((await ring.jwks()).keys.map((k) => k.kid), [next.kid]);
    } finally {
      await isolated.close();
    }
  });

  it('sees a rotation made by another instance over the same store', async () => {
    const isolated = await openStore({ kind: 'sqlite', path: ':memory:' });
    try {
      const clock = clockAt('2026-01-01T00:00:00Z');
      const a = createSigningKeyRing({ repository: isolated.identity, clock, activationDelaySeconds: DELAY, retentionSeconds: RETENTION });
      const b = createSigningKeyRing({ repository: isolated.identity, clock, activationDelaySeconds: DELAY, retentionSeconds: RETENTION });
      await a.ensureKey();
      await b.ensureKey();
      const next = await b.rotate();
      assert.ok(!(await a.jwks()).keys.some((k) => k.kid === next.kid), 'a has not re-read the ring yet');
      clock.advance(30);
      assert.ok((await a.jwks()).keys.some((k) => k.kid === next.kid), 'a publishes the successor well before it activates');
      clock.advance(DELAY);
      const signed = await signWith(a);
      assert.equal(signed.kid, next.kid, 'both instances sign with the successor once it activates');
      const key = await b.verificationKey(next.kid);
      assert.ok(key);
      await compactVerify(signed.jws, key);
    } finally {
      await isolated.close();
    }
  });
});
