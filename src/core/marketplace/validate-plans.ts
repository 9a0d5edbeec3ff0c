/** Rules of Plan overview and of each plan's listing, pricing and availability. */
import { MAX_MANUAL_AUDIENCE, MAX_PRIVATE_AUDIENCE_TOTAL, validateAudienceMembers } from './audience.js';
import type { Plan } from './model.js';
import type { ViolationSink } from './rules.js';
import { charLength, ID_PATTERN, isBlank } from './text.js';

export const MAX_PRIVATE_PLANS = 45;
export const PLAN_NAME_MAX = 200;
export const PLAN_SUMMARY_MAX = 100;

/** Validates the offer-wide plan rules: at least one plan, unique ids and names, private-plan limits. */
export function validatePlanOverview(plans: readonly Plan[], sink: ViolationSink): void {
  if (plans.length === 0) sink.error('plans', 'plans.required', 'Create at least one plan.');
  const privatePlans = plans.filter((p) => p.visibility === 'private');
  if (privatePlans.length > MAX_PRIVATE_PLANS) {
    sink.error('plans', 'plans.private.count', `${privatePlans.length} private plans; an offer can have at most ${MAX_PRIVATE_PLANS}.`);
  }
  const total = privatePlans.reduce((n, p) => n + p.privateAudience.length, 0);
  if (total > MAX_PRIVATE_AUDIENCE_TOTAL) {
    sink.error('plans', 'plans.private-audience.total', `Private audiences list ${total.toLocaleString('en-US')} subscriptions across all plans; the limit is ${MAX_PRIVATE_AUDIENCE_TOTAL.toLocaleString('en-US')}.`);
  }
  plans.forEach((p, i) => {
    const earlierId = plans.findIndex((q) => q.id === p.id);
    if (earlierId < i) sink.error(`plans[${i}].id`, 'plan.id.unique', `Plan ID "${p.id}" is already used by another plan of this offer.`);
    const earlierName = plans.findIndex((q) => q.name.trim().toLowerCase() === p.name.trim().toLowerCase());
    if (!isBlank(p.name) && earlierName < i) sink.error(`plans[${i}].name`, 'plan.name.unique', `Plan name "${p.name}" is already used by plan "${plans[earlierName]?.id ?? ''}".`);
  });
}

/** Validates one plan's listing, pricing and visibility; `published` is the plan as last published, if ever. */
export function validatePlan(plan: Plan, path: string, published: Plan | undefined, sink: ViolationSink): void {
  if (!ID_PATTERN.test(plan.id)) {
    sink.error(`${path}.id`, 'plan.id.format', `Plan ID "${plan.id}" must be 3–50 lowercase letters, digits, "-" or "_", starting with a letter or digit.`);
  }
  if (isBlank(plan.name)) sink.error(`${path}.name`, 'plan.name.required', 'Plan name is required.');
  else if (charLength(plan.name) > PLAN_NAME_MAX) sink.error(`${path}.name`, 'plan.name.length', `Plan name is ${charLength(plan.name)} characters; the limit is ${PLAN_NAME_MAX}.`);
  if (isBlank(plan.summary)) sink.error(`${path}.summary`, 'plan.summary.required', 'Plan summary is required: it appears in search results.');
  else if (charLength(plan.summary) > PLAN_SUMMARY_MAX) sink.error(`${path}.summary`, 'plan.summary.length', `Plan summary is ${charLength(plan.summary)} characters; the limit is ${PLAN_SUMMARY_MAX}.`);
  if (isBlank(plan.description)) sink.error(`${path}.description`, 'plan.description.required', 'Plan description is required: say what makes this plan different.');
  if ((plan.pricing as string) !== 'byol') sink.error(`${path}.pricing`, 'plan.pricing.byol', 'Managed service plans are Bring your own license (BYOL): you bill the customer directly.');
  if (published?.visibility === 'public' && plan.visibility === 'private') {
    sink.error(`${path}.visibility`, 'plan.visibility.public-to-private', `Plan "${plan.id}" was published as public and can never become private; stop distribution and create a new private plan instead.`);
  }
  if (plan.visibility === 'private') {
    if (plan.privateAudience.length === 0) {
      sink.error(`${path}.privateAudience`, 'plan.private-audience.required', `Private plan "${plan.id}" needs at least one subscription ID in its audience (up to ${MAX_MANUAL_AUDIENCE} by hand, more by CSV).`);
    }
    validateAudienceMembers(plan.privateAudience, `${path}.privateAudience`, sink);
  } else if (plan.privateAudience.length > 0) {
    sink.warn(`${path}.privateAudience`, 'plan.private-audience.ignored', `Plan "${plan.id}" is public: its private audience of ${plan.privateAudience.length} subscription(s) is ignored.`);
  }
}
