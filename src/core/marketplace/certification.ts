/**
 * Certification: the checks of certification policy 700 (Managed Services) that a machine can make, run
 * after automated validation. A platform operator may additionally review by hand (see pipeline.ts).
 */
import { isGuid } from '../guid.js';
import type { Offer } from './model.js';
import { currentManifest } from './model.js';
import { type PublisherAccount, publisherIneligibility } from './publisher.js';

/** Policy sections: 700.1 value proposition, 700.3 graphics, 700.4 business requirements, 700.5 plans, 700.6 manifests. */
export type PolicySection = '700.1' | '700.3' | '700.4' | '700.5' | '700.6';

export interface CertificationFinding {
  readonly policy: PolicySection;
  readonly field: string;
  readonly message: string;
}

export interface CertificationPolicy {
  /** 2020–2022 policy 700.4: a lead destination must record every deployment in a CRM. */
  readonly requireLeadDestination: boolean;
  /** The platform operator reviews every submission by hand before preview. */
  readonly requireManualApproval: boolean;
}

export const DEFAULT_CERTIFICATION_POLICY: CertificationPolicy = { requireLeadDestination: false, requireManualApproval: false };

/** The policy-700 findings for an offer submitted by a publisher; empty when it passes. */
export function certifyOffer(offer: Offer, publisher: PublisherAccount, policy: CertificationPolicy): CertificationFinding[] {
  const findings: CertificationFinding[] = [];
  if (publisher.publisherId !== offer.publisherId) {
    findings.push({ policy: '700.4', field: 'publisherId', message: `Offer ${offer.id} belongs to publisher ${offer.publisherId}, not ${publisher.publisherId}.` });
  }
  const ineligible = publisherIneligibility(publisher);
  if (ineligible !== undefined) findings.push({ policy: '700.4', field: 'publisherId', message: ineligible });
  if (policy.requireLeadDestination && offer.setup.customerLeads.type === 'none') {
    findings.push({ policy: '700.4', field: 'setup.customerLeads', message: 'Connect a lead destination that creates a CRM record each time a customer deploys the offer.' });
  }
  if (offer.listing.description.trim().length < offer.listing.shortDescription.trim().length) {
    findings.push({ policy: '700.1', field: 'listing.description', message: 'The description must explain the value of the service at more length than the short description.' });
  }
  if (offer.listing.logos.large === undefined) findings.push({ policy: '700.3', field: 'listing.logos.large', message: 'The offer needs a logo.' });
  offer.plans.forEach((plan, i) => {
    if (plan.summary.trim() !== '' && plan.summary.trim() === plan.description.trim()) {
      findings.push({ policy: '700.5', field: `plans[${i}].description`, message: `Plan "${plan.id}": the description must say what the plan offers beyond its summary.` });
    }
    const manifest = currentManifest(plan);
    manifest?.authorizations.forEach((a, j) => {
      // Customers decide on display names; a bare object id tells them nothing about who gets access.
      if (isGuid(a.displayName.trim())) {
        findings.push({
          policy: '700.6',
          field: `plans[${i}].technicalConfiguration.manifests[${plan.technicalConfiguration.manifests.length - 1}].authorizations[${j}].displayName`,
          message: `Plan "${plan.id}": authorization ${j + 1} must have a display name that tells the customer who gets access, not an object ID.`,
        });
      }
    });
  });
  return findings;
}
