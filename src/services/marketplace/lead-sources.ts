/**
 * The customer events that make a lead (marketplace.md A2 "When a lead is generated"): an
 * acquisition ("Create" in the Azure portal: a plan's legal terms accepted for a subscription, one
 * lead per acquisition) and a storefront "Contact me" (the customer's consent and note). Each lead
 * row is written in the transaction of its event, so it exists exactly when the event committed.
 */
import { DomainError, invalid } from '../../core/errors.js';
import { normalizeGuid } from '../../core/guid.js';
import type { Caller } from '../../core/identity/model.js';
import type { LeadCustomer, LeadRecord } from '../../core/marketplace/lead-records.js';
import type { Repositories, Store } from '../../storage/port.js';
import type { RequestContext } from '../context.js';
import type { AcquisitionHooks } from './acquisition-service.js';
import type { LeadService } from './lead-service.js';
import { parseOfferId, type StorefrontService } from './storefront-service.js';

/** The acting customer as the lead schema names them, from the directory (not from the request). */
async function directoryCustomer(repos: Repositories, caller: Caller): Promise<LeadCustomer> {
  const tenant = await repos.identity.getTenant(caller.tenantId);
  const company = tenant?.displayName ?? '';
  if (caller.principalType !== 'User') return { FirstName: '', LastName: caller.displayName, Email: '', Phone: '', Country: '', Company: company, Title: '' };
  const user = await repos.identity.getUser(caller.objectId);
  const name = (user?.displayName ?? caller.displayName).trim();
  const space = name.indexOf(' ');
  return {
    FirstName: space < 0 ? name : name.slice(0, space),
    LastName: space < 0 ? '' : name.slice(space + 1),
    Email: user?.userPrincipalName ?? caller.userPrincipalName ?? '',
    Phone: '', Country: '', Company: company, Title: '',
  };
}

/** The acquisition hooks that write an acquisition's lead (the first acceptance of its terms) with it. */
export function acquisitionLeadHooks(leads: LeadService): AcquisitionHooks {
  return {
    async inTransaction(tx, change) {
      if (change.kind !== 'accepted' || !change.created) return;
      const a = change.acquisition;
      await leads.record(tx, {
        kind: 'acquisition', source: 'AzurePortal',
        publisherId: a.plan.publisher, offerId: a.plan.product, planId: a.plan.name,
        customerTenantId: a.customerTenantId, subscriptionId: a.subscriptionId,
        customer: await directoryCustomer(tx, change.caller),
        description: `${a.offerDisplayName} - ${a.planDisplayName} (version ${a.plan.version}) acquired as '${a.name}'.`,
      });
    },
    committed: () => leads.committed(),
  };
}

/** What a customer fills in for "Contact me". */
export interface ContactMeInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone?: string | undefined;
  readonly country: string;
  readonly company: string;
  readonly title?: string | undefined;
  /** The customer's note to the publisher. */
  readonly note?: string | undefined;
  /** The plan asked about (one the caller sees). */
  readonly planId?: string | undefined;
  /** The subscription the customer asks for (one of their own). */
  readonly subscriptionId?: string | undefined;
  /** The customer agrees that their details are shared with the publisher: must be true. */
  readonly consent: boolean;
}

/** What the customer learns back: the lead's id and what it was about (its delivery is the publisher's business). */
export interface ContactMeReceipt {
  readonly id: string;
  readonly offerId: string;
  readonly planId?: string;
  readonly createdAt: string;
}

/** "Contact me" on the storefront: a lead for an offer the caller sees. */
export function createContactMeService(deps: { store: Store; storefront: Pick<StorefrontService, 'offer'>; leads: LeadService }) {
  const { store, storefront, leads } = deps;
  return {
    async contactMe(ctx: RequestContext, offer: string, input: ContactMeInput): Promise<ContactMeReceipt> {
      const caller = ctx.caller;
      if (caller === 'system') throw new DomainError('forbidden', 'AuthorizationFailed', '"Contact me" is sent by a customer user or application.');
      if (input.consent !== true) throw invalid('ConsentRequired', 'Set consent to true: "Contact me" shares your details with the publisher of the offer.', 'consent');
      // 404 for an offer the caller doesn't see; 403 for a subscription not the caller's own.
      const page = await storefront.offer(ctx, offer, input.subscriptionId);
      const planId = input.planId?.toLowerCase();
      if (planId !== undefined && !page.plans.some((p) => p.planId === planId)) {
        throw invalid('InvalidPlan', `The offer '${offer}' has no plan '${input.planId ?? ''}' that you can see.`, 'planId');
      }
      const { publisherId, offerId } = parseOfferId(offer);
      const customer: LeadCustomer = {
        FirstName: input.firstName.trim(), LastName: input.lastName.trim(), Email: input.email.trim(), Phone: input.phone?.trim() ?? '',
        Country: input.country.trim(), Company: input.company.trim(), Title: input.title?.trim() ?? '',
      };
      const lead: LeadRecord = await store.transaction((tx) => leads.record(tx, {
        kind: 'contactMe', source: 'AzureMarketplace', publisherId, offerId, planId,
        customerTenantId: caller.tenantId, subscriptionId: input.subscriptionId === undefined ? undefined : normalizeGuid(input.subscriptionId), customer, description: input.note?.trim(),
      }));
      leads.committed();
      return { id: lead.id, offerId: offer, ...(lead.planId === undefined ? {} : { planId: lead.planId }), createdAt: lead.createdAt };
    },
  };
}

export type ContactMeService = ReturnType<typeof createContactMeService>;
