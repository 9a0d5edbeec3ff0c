/**
 * The Dynamics 365 destination: an Entra ID token (client credentials for Azure AD authentication,
 * the resource-owner password grant for Office 365), then the Dataverse Web API
 * `POST {instance}/api/data/v9.2/leads`. The lead's id is the Dataverse `leadid`, so a repeat
 * delivery meets Dataverse's duplicate-key refusal (0x80040237): the lead is already there.
 */
import { excerpt, shareableCustomer, type AttemptOutcome, type LeadRecord } from '../../core/marketplace/lead-records.js';
import type { LeadDestination } from '../../core/marketplace/model.js';
import { httpOutcome, refusedOutcome, type ConnectorOptions } from './lead-connector.js';
import { guardedFetch } from './network-guard.js';

type Dynamics = Extract<LeadDestination, { type: 'dynamics' }>;

/** Microsoft's public client for Dataverse sign-in with a user name and password (its samples use it). */
const DATAVERSE_PUBLIC_CLIENT = '51f81489-12ee-4a9e-aaae-a2591f45987d';
const DUPLICATE_KEY = '0x80040237';

/** The token request: client credentials, or the user's password with the public client. */
function tokenRequest(d: Dynamics, authorityHost: string): { url: URL; form: URLSearchParams } {
  const instance = new URL(d.instanceUrl).origin;
  const scope = `${instance}/.default`;
  if (d.authentication === 'azureAD') {
    return {
      url: new URL(`${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(d.directoryId)}/oauth2/v2.0/token`),
      form: new URLSearchParams({ grant_type: 'client_credentials', client_id: d.applicationId, client_secret: d.applicationKey, scope }),
    };
  }
  return {
    url: new URL(`${authorityHost.replace(/\/+$/, '')}/organizations/oauth2/v2.0/token`),
    form: new URLSearchParams({ grant_type: 'password', client_id: DATAVERSE_PUBLIC_CLIENT, username: d.username, password: d.password, scope }),
  };
}

/** The Dataverse lead entity's columns for the lead. */
export function dataverseLead(lead: LeadRecord): Record<string, string> {
  const c = shareableCustomer(lead.customer);
  const ids = [`Lead source: ${lead.leadSource}`, `Offer: ${lead.publisherId}.${lead.offerId}`, lead.planId && `Plan: ${lead.planId}`,
    lead.customerTenantId && `Tenant: ${lead.customerTenantId}`, lead.subscriptionId && `Subscription: ${lead.subscriptionId}`].filter(Boolean);
  return {
    leadid: lead.idempotencyKey,
    subject: `${lead.offerTitle} (${lead.leadSource})`,
    firstname: c.FirstName,
    lastname: c.LastName,
    emailaddress1: c.Email,
    telephone1: c.Phone,
    companyname: c.Company,
    jobtitle: c.Title,
    address1_country: c.Country,
    description: [lead.description, ...ids].filter((l) => l !== '').join('\n'),
  };
}

/** Signs in, then creates the lead. */
export async function deliverToDynamics(d: Dynamics, lead: LeadRecord, options: ConnectorOptions): Promise<AttemptOutcome> {
  const { url, form } = tokenRequest(d, options.endpoints.entraAuthorityHost);
  const token = await guardedFetch(url, {
    method: 'POST', allowPrivate: options.allowPrivate, ca: options.ca, body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  let accessToken: string | undefined;
  try {
    accessToken = (JSON.parse(token.body) as { access_token?: string }).access_token;
  } catch {
    accessToken = undefined;
  }
  if (token.status !== 200 || accessToken === undefined) {
    return refusedOutcome(token.status, token.body, `Entra ID refused the Dynamics 365 sign-in (HTTP ${token.status}); check the ${d.authentication === 'azureAD' ? 'application (client) ID, directory ID and client secret' : 'user name and password'}.`);
  }
  const res = await guardedFetch(new URL(`${new URL(d.instanceUrl).origin}/api/data/v9.2/leads`), {
    method: 'POST',
    allowPrivate: options.allowPrivate,
    ca: options.ca,
    body: JSON.stringify(dataverseLead(lead)),
    headers: {
      authorization: `Bearer ${accessToken}`,
      accept: 'application/json',
      'content-type': 'application/json; charset=utf-8',
      'odata-maxversion': '4.0',
      'odata-version': '4.0',
    },
  });
  if (res.status >= 400 && res.body.includes(DUPLICATE_KEY)) {
    return { ok: true, status: res.status, excerpt: excerpt(res.body), message: 'The lead was already in Dynamics 365 (an earlier delivery).' };
  }
  return httpOutcome('Dynamics 365', res);
}
