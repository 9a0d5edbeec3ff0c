/**
 * One delivery attempt of a lead to its destination: the connector of the destination's type, and
 * whatever it throws (refused address, timeout, connection reset) turned into a failed outcome
 * that says what happened. Nothing here retries: the outbox decides (lead-outbox.ts).
 */
import type { AttemptOutcome, LeadRecord } from '../../core/marketplace/lead-records.js';
import type { LeadDestination } from '../../core/marketplace/model.js';
import type { ConnectorOptions } from './lead-connector.js';
import { deliverToDynamics } from './lead-dynamics.js';
import { deliverByEmail } from './lead-email.js';
import { deliverToHttpsEndpoint } from './lead-https.js';
import { deliverToMarketo } from './lead-marketo.js';
import { deliverToSalesforce } from './lead-salesforce.js';
import { deliverToTable } from './lead-table.js';

/** Sends the lead to the destination once and says what happened. */
export async function deliverLead(destination: LeadDestination, lead: LeadRecord, options: ConnectorOptions): Promise<AttemptOutcome> {
  try {
    switch (destination.type) {
      case 'none':
        return { ok: true, message: 'No lead destination is connected: the lead is kept in Lantern only.', excerpt: '' };
      case 'blob':
        return { ok: false, message: 'Azure Blob is retired as a lead destination; connect another destination and redeliver.', excerpt: '' };
      case 'httpsEndpoint':
        return await deliverToHttpsEndpoint(destination, lead, options);
      case 'table':
        return await deliverToTable(destination, lead, options);
      case 'email':
        return await deliverByEmail(destination, lead, options);
      case 'salesforce':
        return await deliverToSalesforce(destination, lead, options);
      case 'dynamics':
        return await deliverToDynamics(destination, lead, options);
      case 'marketo':
        return await deliverToMarketo(destination, lead, options);
    }
    const stored: { type: unknown } = destination;
    return { ok: false, message: `Lead destination type "${String(stored.type)}" is not one Lantern delivers to; connect a destination and redeliver.`, excerpt: '' };
  } catch (error) {
    return { ok: false, message: `The lead could not be delivered: ${error instanceof Error ? error.message : String(error)}`, excerpt: '' };
  }
}
