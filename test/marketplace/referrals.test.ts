/**
 * Referrals and Validate over HTTP, on SQLite and PostgreSQL: the publisher's leads filtered, paged
 * with nextLink and exported as CSV (Owner and Manager only); Validate reporting exactly what the
 * destination did; redelivery; and the signature snippet of docs/partner-center.md verifying a
 * real signed lead.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { LeadRecord } from '../../src/core/marketplace/lead-records.js';
import { recordLead } from '../../src/services/marketplace/lead-service.js';
import { testDatabases } from '../support/databases.js';
import { startVendors, type Vendors } from './lead-vendors.js';
import { call, eventually, startWorld, type World } from './support.js';

const SECRET = 'contoso-lead-signing-secret-0002';

type Verify = (secret: string, header: string, rawBody: string, nowSeconds?: number) => boolean;

/** The verification snippet exactly as the docs print it, loaded as a module. */
async function docsSnippet(): Promise<Verify> {
  const doc = readFileSync(join(process.cwd(), 'docs/partner-center.md'), 'utf8');
  const match = /<!-- verify-lead-signature -->\s*```js\n([\s\S]*?)```/.exec(doc);
  assert.ok(match?.[1], 'docs/partner-center.md has the verification snippet');
  const dir = mkdtempSync(join(tmpdir(), 'lantern-snippet-'));
  try {
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, match[1]);
    return ((await import(pathToFileURL(file).href)) as { verifyLanternSignature: Verify }).verifyLanternSignature;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const db of testDatabases()) {
  describe(`Referrals and Validate (${db.name})`, () => {
    let world: World;
    let vendors: Vendors;
    const base = '/partner-center/publishers/contoso';

    before(async () => {
      vendors = await startVendors();
      world = await startWorld(db, { marketplace: { leadEndpoints: vendors.endpoints } });
      for (const offerId of ['ref-one', 'ref-two']) {
        assert.equal((await call(world, world.owner, 'POST', `${base}/offers`, { offerId, alias: offerId })).status, 201);
        const setup = { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: vendors.hookUrl, signingSecret: SECRET, contactEmails: [] } };
        assert.equal((await call(world, world.owner, 'PUT', `${base}/offers/${offerId}/setup`, setup)).status, 200);
      }
    });
    after(async () => {
      await world.stop();
      await vendors.stop();
    });

    it('Validate sends a test lead now and reports exactly what the destination answered', async () => {
      const ok = await call(world, world.developer, 'POST', `${base}/offers/ref-one/setup/validate`, {});
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.ok, true);
      assert.equal(ok.body.delivered, true);
      assert.equal(ok.body.attempt.status, 202);
      assert.match(String(ok.body.attempt.excerpt), /accepted/);
      assert.equal(ok.body.lead.kind, 'test');
      assert.match(String(ok.body.lead.customer.Email), /^MSFT_TEST_\d+@test\.com$/);
      assert.ok(vendors.hook.some((h) => JSON.parse(h.body).LeadId === ok.body.lead.id));

      vendors.down = true;
      const down = await call(world, world.owner, 'POST', `${base}/offers/ref-one/setup/validate`, {});
      vendors.down = false;
      assert.equal(down.body.ok, false);
      assert.equal(down.body.attempt.status, 503);
      assert.match(String(down.body.message), /HTTP 503/);
      assert.match(String(down.body.attempt.excerpt), /Service Unavailable/);
      assert.equal(down.body.lead.status, 'deadLettered', 'a Validate test lead is tried once');

      // An unsaved destination is validated as given: the rules first, nothing sent when they fail.
      const before = vendors.hook.length;
      const bad = await call(world, world.owner, 'POST', `${base}/offers/ref-one/setup/validate`, { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: 'http://crm.example/leads', contactEmails: [] } });
      assert.equal(bad.body.ok, false);
      assert.equal(bad.body.lead, undefined);
      assert.ok((bad.body.violations as { rule: string; field: string }[]).some((v) => v.rule === 'leads.url.https' && v.field === 'setup.customerLeads.httpsEndpointUrl'));
      assert.equal(vendors.hook.length, before);

      assert.equal((await call(world, world.outsider, 'POST', `${base}/offers/ref-one/setup/validate`, {})).status, 403);
    });

    it('signs every HTTPS lead so that the docs\' snippet verifies it, and nothing else', async () => {
      const verify = await docsSnippet();
      const sent = await call(world, world.owner, 'POST', `${base}/offers/ref-two/setup/validate`, {});
      const hook = vendors.hook.find((h) => JSON.parse(h.body).LeadId === sent.body.lead.id)!;
      const header = String(hook.headers['x-lantern-signature']);
      assert.equal(verify(SECRET, header, hook.body), true);
      assert.equal(verify('another-secret-of-some-length', header, hook.body), false);
      assert.equal(verify(SECRET, header, hook.body.replace('MSFT_TEST', 'MSFT_TESX')), false);
      assert.equal(verify(SECRET, header, hook.body, Math.floor(Date.now() / 1000) + 3600), false, 'an old signature is a replay');
    });

    it('lists leads by offer, status, destination and date, pages with nextLink, and exports CSV — for Owners and Managers only', async () => {
      const { store, ids, clock } = world.lantern.services;
      const made: LeadRecord[] = [];
      for (let i = 0; i < 5; i++) {
        made.push(await store.transaction((tx) => recordLead(tx, {
          kind: i === 4 ? 'contactMe' : 'acquisition', publisherId: 'contoso', offerId: i % 2 === 0 ? 'ref-one' : 'ref-two', planId: 'gold',
          customerTenantId: `t-${i}`, subscriptionId: `s-${i}`, description: i === 4 ? 'Call me, "please", =1+1' : undefined,
          customer: { FirstName: `F${i}`, LastName: 'L', Email: `f${i}@fabrikam.example`, Phone: '1', Country: 'US', Company: 'Fabrikam', Title: 'T' },
        }, { id: ids.guid(), now: clock.now() })));
      }
      await eventually(() => world.lantern.services.store.leads.list({ publisherId: 'contoso', status: 'pending', top: 10 }), (p) => p.leads.length === 0, 'the outbox to deliver');

      const seen: string[] = [];
      let page = await call(world, world.owner, 'GET', `${base}/referrals?$top=2`);
      assert.equal(page.status, 200, page.text);
      for (;;) {
        assert.ok(page.body.value.length <= 2);
        seen.push(...(page.body.value as { id: string }[]).map((l) => l.id));
        if (page.body.nextLink === undefined) break;
        const next = new URL(page.body.nextLink as string);
        page = await call(world, world.owner, 'GET', `${next.pathname}${next.search}`);
      }
      assert.equal(new Set(seen).size, seen.length, 'no lead twice across pages');
      for (const l of made) assert.ok(seen.includes(l.id));

      const one = await call(world, world.owner, 'GET', `${base}/referrals?offerId=ref-two&status=delivered&destination=httpsEndpoint`);
      assert.ok(one.body.value.length >= 2);
      assert.ok((one.body.value as { offerId: string; status: string }[]).every((l) => l.offerId === 'ref-two' && l.status === 'delivered'));
      const future = await call(world, world.owner, 'GET', `${base}/referrals?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
      assert.deepEqual(future.body.value, []);
      assert.equal((await call(world, world.owner, 'GET', `${base}/referrals?status=lost`)).status, 400);

      const csv = await call(world, world.owner, 'GET', `${base}/referrals/export?offerId=ref-one`);
      assert.equal(csv.status, 200);
      const lines = csv.text.trimEnd().split('\r\n');
      assert.match(lines[0]!, /^LeadId,CreatedAt,Kind,OfferId,PlanId,CustomerTenantId,SubscriptionId,LeadSource/);
      const contact = lines.find((l) => l.startsWith(made[4]!.id))!;
      assert.match(contact, /"Call me, ""please"", =1\+1"/);
      assert.match(contact, /AzureMarketplace-PLT\|contoso\.ref-one/);

      const detail = await call(world, world.owner, 'GET', `${base}/referrals/${made[0]!.id}`);
      assert.equal(detail.body.lead.status, 'delivered');
      assert.equal(detail.body.attempts.length, 1);
      assert.equal(detail.body.attempts[0].status, 202);

      const again = await call(world, world.owner, 'POST', `${base}/referrals/${made[0]!.id}/redeliver`);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.status, 'pending');
      await eventually(() => call(world, world.owner, 'GET', `${base}/referrals/${made[0]!.id}`), (r) => r.body.lead.status === 'delivered', 'the redelivery');
      assert.ok(vendors.hook.filter((h) => JSON.parse(h.body).LeadId === made[0]!.id).length >= 2);

      for (const path of [`${base}/referrals`, `${base}/referrals/export`, `${base}/referrals/${made[0]!.id}`]) {
        assert.equal((await call(world, world.developer, 'GET', path)).status, 403, `Developer: ${path}`);
        assert.equal((await call(world, world.outsider, 'GET', path)).status, 403, `no role: ${path}`);
      }
      assert.equal((await call(world, world.developer, 'POST', `${base}/referrals/${made[0]!.id}/redeliver`)).status, 403);
      assert.equal((await call(world, world.owner, 'GET', `${base}/referrals/00000000-0000-0000-0000-000000000000`)).status, 404);
    });
  });
}
