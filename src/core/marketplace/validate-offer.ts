/**
 * `validateOffer`: every rule of every page at once (not just the first broken one), plus the per-page
 * status the Review and publish page shows. The portal, `lantern offer validate` and the ingestion API
 * all report these same violations.
 */
import { MAX_PREVIEW_AUDIENCE, validateAudienceMembers } from './audience.js';
import { validateCategories } from './categories.js';
import { validateLeads } from './leads.js';
import type { Offer, OfferListing, Plan } from './model.js';
import { type SectionName, type Violation, ViolationSink } from './rules.js';
import { ID_PATTERN, isBlank, isHttpsUrl } from './text.js';
import { validateListing } from './validate-listing.js';
import { validatePlan, validatePlanOverview } from './validate-plans.js';
import { type TechnicalContext, validateTechnicalConfiguration } from './validate-technical.js';

export interface ValidationContext extends TechnicalContext {
  /** Ids of the publisher's other offers (offer ids are unique per publisher). */
  readonly otherOfferIds?: readonly string[];
  /** The version last published (preview or live), for the update rules (public→private, published manifests). */
  readonly published?: Offer | undefined;
  /** Certification policy in force demands a lead destination (700.4 in 2020–2022); optional today. */
  readonly requireLeadDestination?: boolean;
}

export type SectionStatusValue = 'Not started' | 'Incomplete' | 'Complete';

export interface SectionStatus {
  readonly section: SectionName;
  readonly status: SectionStatusValue;
}

export interface OfferValidation {
  readonly violations: readonly Violation[];
  readonly sections: readonly SectionStatus[];
  /** Every section is Complete (warnings don't block). */
  readonly publishable: boolean;
}

/** The section of a plan's listing, pricing and availability. */
export function planSection(planId: string): SectionName {
  return `Plans/${planId}`;
}

/** The section of a plan's technical configuration. */
export function technicalSection(planId: string): SectionName {
  return `Plans/${planId}/Technical configuration`;
}

function listingUntouched(l: OfferListing): boolean {
  const texts = [l.name, l.searchResultsSummary, l.shortDescription, l.description, l.privacyPolicyUrl];
  return texts.every((t) => isBlank(t)) && l.logos.large === undefined && l.screenshots.length === 0 && l.videos.length === 0 && l.usefulLinks.length === 0;
}

function planUntouched(p: Plan): boolean {
  return isBlank(p.summary) && isBlank(p.description) && p.privateAudience.length === 0;
}

interface SectionCheck {
  readonly section: SectionName;
  readonly untouched: boolean;
  readonly run: (sink: ViolationSink) => void;
}

function sectionChecks(offer: Offer, ctx: ValidationContext): SectionCheck[] {
  const publishedPlan = (id: string): Plan | undefined => ctx.published?.plans.find((p) => p.id === id);
  const checks: SectionCheck[] = [
    {
      section: 'Offer setup',
      untouched: false, // "None" is a valid, deliberate choice
      run: (sink) => {
        if (!ID_PATTERN.test(offer.id)) sink.error('id', 'offer.id.format', `Offer ID "${offer.id}" must be 3–50 lowercase letters, digits, "-" or "_", starting with a letter or digit.`);
        if (ctx.otherOfferIds?.includes(offer.id) === true) sink.error('id', 'offer.id.unique', `Offer ID "${offer.id}" is already used by another offer of publisher ${offer.publisherId}.`);
        if (isBlank(offer.alias)) sink.error('alias', 'offer.alias.required', 'Offer alias is required (it names the offer inside Partner Center only).');
        validateLeads(offer.setup.customerLeads, ctx.requireLeadDestination ?? false, sink);
      },
    },
    {
      section: 'Properties',
      untouched: offer.properties.categories.length === 0 && offer.properties.terms === undefined,
      run: (sink) => {
        validateCategories(offer.properties.categories, sink);
        const terms = offer.properties.terms;
        if (terms === undefined || (terms.kind === 'text' ? isBlank(terms.text) : isBlank(terms.url))) {
          sink.error('properties.terms', 'properties.terms.required', 'Enter your terms and conditions, or a link to them: customers accept them before they get the offer.');
        } else if (terms.kind === 'url' && !isHttpsUrl(terms.url)) {
          sink.error('properties.terms.url', 'properties.terms.url', 'The terms and conditions link must be an absolute https:// URL.');
        }
      },
    },
    { section: 'Offer listing', untouched: listingUntouched(offer.listing), run: (sink) => validateListing(offer.listing, sink) },
    {
      section: 'Preview audience',
      untouched: offer.previewAudience.length === 0,
      run: (sink) => {
        if (offer.previewAudience.length === 0) sink.error('previewAudience', 'audience.preview.required', 'Add at least one Azure subscription ID to the preview audience (include your own, to test the offer).');
        if (offer.previewAudience.length > MAX_PREVIEW_AUDIENCE) {
          sink.error('previewAudience', 'audience.preview.count', `The preview audience has ${offer.previewAudience.length} subscriptions; at most ${MAX_PREVIEW_AUDIENCE} are allowed.`);
        }
        validateAudienceMembers(offer.previewAudience, 'previewAudience', sink);
      },
    },
    { section: 'Plan overview', untouched: offer.plans.length === 0, run: (sink) => validatePlanOverview(offer.plans, sink) },
  ];
  offer.plans.forEach((plan, i) => {
    const path = `plans[${i}]`;
    checks.push(
      { section: planSection(plan.id), untouched: planUntouched(plan), run: (sink) => validatePlan(plan, path, publishedPlan(plan.id), sink) },
      {
        section: technicalSection(plan.id),
        untouched: plan.technicalConfiguration.manifests.length === 0,
        run: (sink) => validateTechnicalConfiguration(plan, path, publishedPlan(plan.id), ctx, sink),
      },
    );
  });
  return checks;
}

/** Every violation of the offer, and the status of every section. */
export function validateOffer(offer: Offer, context: ValidationContext): OfferValidation {
  const violations: Violation[] = [];
  const sections: SectionStatus[] = [];
  for (const check of sectionChecks(offer, context)) {
    const sink = new ViolationSink(check.section);
    check.run(sink);
    violations.push(...sink.violations);
    const hasError = sink.violations.some((v) => v.severity === 'error');
    sections.push({ section: check.section, status: check.untouched ? 'Not started' : hasError ? 'Incomplete' : 'Complete' });
  }
  return { violations, sections, publishable: sections.every((s) => s.status === 'Complete') };
}
