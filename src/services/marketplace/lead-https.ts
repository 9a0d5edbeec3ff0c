/**
 * The HTTPS-endpoint destination: the lead as JSON (Microsoft's Power Automate schema plus ids),
 * signed with the destination's secret (`x-lantern-signature: t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<body>">`) and carrying its idempotency key. Any 2xx is delivered.
 */
import { leadPayload, leadSignature, SIGNATURE_HEADER, type AttemptOutcome, type LeadRecord } from '../../core/marketplace/lead-records.js';
import type { LeadDestination } from '../../core/marketplace/model.js';
import { httpOutcome, type ConnectorOptions } from './lead-connector.js';
import { guardedFetch } from './network-guard.js';

type Https = Extract<LeadDestination, { type: 'httpsEndpoint' }>;

/** POSTs the signed lead to the endpoint. */
export async function deliverToHttpsEndpoint(d: Https, lead: LeadRecord, options: ConnectorOptions): Promise<AttemptOutcome> {
  const body = JSON.stringify(leadPayload(lead));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': lead.idempotencyKey };
  if (d.signingSecret !== undefined && d.signingSecret !== '') headers[SIGNATURE_HEADER] = leadSignature(d.signingSecret, Math.floor(options.now.getTime() / 1000), body);
  const res = await guardedFetch(new URL(d.httpsEndpointUrl), {
    method: 'POST',
    allowPrivate: options.allowPrivate,
    ca: options.ca,
    body,
    headers,
  });
  return httpOutcome('The HTTPS endpoint', res);
}
