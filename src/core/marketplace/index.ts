/** Partner Center managed service offers: the pure domain core (model, rules, pipeline, updates, offer as code, onboarding). */
export * from './model.js';
export * from './rules.js';
export * from './publisher.js';
export { charLength, ID_PATTERN, isEmail, isHttpsUrl, parseContactEmails } from './text.js';
export * from './leads.js';
export * from './categories.js';
export * from './images.js';
export * from './rich-text.js';
export * from './audience.js';
export * from './offer.js';
export { MAX_SCREENSHOTS, MAX_VIDEOS, NAME_MAX, SEARCH_SUMMARY_MAX, SHORT_DESCRIPTION_MAX } from './validate-listing.js';
export { MAX_PRIVATE_PLANS, PLAN_NAME_MAX, PLAN_SUMMARY_MAX } from './validate-plans.js';
export {
  assignableRoles,
  compareVersions,
  durationMinutes,
  MAX_ACTIVATION_MINUTES,
  MAX_APPROVERS,
  MAX_AUTHORIZATIONS,
  MIN_ACTIVATION_MINUTES,
  pickableRoles,
  type PrincipalInfo,
  type TechnicalContext,
} from './validate-technical.js';
export * from './validate-offer.js';
export * from './certification.js';
export * from './pipeline.js';
export * from './versions.js';
export * from './onboarding-template.js';
export * from './ingestion-schema.js';
export * from './ingestion.js';
export * from './visibility.js';
export * from './acquisition.js';
