/**
 * What every lead connector shares: its options (network guard, clock, mailer, the vendors' base
 * URLs) and how an HTTP answer becomes an attempt outcome.
 */
import { excerpt, type AttemptOutcome } from '../../core/marketplace/lead-records.js';
import type { Mailer } from './mailer.js';
import type { GuardedResponse } from './network-guard.js';

/** Where the vendors live; configurable so a lab (or a test) can point them at its own servers. */
export interface LeadEndpoints {
  /** Entra ID authority host for the Dynamics 365 token (`{host}/{directoryId}/oauth2/v2.0/token`). */
  readonly entraAuthorityHost: string;
  /** The Web-to-Lead servlet (`…/servlet/servlet.WebToLead?encoding=UTF-8`). */
  readonly salesforceWebToLeadUrl: string;
  /** Marketo's REST base; `{munchkinId}` is replaced by the destination's Munchkin ID. */
  readonly marketoBaseUrl: string;
}

export const DEFAULT_LEAD_ENDPOINTS: LeadEndpoints = {
  entraAuthorityHost: 'https://login.microsoftonline.com',
  salesforceWebToLeadUrl: 'https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8',
  marketoBaseUrl: 'https://{munchkinId}.mktorest.com',
};

export interface ConnectorOptions {
  /** Let destinations resolve to private, loopback and link-local addresses (labs and tests only). */
  readonly allowPrivate: boolean;
  readonly ca?: string | undefined;
  readonly mailer: Mailer;
  readonly now: Date;
  readonly endpoints: LeadEndpoints;
}

/** A 2xx is delivered; anything else is a failure naming the status and what came back. */
export function httpOutcome(who: string, res: GuardedResponse): AttemptOutcome {
  const ok = res.status >= 200 && res.status < 300;
  return {
    ok,
    status: res.status,
    excerpt: excerpt(res.body),
    message: ok ? `${who} accepted the lead (HTTP ${res.status}).` : `${who} answered HTTP ${res.status}; it must answer 2xx.`,
  };
}

/** A failed outcome for a refusal found in the answer's body (vendors that answer 200 to errors). */
export function refusedOutcome(status: number, body: string, message: string): AttemptOutcome {
  return { ok: false, status, excerpt: excerpt(body), message };
}
