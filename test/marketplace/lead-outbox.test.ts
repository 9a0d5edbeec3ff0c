/**
 * Lead delivery through the outbox, on SQLite and PostgreSQL, against real destinations: a signed
 * HTTPS endpoint, a real SMTP server, Azurite, and local servers answering as Salesforce
 * Web-to-Lead, Entra ID + Dataverse and Marketo document (errors included). The clock is the
 * test's: retries, the 24-hour window and dead letters are driven by moving it.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { leadPayload, type LeadRecord } from '../../src/core/marketplace/lead-records.js';
import type { LeadDestination } from '../../src/core/marketplace/model.js';
import { systemContext } from '../../src/services/context.js';
import { recordLead } from '../../src/services/marketplace/lead-service.js';
import { testDatabases } from '../support/databases.js';
import { startAzurite, type Azurite } from './azurite.js';
import { ENTRA, MARKETO, SALESFORCE_OID, startVendors, type Vendors } from './lead-vendors.js';
import { startSmtp, startWorld, type World } from './support.js';

const SECRET = 'contoso-lead-signing-secret-0001';
const HOUR = 60 * 60 * 1000;

class TestClock {
  private t = Date.parse('2026-03-02T09:00:00.000Z');
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

const customer = (n: number) => ({ FirstName: `Ada${n}`, LastName: 'Lovelace', Email: `ada${n}@fabrikam.example`, Phone: '+44 20 7946 0000', Country: 'GB', Company: 'Fabrikam', Title: 'CTO' });

for (const db of testDatabases()) {
  describe(`lead outbox (${db.name})`, () => {
    let world: World;
    let vendors: Vendors;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let azurite: Azurite;
    const clock = new TestClock();
    let n = 0;

    before(async () => {
      [vendors, smtp, azurite] = await Promise.all([startVendors(), startSmtp(), startAzurite()]);
      world = await startWorld(db, { smtpUrl: smtp.url, clock, marketplace: { leadEndpoints: vendors.endpoints, leadOutbox: { random: () => 0.5 } } });
      // The test drives the outbox round by round.
      await world.lantern.services.marketplace.leadOutbox.stop();
    });
    after(async () => {
      await world.stop();
      await Promise.all([vendors.stop(), smtp.stop(), azurite.stop()]);
    });

    const mp = () => world.lantern.services.marketplace;
    const ctx = () => systemContext(world.lantern.services.ids);

    async function offerWith(destination: LeadDestination): Promise<string> {
      const offerId = `leads-${++n}`;
      await mp().offers.create(ctx(), 'contoso', { offerId, alias: `Leads ${n}` });
      await mp().offers.updateSetup(ctx(), { publisherId: 'contoso', offerId }, destination);
      return offerId;
    }

    /** An acquisition's lead, committed in its own transaction as the acquisition would. */
    async function acquire(offerId: string, i = ++n): Promise<LeadRecord> {
      const { store, ids } = world.lantern.services;
      return store.transaction((tx) => recordLead(tx, {
        kind: 'acquisition', publisherId: 'contoso', offerId, planId: 'gold', customerTenantId: `tenant-${i}`, subscriptionId: `sub-${i}`, customer: customer(i),
      }, { id: ids.guid(), now: clock.now() }));
    }

    async function drain(): Promise<void> {
      while ((await mp().leadOutbox.runOnce()) > 0);
    }

    const stored = async (id: string) => (await world.lantern.services.store.leads.get(id))!.lead;

    it('delivers an acquisition\'s lead to every destination, each as its vendor documents it', async () => {
      const https = await offerWith({ type: 'httpsEndpoint', httpsEndpointUrl: vendors.hookUrl, signingSecret: SECRET, contactEmails: [] });
      const email = await offerWith({ type: 'email', contactEmails: ['sales@contoso.example'] });
      const table = await offerWith({ type: 'table', storageAccountConnectionString: azurite.connectionString(), contactEmails: [] });
      const salesforce = await offerWith({ type: 'salesforce', objectIdentifier: SALESFORCE_OID, contactEmails: [] });
      const dynamicsAad = await offerWith({ type: 'dynamics', instanceUrl: vendors.origin, authentication: 'azureAD', applicationId: ENTRA.clientId, directoryId: ENTRA.tenantId, applicationKey: ENTRA.clientSecret, contactEmails: [] });
      const dynamicsO365 = await offerWith({ type: 'dynamics', instanceUrl: vendors.origin, authentication: 'office365', username: ENTRA.user, password: ENTRA.password, contactEmails: [] });
      const marketo = await offerWith({ type: 'marketo', munchkinId: MARKETO.munchkinId, formId: '1001', clientId: MARKETO.clientId, clientSecret: MARKETO.clientSecret, contactEmails: [] });
      const leads = {
        https: await acquire(https), email: await acquire(email), table: await acquire(table), salesforce: await acquire(salesforce),
        dynamicsAad: await acquire(dynamicsAad), dynamicsO365: await acquire(dynamicsO365), marketo: await acquire(marketo),
      };
      for (const l of Object.values(leads)) assert.equal(l.status, 'pending');
      await drain();
      for (const [name, l] of Object.entries(leads)) {
        const after = await stored(l.id);
        assert.equal(after.status, 'delivered', `${name}: ${after.lastError ?? ''}`);
        assert.equal(after.attempts, 1);
      }

      const hook = vendors.hook.find((h) => JSON.parse(h.body).LeadId === leads.https.id)!;
      assert.deepEqual(JSON.parse(hook.body), leadPayload(leads.https));
      assert.equal(hook.headers['idempotency-key'], leads.https.id);
      assert.match(String(hook.headers['x-lantern-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
      const body = JSON.parse(hook.body);
      assert.equal(body.PlanId, 'gold');
      assert.match(String(body.CustomerTenantId), /^tenant-/);
      assert.match(String(body.SubscriptionId), /^sub-/);
      assert.equal(body.LeadSource, `AzureMarketplace-INS|contoso.${https}`);

      const mail = smtp.messages.find((m) => m.raw.includes(leads.email.id))!;
      assert.deepEqual(mail.to, ['sales@contoso.example']);
      assert.match(mail.raw, /Ada\d+ Lovelace/);

      const row = await TableClient.fromConnectionString(azurite.connectionString(), 'MarketplaceLeads', { allowInsecureConnection: true })
        .getEntity<Record<string, unknown>>(`contoso.${table}`, leads.table.id);
      assert.equal(row.Email, leads.table.customer.Email);
      assert.equal(row.SubscriptionId, leads.table.subscriptionId);

      const form = vendors.salesforce.find((f) => (f.get('description') ?? '').includes(leads.salesforce.id))!;
      assert.equal(form.get('oid'), SALESFORCE_OID);
      assert.equal(form.get('last_name'), 'Lovelace');
      assert.equal(form.get('company'), 'Fabrikam');
      assert.equal(form.get('lead_source'), leads.salesforce.leadSource);

      for (const l of [leads.dynamicsAad, leads.dynamicsO365]) {
        const entity = vendors.dataverse.get(l.id)!;
        assert.equal(entity.emailaddress1, l.customer.Email);
        assert.equal(entity.companyname, 'Fabrikam');
      }
      assert.equal(vendors.marketo.get(leads.marketo.customer.Email)?.leadSource, leads.marketo.leadSource);
    });

    it('logs each vendor\'s refusal with its status and answer, and keeps the lead for a retry', async () => {
      const badSecret = await offerWith({ type: 'dynamics', instanceUrl: vendors.origin, authentication: 'azureAD', applicationId: ENTRA.clientId, directoryId: ENTRA.tenantId, applicationKey: 'wrong', contactEmails: [] });
      const badOid = await offerWith({ type: 'salesforce', objectIdentifier: '00D000000000000', contactEmails: [] });
      const badMarketo = await offerWith({ type: 'marketo', munchkinId: MARKETO.munchkinId, formId: '1', clientId: MARKETO.clientId, clientSecret: 'wrong', contactEmails: [] });
      const cases = [[await acquire(badSecret), 401, /AADSTS7000215/], [await acquire(badOid), 200, /SalesforceGenericException/], [await acquire(badMarketo), 401, /Bad client credentials/]] as const;
      await drain();
      for (const [lead, status, answer] of cases) {
        const detail = await mp().leads.get(ctx(), 'contoso', lead.id);
        assert.equal(detail.lead.status, 'pending');
        assert.equal(detail.lead.attempts, 1);
        assert.ok(detail.lead.nextAttemptAt! > clock.now().toISOString(), 'the retry waits');
        assert.equal(detail.attempts.length, 1);
        assert.equal(detail.attempts[0]!.ok, false);
        assert.equal(detail.attempts[0]!.status, status);
        assert.match(detail.attempts[0]!.excerpt, answer);
        assert.equal(detail.attempts[0]!.at, clock.now().toISOString());
      }
    });

    it('gives a destination that is down for hours every lead exactly as sent once it is back (repeats allowed, none missing)', async () => {
      const offerId = await offerWith({ type: 'httpsEndpoint', httpsEndpointUrl: vendors.hookUrl, signingSecret: SECRET, contactEmails: [] });
      vendors.down = true;
      const leads = [];
      for (let i = 0; i < 6; i++) leads.push(await acquire(offerId));
      await drain();
      for (let hour = 0; hour < 6; hour++) {
        clock.advance(HOUR);
        await drain();
      }
      for (const l of leads) {
        const s = await stored(l.id);
        assert.equal(s.status, 'pending');
        assert.ok(s.attempts >= 6, `retried with backoff (${s.attempts} attempts)`);
      }
      vendors.down = false;
      clock.advance(HOUR);
      await drain();
      for (const l of leads) {
        assert.equal((await stored(l.id)).status, 'delivered');
        const received = vendors.hook.filter((h) => JSON.parse(h.body).LeadId === l.id);
        assert.ok(received.length >= 1, `lead ${l.id} arrived`);
        for (const r of received) assert.deepEqual(JSON.parse(r.body), leadPayload(l));
      }
    });

    it('dead-letters a lead after 24 hours of failures, tells the Owners, and redelivers one or all of them', async () => {
      const offerId = await offerWith({ type: 'httpsEndpoint', httpsEndpointUrl: vendors.hookUrl, signingSecret: SECRET, contactEmails: [] });
      vendors.down = true;
      const [one, two] = [await acquire(offerId), await acquire(offerId)];
      await drain();
      for (let hour = 0; hour < 25; hour++) {
        clock.advance(HOUR);
        await drain();
      }
      for (const l of [one, two]) assert.equal((await stored(l.id)).status, 'deadLettered');
      const dead = await mp().leads.list(ctx(), 'contoso', { status: 'deadLettered', offerId });
      assert.deepEqual(dead.value.map((l) => l.id).sort(), [one.id, two.id].sort());
      const notices = await world.lantern.services.store.documents.list<{ subject: string; body: string }>('mp-notifications');
      assert.ok(notices.some((x) => x.subject.startsWith('Lead not delivered') && x.body.includes(one.id)), 'the action center says so');

      vendors.down = false;
      const requeued = await mp().leads.redeliver(ctx(), 'contoso', one.id);
      assert.equal(requeued.status, 'pending');
      await assert.rejects(mp().leads.redeliver(ctx(), 'contoso', one.id), /already waiting/);
      await drain();
      assert.equal((await stored(one.id)).status, 'delivered');
      assert.equal((await stored(two.id)).status, 'deadLettered');
      assert.deepEqual(await mp().leads.redeliverDead(ctx(), 'contoso', offerId), { requeued: 1 });
      await drain();
      assert.equal((await stored(two.id)).status, 'delivered');
      assert.ok(vendors.hook.some((h) => JSON.parse(h.body).LeadId === two.id));
    });
  });
}
