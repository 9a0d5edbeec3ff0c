/**
 * The lead-destination check of automated validation: a test lead (every customer field
 * `MSFT_TEST_<ticks>`, as Microsoft sends it) delivered to the destination the publisher connected.
 * HTTPS endpoints get the Power Automate JSON by POST, Azure Table gets a row through the Table REST
 * API (the `MarketplaceLeads` table is created when missing — pain 9), e-mail goes through SMTP.
 * Dynamics 365, Salesforce and Marketo are not contacted: their fields are validated and the result
 * says plainly that nothing was sent.
 */
import { createHmac } from 'node:crypto';
import type { LeadDestination, Offer } from '../../core/marketplace/model.js';
import { guardedFetch } from './network-guard.js';
import type { Mailer } from './mailer.js';

export interface LeadCheck {
  readonly ok: boolean;
  /** False when Lantern could only check the fields (no connector for this destination). */
  readonly delivered: boolean;
  readonly message: string;
}

export interface LeadDeliveryOptions {
  readonly allowPrivate: boolean;
  readonly ca?: string | undefined;
  readonly mailer: Mailer;
  readonly now: Date;
}

/** .NET ticks (100 ns since 0001-01-01), the suffix of Microsoft's test leads. */
function ticks(now: Date): string {
  return (BigInt(now.getTime()) * 10_000n + 621_355_968_000_000_000n).toString();
}

/** The test lead, in the HTTPS endpoint's JSON shape plus the offer and publisher ids (pain 10). */
export function testLead(offer: Offer, now: Date): Record<string, unknown> {
  const t = `MSFT_TEST_${ticks(now)}`;
  return {
    UserDetails: { FirstName: t, LastName: t, Email: `${t}@test.com`, Phone: '1234567890', Country: 'US', Company: t, Title: t },
    LeadSource: `${t}-${t}|${offer.listing.name || offer.alias}`,
    ActionCode: t,
    OfferTitle: offer.listing.name || offer.alias,
    Description: 'Test lead sent by Lantern to validate the lead destination.',
    OfferId: `${offer.publisherId}.${offer.id}`,
    PublisherId: offer.publisherId,
  };
}

function connectionString(value: string): Map<string, string> {
  return new Map(
    value
      .split(';')
      .filter((p) => p.includes('='))
      .map((p) => [p.slice(0, p.indexOf('=')).trim().toLowerCase(), p.slice(p.indexOf('=') + 1).trim()] as const),
  );
}

const LEADS_TABLE = 'MarketplaceLeads';

async function toTable(connection: string, lead: Record<string, unknown>, options: LeadDeliveryOptions): Promise<LeadCheck> {
  const parts = connectionString(connection);
  const account = parts.get('accountname') ?? '';
  const key = Buffer.from(parts.get('accountkey') ?? '', 'base64');
  const endpoint = new URL(parts.get('tableendpoint') ?? `https://${account}.table.${parts.get('endpointsuffix') ?? 'core.windows.net'}/`);
  const base = endpoint.pathname.replace(/\/+$/, '');
  const call = async (table: string, body: unknown) => {
    const date = options.now.toUTCString();
    // SharedKeyLite for the Table service: date and canonical resource, HMAC-SHA256 with the account key.
    const signature = createHmac('sha256', key).update(`${date}\n/${account}${base}/${table}`).digest('base64');
    return guardedFetch(new URL(`${base}/${table}`, endpoint), {
      method: 'POST',
      allowPrivate: options.allowPrivate,
      ca: options.ca,
      body: JSON.stringify(body),
      headers: {
        authorization: `SharedKeyLite ${account}:${signature}`,
        'x-ms-date': date,
        'x-ms-version': '2019-02-02',
        'content-type': 'application/json',
        accept: 'application/json;odata=nometadata',
        prefer: 'return-no-content',
        dataserviceversion: '3.0;NetFx',
      },
    });
  };
  const created = await call('Tables', { TableName: LEADS_TABLE });
  if (created.status !== 201 && created.status !== 204 && created.status !== 409) {
    return { ok: false, delivered: false, message: `Azure Table refused to create table ${LEADS_TABLE} (HTTP ${created.status}): ${created.body.slice(0, 300)}` };
  }
  const row = { PartitionKey: String(lead.OfferId), RowKey: String(lead.ActionCode), ...flatten(lead) };
  const inserted = await call(LEADS_TABLE, row);
  if (inserted.status !== 201 && inserted.status !== 204) {
    return { ok: false, delivered: false, message: `Azure Table refused the test lead (HTTP ${inserted.status}): ${inserted.body.slice(0, 300)}` };
  }
  return { ok: true, delivered: true, message: `A test lead was written to table ${LEADS_TABLE} of storage account ${account}.` };
}

/** Customer fields as their own columns rather than one JSON blob (pain 12). */
function flatten(lead: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(lead)) {
    if (typeof v === 'object' && v !== null) for (const [k2, v2] of Object.entries(v)) out[k2] = String(v2);
    else out[k] = String(v);
  }
  return out;
}

/** Sends a test lead to the destination and says what happened, in words for the publisher. */
export async function sendTestLead(destination: LeadDestination, offer: Offer, options: LeadDeliveryOptions): Promise<LeadCheck> {
  const lead = testLead(offer, options.now);
  try {
    switch (destination.type) {
      case 'none':
        return { ok: true, delivered: false, message: 'No lead destination is connected: leads are kept in Lantern only.' };
      case 'httpsEndpoint': {
        const res = await guardedFetch(new URL(destination.httpsEndpointUrl), {
          method: 'POST',
          allowPrivate: options.allowPrivate,
          ca: options.ca,
          body: JSON.stringify(lead),
          headers: { 'content-type': 'application/json' },
        });
        return res.status >= 200 && res.status < 300
          ? { ok: true, delivered: true, message: `The HTTPS endpoint accepted the test lead (HTTP ${res.status}).` }
          : { ok: false, delivered: false, message: `The HTTPS endpoint answered HTTP ${res.status} to the test lead; it must answer 2xx.` };
      }
      case 'table':
        return await toTable(destination.storageAccountConnectionString, lead, options);
      case 'email': {
        if (!options.mailer.configured) return { ok: true, delivered: false, message: 'E-mail destination checked; no SMTP server is configured, so no test lead was sent.' };
        await options.mailer.send({
          to: destination.contactEmails,
          subject: `Test lead for ${String(lead.OfferTitle)}`,
          text: `This is a test lead from Lantern for offer ${String(lead.OfferId)}.\n\n${JSON.stringify(lead, null, 2)}\n`,
        });
        return { ok: true, delivered: true, message: `A test lead was e-mailed to ${destination.contactEmails.join('; ')}.` };
      }
      case 'blob':
        return { ok: false, delivered: false, message: 'Azure Blob is retired as a lead destination; its leads would be lost.' };
      case 'dynamics':
      case 'salesforce':
      case 'marketo':
        return { ok: true, delivered: false, message: `The ${destination.type} connection fields are valid; Lantern has no ${destination.type} connector, so no test lead was sent.` };
    }
  } catch (error) {
    return { ok: false, delivered: false, message: `The test lead could not be delivered: ${error instanceof Error ? error.message : String(error)}` };
  }
}
