/**
 * The Azure Table destination over the Table REST API (SharedKeyLite): the `MarketplaceLeads` table
 * is created when missing (pain 9), and each lead is one entity, PartitionKey `publisher.offer`,
 * RowKey the lead's idempotency key, customer fields as their own columns (pain 12). A repeat
 * delivery meets EntityAlreadyExists (409), which is the lead already there: delivered.
 */
import { createHmac } from 'node:crypto';
import { excerpt, leadPayload, type AttemptOutcome, type LeadRecord } from '../../core/marketplace/lead-records.js';
import type { LeadDestination } from '../../core/marketplace/model.js';
import type { ConnectorOptions } from './lead-connector.js';
import { guardedFetch } from './network-guard.js';

export const LEADS_TABLE = 'MarketplaceLeads';

type Table = Extract<LeadDestination, { type: 'table' }>;

function connectionString(value: string): Map<string, string> {
  return new Map(
    value
      .split(';')
      .filter((p) => p.includes('='))
      .map((p) => [p.slice(0, p.indexOf('=')).trim().toLowerCase(), p.slice(p.indexOf('=') + 1).trim()] as const),
  );
}

/** Customer fields as their own columns rather than one JSON blob; nulls are left out. */
function columns(lead: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  };
  for (const [k, v] of Object.entries(lead)) {
    if (typeof v === 'object' && v !== null) for (const [k2, v2] of Object.entries(v)) put(k2, v2);
    else put(k, v);
  }
  return out;
}

/** Writes the lead as an entity of MarketplaceLeads. */
export async function deliverToTable(d: Table, lead: LeadRecord, options: ConnectorOptions): Promise<AttemptOutcome> {
  const parts = connectionString(d.storageAccountConnectionString);
  const account = parts.get('accountname') ?? '';
  const key = Buffer.from(parts.get('accountkey') ?? '', 'base64');
  const endpoint = new URL(parts.get('tableendpoint') ?? `https://${account}.table.${parts.get('endpointsuffix') ?? 'core.windows.net'}/`);
  const base = endpoint.pathname.replace(/\/+$/, '');
  const call = (table: string, body: unknown) => {
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
    return { ok: false, status: created.status, excerpt: excerpt(created.body), message: `Azure Table refused to create table ${LEADS_TABLE} (HTTP ${created.status}).` };
  }
  const entity = { PartitionKey: `${lead.publisherId}.${lead.offerId}`, RowKey: lead.idempotencyKey, ...columns(leadPayload(lead)) };
  const inserted = await call(LEADS_TABLE, entity);
  if (inserted.status === 201 || inserted.status === 204) {
    return { ok: true, status: inserted.status, excerpt: excerpt(inserted.body), message: `The lead was written to table ${LEADS_TABLE} of storage account ${account}.` };
  }
  if (inserted.status === 409 && inserted.body.includes('EntityAlreadyExists')) {
    return { ok: true, status: inserted.status, excerpt: excerpt(inserted.body), message: `The lead was already in table ${LEADS_TABLE} of storage account ${account} (an earlier delivery).` };
  }
  return { ok: false, status: inserted.status, excerpt: excerpt(inserted.body), message: `Azure Table refused the lead (HTTP ${inserted.status}).` };
}
