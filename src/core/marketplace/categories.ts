/**
 * The category taxonomy offered to managed service offers. No managed-service-specific list is published;
 * this is the Azure Marketplace app taxonomy (category id → subcategory ids), ids as the ingestion API spells them.
 */
import type { ViolationSink } from './rules.js';
import type { CategorySelection } from './model.js';

export interface Category {
  readonly id: string;
  readonly label: string;
  readonly subcategories: readonly string[];
}

function c(id: string, label: string, subcategories: readonly string[] = []): Category {
  return { id, label, subcategories };
}

export const CATEGORIES: readonly Category[] = [
  c('analytics', 'Analytics', ['big-data', 'data-analytics', 'data-insights', 'predictive-analytics', 'real-time-streaming-analytics']),
  c('ai-plus-machine-learning', 'AI + Machine Learning', [
    'bot-services', 'cognitive-services', 'ml-service', 'automated-ml', 'business-robotic-process-automation',
    'data-labeling', 'data-preparation', 'knowledge-mining', 'ml-operations',
  ]),
  c('blockchain', 'Blockchain'),
  c('compute', 'Compute', ['application-infrastructure', 'operating-systems', 'cache']),
  c('containers', 'Containers'),
  c('databases', 'Databases', ['nosql', 'relational', 'ledger-blockchain', 'data-lakes', 'data-warehouse']),
  c('developer-tools', 'Developer Tools'),
  c('devops', 'DevOps'),
  c('identity', 'Identity', ['access-management']),
  c('integration', 'Integration', ['messaging']),
  c('internet-of-things', 'Internet of Things'),
  c('it-and-management-tools', 'IT & Management Tools', ['management-solutions', 'business-applications']),
  c('media', 'Media'),
  c('migration', 'Migration', ['data-migration']),
  c('mixed-reality', 'Mixed Reality'),
  c('monitoring-and-diagnostics', 'Monitoring & Diagnostics'),
  c('networking', 'Networking', ['appliance-managers', 'connectivity', 'firewalls', 'load-balancers']),
  c('security', 'Security', ['identity-and-access-management', 'threat-protection', 'information-protection']),
  c('storage', 'Storage', ['backup-and-recovery', 'enterprise-hybrid-storage']),
  c('web', 'Web', ['blogs-and-cms', 'ecommerce', 'web-apps', 'web-apps-framework']),
];

export const MIN_CATEGORIES = 1;
export const MAX_CATEGORIES = 5;

/** Validates the category choice of Properties: 1–5 known categories, known subcategories, no repeats. */
export function validateCategories(selections: readonly CategorySelection[], sink: ViolationSink): void {
  if (selections.length < MIN_CATEGORIES || selections.length > MAX_CATEGORIES) {
    sink.error('properties.categories', 'properties.categories.count', `Choose between ${MIN_CATEGORIES} and ${MAX_CATEGORIES} categories (${selections.length} chosen).`);
  }
  const seen = new Set<string>();
  selections.forEach((s, i) => {
    const path = `properties.categories[${i}]`;
    const category = CATEGORIES.find((x) => x.id === s.category);
    if (category === undefined) {
      sink.error(`${path}.category`, 'properties.categories.unknown', `"${s.category}" is not a marketplace category.`);
      return;
    }
    if (seen.has(s.category)) sink.error(`${path}.category`, 'properties.categories.duplicate', `Category ${category.label} is chosen more than once.`);
    seen.add(s.category);
    s.subcategories.forEach((sub, j) => {
      if (!category.subcategories.includes(sub)) {
        sink.error(`${path}.subcategories[${j}]`, 'properties.subcategories.unknown', `"${sub}" is not a subcategory of ${category.label}.`);
      }
    });
  });
}
