/**
 * The Azure Table lead destination against a real Table endpoint: Azurite on 127.0.0.1, the test
 * lead written by lead delivery (SharedKeyLite), then read back with the Azure SDK.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { createOffer } from '../../src/core/marketplace/offer.js';
import { sendTestLead, testLead } from '../../src/services/marketplace/lead-delivery.js';
import { createMailer } from '../../src/services/marketplace/mailer.js';

// Azurite's well-known development account (documented, not a secret).
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const WRONG_KEY = Buffer.alloc(64, 7).toString('base64');
const TABLE = 'MarketplaceLeads';

function connectionString(port: number, key: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${key};TableEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port; rejects if the child exits first. */
async function waitForListen(port: number, child: ChildProcess): Promise<void> {
  let exited = false;
  let stderr = '';
  child.once('exit', () => (exited = true));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  for (;;) {
    if (exited) throw new Error(`azurite-table exited before listening on ${port}: ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Azure Table lead destination (Azurite)', () => {
  let azurite: ChildProcess;
  let port: number;
  let location: string;
  const mailer = createMailer(undefined, 'lantern@example.test');

  before(async () => {
    port = await freePort();
    // Azurite refuses --location together with --inMemoryPersistence; a temp working directory
    // keeps anything it might still write out of the repository.
    location = mkdtempSync(join(tmpdir(), 'lantern-azurite-'));
    azurite = spawn(
      join(process.cwd(), 'node_modules/.bin/azurite-table'),
      ['--tableHost', '127.0.0.1', '--tablePort', String(port), '--inMemoryPersistence', '--silent', '--skipApiVersionCheck'],
      { cwd: location, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await waitForListen(port, azurite);
  });

  after(async () => {
    if (azurite.exitCode === null) {
      const exited = new Promise((resolve) => azurite.once('exit', resolve));
      azurite.kill('SIGTERM');
      await exited;
    }
    rmSync(location, { recursive: true, force: true });
  });

  it('creates MarketplaceLeads and writes the test lead with the offer and customer fields as columns', async () => {
    const offer = createOffer({ publisherId: 'contoso', id: 'managed-sentinel', alias: 'Managed Sentinel', existingOfferIds: [] });
    const now = new Date();
    const result = await sendTestLead(
      { type: 'table', storageAccountConnectionString: connectionString(port, KEY), contactEmails: ['leads@contoso.example'] },
      offer,
      { allowPrivate: true, mailer, now },
    );
    assert.equal(result.delivered, true, result.message);
    assert.equal(result.ok, true);
    assert.match(result.message, /MarketplaceLeads.*devstoreaccount1/);

    const lead = testLead(offer, now);
    const code = String(lead.ActionCode);
    assert.match(code, /^MSFT_TEST_\d+$/);
    const client = TableClient.fromConnectionString(connectionString(port, KEY), TABLE, { allowInsecureConnection: true });
    const row = await client.getEntity<Record<string, unknown>>('contoso.managed-sentinel', code);
    assert.equal(row.partitionKey, 'contoso.managed-sentinel');
    assert.equal(row.rowKey, code);
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

    // A second lead goes into the existing table (the 409 of table creation is not a failure).
    const later = new Date(now.getTime() + 1000);
    const again = await sendTestLead(
      { type: 'table', storageAccountConnectionString: connectionString(port, KEY), contactEmails: ['leads@contoso.example'] },
      offer,
      { allowPrivate: true, mailer, now: later },
    );
    assert.equal(again.delivered, true, again.message);
    const rows: unknown[] = [];
    for await (const entity of client.listEntities()) rows.push(entity);
    assert.equal(rows.length, 2);
  });

  it('reports the HTTP status and writes nothing when the account key is wrong', async () => {
    const offer = createOffer({ publisherId: 'fabrikam', id: 'managed-backup', alias: 'Managed Backup', existingOfferIds: [] });
    const result = await sendTestLead(
      { type: 'table', storageAccountConnectionString: connectionString(port, WRONG_KEY), contactEmails: ['leads@fabrikam.example'] },
      offer,
      { allowPrivate: true, mailer, now: new Date() },
    );
    assert.equal(result.delivered, false);
    assert.equal(result.ok, false);
    assert.match(result.message, /HTTP 403/);

    const client = TableClient.fromConnectionString(connectionString(port, KEY), TABLE, { allowInsecureConnection: true });
    const rows: unknown[] = [];
    for await (const entity of client.listEntities({ queryOptions: { filter: "PartitionKey eq 'fabrikam.managed-backup'" } })) rows.push(entity);
    assert.deepEqual(rows, []);
  });

  it('refuses the loopback Table endpoint unless private endpoints are allowed', async () => {
    const offer = createOffer({ publisherId: 'contoso', id: 'managed-guarded', alias: 'Managed Guarded', existingOfferIds: [] });
    const result = await sendTestLead(
      { type: 'table', storageAccountConnectionString: connectionString(port, KEY), contactEmails: ['leads@contoso.example'] },
      offer,
      { allowPrivate: false, mailer, now: new Date() },
    );
    assert.equal(result.delivered, false);
    assert.match(result.message, /127\.0\.0\.1.*allowPrivateLeadEndpoints/);
  });
});
