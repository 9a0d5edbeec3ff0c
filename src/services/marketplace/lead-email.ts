/**
 * The e-mail destination: the lead to the destination's contact addresses through Lantern's SMTP
 * server. The SMTP reply code is the attempt's status; a refusal is retried like any failure.
 */
import { leadPayload, shareableCustomer, type AttemptOutcome, type LeadRecord } from '../../core/marketplace/lead-records.js';
import type { LeadDestination } from '../../core/marketplace/model.js';
import type { ConnectorOptions } from './lead-connector.js';

type Email = Extract<LeadDestination, { type: 'email' }>;

/** The message text: who, about what, and the whole lead as JSON. */
function text(lead: LeadRecord): string {
  const c = shareableCustomer(lead.customer);
  return [
    `A new ${lead.kind === 'test' ? 'test lead' : 'lead'} for ${lead.offerTitle} (${lead.publisherId}.${lead.offerId}).`,
    '',
    `Name: ${c.FirstName} ${c.LastName}`.trimEnd(),
    `Email: ${c.Email}`,
    `Company: ${c.Company}`,
    `Lead source: ${lead.leadSource}`,
    `Lead id (idempotency key): ${lead.idempotencyKey}`,
    '',
    JSON.stringify(leadPayload(lead), null, 2),
    '',
  ].join('\n');
}

/** Mails the lead to the contact addresses. */
export async function deliverByEmail(d: Email, lead: LeadRecord, options: ConnectorOptions): Promise<AttemptOutcome> {
  if (!options.mailer.configured) {
    return { ok: false, message: 'No SMTP server is configured (LANTERN_SMTP_URL), so the lead could not be e-mailed.', excerpt: '' };
  }
  try {
    const sent = await options.mailer.send({ to: d.contactEmails, subject: `Lead ${lead.idempotencyKey}: ${lead.offerTitle} (${lead.leadSource})`, text: text(lead) });
    return { ok: true, status: 250, message: `The lead was e-mailed to ${sent.accepted.join('; ')}.`, excerpt: '' };
  } catch (error) {
    const e = error as { responseCode?: number; response?: string; message?: string };
    return { ok: false, ...(e.responseCode === undefined ? {} : { status: e.responseCode }), message: `The SMTP server refused the lead: ${e.message ?? String(error)}`, excerpt: e.response ?? '' };
  }
}
