/**
 * The Azure Table lead destination against a real Table endpoint: Azurite on 127.0.0.1, a lead
 * written by the connector (SharedKeyLite), then read back with the Azure SDK.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { newLead, testLeadCustomer, type LeadRecord } from '../../src/core/marketplace/lead-records.js';
import type { LeadDestination } from '../../src/core/marketplace/model.js';
import { DEFAULT_LEAD_ENDPOINTS } from '../../src/services/marketplace/lead-connector.js';
import { deliverLead } from '../../src/services/marketplace/lead-delivery.js';
import { createMailer } from '../../src/services/marketplace/mailer.js';
import { startAzurite, type Azurite } from './azurite.js';

const WRONG_KEY = Buffer.alloc(64, 7).toString('base64');
const TABLE = 'MarketplaceLeads';

/** A test lead of the offer, as Validate makes it. */
function lead(publisherId: string, offerId: string, title: string, now: Date): LeadRecord {
  return newLead({
    id: randomUUID(), kind: 'test', publisherId, offerId, offerTitle: title, source: 'AzureMarketplace',
    customer: testLeadCustomer(now), destinationType: 'table', now,
  });
}

describe('Azure Table lead destination (Azurite)', () => {
  let azurite: Azurite;
  const connectionString = (_port: number, key?: string) => azurite.connectionString(key);
  let port = 0;

  before(async () => {
    azurite = await startAzurite();
    port = azurite.port;
  });
  after(() => azurite.stop());

  const mailer = createMailer(undefined, 'lantern@example.test');
  const send = (destination: LeadDestination, l: LeadRecord, allowPrivate = true) =>
    deliverLead(destination, l, { allowPrivate, mailer, now: new Date(), endpoints: DEFAULT_LEAD_ENDPOINTS });

  it('creates MarketplaceLeads and writes the lead with the offer and customer fields as columns; a repeat is the same row', async () => {
    const now = new Date();
    const first = lead('contoso', 'managed-sentinel', 'Managed Sentinel', now);
    const destination: LeadDestination = { type: 'table', storageAccountConnectionString: connectionString(port), contactEmails: ['leads@contoso.example'] };
    const result = await send(destination, first);
    assert.equal(result.ok, true, result.message);
    assert.equal(result.status, 204);
    assert.match(result.message, /MarketplaceLeads.*devstoreaccount1/);

    const code = first.actionCode;
    assert.match(code, /^MSFT_TEST_\d+$/);
    const client = TableClient.fromConnectionString(connectionString(port), TABLE, { allowInsecureConnection: true });
    const row = await client.getEntity<Record<string, unknown>>('contoso.managed-sentinel', first.id);
    assert.equal(row.partitionKey, 'contoso.managed-sentinel');
    assert.equal(row.rowKey, first.id);
    assert.equal(row.IdempotencyKey, first.id);
    assert.equal(row.OfferId, 'contoso.managed-sentinel');
    assert.equal(row.PublisherId, 'contoso');
    assert.equal(row.OfferTitle, 'Managed Sentinel');
    assert.equal(row.ActionCode, code);
    assert.equal(row.LeadSource, `${code}-${code}|Managed Sentinel`);
    assert.equal(row.FirstName, code);
    assert.equal(row.LastName, code);
    assert.equal(row.Email, `${code}@test.com`);
    assert.equal(row.Phone, '1234567890');
    assert.equal(row.Country, 'US');
    assert.equal(row.Company, code);
    assert.equal(row.Title, code);

    // The same lead again (at-least-once delivery) meets EntityAlreadyExists: delivered, still one row.
    const repeat = await send(destination, first);
    assert.equal(repeat.ok, true, repeat.message);
    assert.equal(repeat.status, 409);
    // Another lead goes into the existing table (the 409 of table creation is not a failure).
    const second = await send(destination, lead('contoso', 'managed-sentinel', 'Managed Sentinel', new Date(now.getTime() + 1000)));
    assert.equal(second.ok, true, second.message);
    const rows: unknown[] = [];
    for await (const entity of client.listEntities()) rows.push(entity);
    assert.equal(rows.length, 2);
  });

  it('reports the HTTP status and writes nothing when the account key is wrong', async () => {
    const result = await send(
      { type: 'table', storageAccountConnectionString: connectionString(port, WRONG_KEY), contactEmails: ['leads@fabrikam.example'] },
      lead('fabrikam', 'managed-backup', 'Managed Backup', new Date()),
    );
    assert.equal(result.ok, false);
    assert.equal(result.status, 403);
    assert.match(result.message, /HTTP 403/);
    assert.match(result.excerpt, /AuthorizationFailure|Server failed to authenticate/);

    const client = TableClient.fromConnectionString(connectionString(port), TABLE, { allowInsecureConnection: true });
    const rows: unknown[] = [];
    for await (const entity of client.listEntities({ queryOptions: { filter: "PartitionKey eq 'fabrikam.managed-backup'" } })) rows.push(entity);
    assert.deepEqual(rows, []);
  });

  it('refuses the loopback Table endpoint unless private endpoints are allowed', async () => {
    const result = await send(
      { type: 'table', storageAccountConnectionString: connectionString(port), contactEmails: ['leads@contoso.example'] },
      lead('contoso', 'managed-guarded', 'Managed Guarded', new Date()),
      false,
    );
    assert.equal(result.ok, false);
    assert.match(result.message, /127\.0\.0\.1.*allowPrivateLeadEndpoints/);
  });
});
