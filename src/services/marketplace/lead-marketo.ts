/**
 * The Marketo destination: an access token from the identity endpoint
 * (`GET {base}/identity/oauth/token?grant_type=client_credentials`), then
 * `POST {base}/rest/v1/leads.json` with createOrUpdate by e-mail (so a repeat delivery updates the
 * same lead). Marketo answers 200 to most failures: `success: false` with `errors`, or a record
 * `skipped` with `reasons`; both are refusals.
 */
import { shareableCustomer, type AttemptOutcome, type LeadRecord } from '../../core/marketplace/lead-records.js';
import type { LeadDestination } from '../../core/marketplace/model.js';
import { httpOutcome, refusedOutcome, type ConnectorOptions } from './lead-connector.js';
import { guardedFetch } from './network-guard.js';

type Marketo = Extract<LeadDestination, { type: 'marketo' }>;

interface MarketoAnswer {
  success?: boolean;
  errors?: { code: string; message: string }[];
  result?: { id?: number; status?: string; reasons?: { code: string; message: string }[] }[];
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

const said = (list: readonly { code: string; message: string }[] | undefined): string => (list ?? []).map((e) => `${e.code} ${e.message}`).join('; ');

/** Gets a token, then creates or updates the lead. */
export async function deliverToMarketo(d: Marketo, lead: LeadRecord, options: ConnectorOptions): Promise<AttemptOutcome> {
  const base = options.endpoints.marketoBaseUrl.replace('{munchkinId}', encodeURIComponent(d.munchkinId)).replace(/\/+$/, '');
  const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: d.clientId, client_secret: d.clientSecret });
  const identity = await guardedFetch(new URL(`${base}/identity/oauth/token?${query.toString()}`), { method: 'GET', allowPrivate: options.allowPrivate, ca: options.ca });
  const token = parse<{ access_token?: string }>(identity.body)?.access_token;
  if (identity.status !== 200 || token === undefined) {
    return refusedOutcome(identity.status, identity.body, `Marketo's identity endpoint refused the client ID and secret (HTTP ${identity.status}).`);
  }
  const c = shareableCustomer(lead.customer);
  const res = await guardedFetch(new URL(`${base}/rest/v1/leads.json`), {
    method: 'POST',
    allowPrivate: options.allowPrivate,
    ca: options.ca,
    body: JSON.stringify({
      action: 'createOrUpdate',
      lookupField: 'email',
      input: [{ email: c.Email, firstName: c.FirstName, lastName: c.LastName, phone: c.Phone, company: c.Company, title: c.Title, country: c.Country, leadSource: lead.leadSource }],
    }),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  if (res.status !== 200) return httpOutcome('Marketo', res);
  const answer = parse<MarketoAnswer>(res.body);
  if (answer?.success !== true) return refusedOutcome(res.status, res.body, `Marketo refused the lead: ${said(answer?.errors) || 'no success flag in its answer'}.`);
  const record = answer.result?.[0];
  if (record?.status !== 'created' && record?.status !== 'updated') {
    return refusedOutcome(res.status, res.body, `Marketo skipped the lead: ${said(record?.reasons) || `status ${record?.status ?? 'missing'}`}.`);
  }
  return { ...httpOutcome('Marketo', res), message: `Marketo ${record.status} lead ${record.id ?? ''}.`.replace(' .', '.') };
}
