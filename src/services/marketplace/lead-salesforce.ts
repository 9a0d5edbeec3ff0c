/**
 * The Salesforce destination: Web-to-Lead, the documented form POST to
 * `servlet.WebToLead?encoding=UTF-8` with the org id (`oid`) and the standard lead fields.
 * Web-to-Lead answers 200 even when it drops the lead; it says so in its `Is-Processed` header
 * (`true Exception …`), which is read as a refusal.
 */
import { shareableCustomer, type AttemptOutcome, type LeadRecord } from '../../core/marketplace/lead-records.js';
import type { LeadDestination } from '../../core/marketplace/model.js';
import { httpOutcome, refusedOutcome, type ConnectorOptions } from './lead-connector.js';
import { guardedFetch } from './network-guard.js';

type Salesforce = Extract<LeadDestination, { type: 'salesforce' }>;

/** The Web-to-Lead form fields (last_name and company are the ones Salesforce requires). */
export function webToLeadFields(d: Salesforce, lead: LeadRecord): URLSearchParams {
  const c = shareableCustomer(lead.customer);
  const ids = [`Lead id: ${lead.idempotencyKey}`, `Offer: ${lead.publisherId}.${lead.offerId}`, lead.planId && `Plan: ${lead.planId}`,
    lead.customerTenantId && `Tenant: ${lead.customerTenantId}`, lead.subscriptionId && `Subscription: ${lead.subscriptionId}`].filter(Boolean);
  return new URLSearchParams({
    oid: d.objectIdentifier,
    first_name: c.FirstName,
    last_name: c.LastName || 'Unknown',
    email: c.Email,
    phone: c.Phone,
    company: c.Company || 'Unknown',
    title: c.Title,
    country: c.Country,
    lead_source: lead.leadSource,
    description: [lead.description, ...ids].filter((l) => l !== '').join('\n'),
  });
}

/** Posts the Web-to-Lead form. */
export async function deliverToSalesforce(d: Salesforce, lead: LeadRecord, options: ConnectorOptions): Promise<AttemptOutcome> {
  const res = await guardedFetch(new URL(options.endpoints.salesforceWebToLeadUrl), {
    method: 'POST',
    allowPrivate: options.allowPrivate,
    ca: options.ca,
    body: webToLeadFields(d, lead).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const processed = res.headers['is-processed'];
  const flag = Array.isArray(processed) ? processed.join(' ') : processed ?? '';
  if (res.status >= 200 && res.status < 300 && /exception/i.test(flag)) {
    return refusedOutcome(res.status, `Is-Processed: ${flag}`, `Salesforce Web-to-Lead dropped the lead (Is-Processed: ${flag}); check the organization identifier and the org's Web-to-Lead settings.`);
  }
  return httpOutcome('Salesforce Web-to-Lead', res);
}
