import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OWNER, READER, USER_ACCESS_ADMINISTRATOR } from '../roles/builtin-catalog.js';
import type { AudienceMember, LeadDestination, Manifest, Offer, OfferListing, Plan, PlanAuthorization } from './model.js';
import { RULES, type RuleId, type SectionName, type Severity } from './rules.js';
import { CONTOSO_AUTOMATION_SP, contosoOffer, context, L1_SUPPORT, L2_ENGINEERS, makePng } from './test-fixtures.js';
import { type ValidationContext, validateOffer } from './validate-offer.js';

const GOLD: SectionName = 'Plans/gold';
const GOLD_TECH: SectionName = 'Plans/gold/Technical configuration';
const M0 = 'plans[0].technicalConfiguration.manifests[0]';

function guid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
function subs(count: number, from = 1): AudienceMember[] {
  return Array.from({ length: count }, (_, i) => ({ id: guid(from + i), type: 'subscription' as const }));
}
function listing(o: Offer, change: Partial<OfferListing>): Offer {
  return { ...o, listing: { ...o.listing, ...change } };
}
function leads(o: Offer, customerLeads: LeadDestination): Offer {
  return { ...o, setup: { customerLeads } };
}
function gold(o: Offer, change: Partial<Plan>): Offer {
  return { ...o, plans: o.plans.map((p, i) => (i === 0 ? { ...p, ...change } : p)) };
}
function manifest(o: Offer, change: Partial<Manifest>): Offer {
  const plan = o.plans[0]!;
  const m = plan.technicalConfiguration.manifests[0]!;
  return gold(o, { technicalConfiguration: { manifests: [{ ...m, ...change }] } });
}
function auths(o: Offer, list: PlanAuthorization[]): Offer {
  return manifest(o, { authorizations: list });
}
function baseAuths(): PlanAuthorization[] {
  return [...contosoOffer().plans[0]!.technicalConfiguration.manifests[0]!.authorizations];
}
function eligible(principalId: string, extra: Partial<PlanAuthorization> = {}): PlanAuthorization {
  return {
    displayName: 'Contoso JIT',
    principalId,
    roleDefinitionId: READER,
    accessType: 'eligible',
    justInTime: { maximumDuration: 'PT4H', requireMfa: true, approvers: [] },
    ...extra,
  };
}
function privatePlan(id: string, audience: AudienceMember[]): Plan {
  return { ...contosoOffer().plans[0]!, id, name: `Private ${id}`, visibility: 'private', privateAudience: audience };
}

interface Case {
  readonly rule: RuleId;
  readonly section: SectionName;
  readonly field: string;
  readonly offer: (o: Offer) => Offer;
  readonly ctx?: Partial<ValidationContext>;
  readonly severity?: Severity;
  /** A word the publisher-facing message must contain. */
  readonly says: string;
}

const PNG_SCREEN = makePng(1280, 720);
const shot = { caption: 'x', image: { fileName: 's.png', bytes: PNG_SCREEN } };
const video = { name: 'v', url: 'https://vimeo.com/1', thumbnail: { fileName: 't.png', bytes: PNG_SCREEN } };
const published = contosoOffer();

const CASES: Case[] = [
  // Offer setup
  { rule: 'offer.id.format', section: 'Offer setup', field: 'id', offer: (o) => ({ ...o, id: 'Contoso Ops' }), says: 'lowercase' },
  { rule: 'offer.id.unique', section: 'Offer setup', field: 'id', offer: (o) => o, ctx: { otherOfferIds: ['contoso-managed-ops'] }, says: 'already used' },
  { rule: 'offer.alias.required', section: 'Offer setup', field: 'alias', offer: (o) => ({ ...o, alias: ' ' }), says: 'alias' },
  { rule: 'leads.destination.required', section: 'Offer setup', field: 'setup.customerLeads.type', offer: (o) => leads(o, { type: 'none' }), ctx: { requireLeadDestination: true }, says: 'lead destination' },
  { rule: 'leads.destination.deprecated', section: 'Offer setup', field: 'setup.customerLeads.type', offer: (o) => leads(o, { type: 'blob', storageAccountConnectionString: 'x', containerName: 'c', contactEmails: [] }), says: 'Blob' },
  { rule: 'leads.destination.unknown', section: 'Offer setup', field: 'setup.customerLeads.type', offer: (o) => leads(o, { type: 'None' } as unknown as LeadDestination), says: '"none"' },
  { rule: 'leads.field.required', section: 'Offer setup', field: 'setup.customerLeads.httpsEndpointUrl', offer: (o) => leads(o, { type: 'httpsEndpoint', httpsEndpointUrl: '', contactEmails: [] }), says: 'None' },
  { rule: 'leads.secret.placeholder', section: 'Offer setup', field: 'setup.customerLeads.applicationKey', offer: (o) => leads(o, { type: 'dynamics', instanceUrl: 'https://contoso.crm4.dynamics.com', authentication: 'azureAD', applicationId: '11111111-2222-4333-8444-555555555555', applicationKey: '********', directoryId: '11111111-2222-4333-8444-666666666666', contactEmails: [] }), says: 'enter it again' },
  { rule: 'leads.url.https', section: 'Offer setup', field: 'setup.customerLeads.httpsEndpointUrl', offer: (o) => leads(o, { type: 'httpsEndpoint', httpsEndpointUrl: 'http://crm.example/leads', contactEmails: [] }), says: 'https' },
  { rule: 'leads.https.signing-secret', section: 'Offer setup', field: 'setup.customerLeads.signingSecret', severity: 'warning', offer: (o) => leads(o, { type: 'httpsEndpoint', httpsEndpointUrl: 'https://crm.example/leads', signingSecret: 'short', contactEmails: [] }), says: 'signing secret' },
  { rule: 'leads.table.connection-string', section: 'Offer setup', field: 'setup.customerLeads.storageAccountConnectionString', offer: (o) => leads(o, { type: 'table', storageAccountConnectionString: 'AccountName=x;AccountKey=y', contactEmails: [] }), says: 'DefaultEndpointsProtocol' },
  {
    rule: 'leads.guid',
    section: 'Offer setup',
    field: 'setup.customerLeads.applicationId',
    offer: (o) => leads(o, { type: 'dynamics', instanceUrl: 'https://contoso.crm4.dynamics.com', authentication: 'azureAD', applicationId: 'app', applicationKey: 'k', directoryId: guid(1), contactEmails: [] }),
    says: 'GUID',
  },
  { rule: 'leads.salesforce.oid', section: 'Offer setup', field: 'setup.customerLeads.objectIdentifier', offer: (o) => leads(o, { type: 'salesforce', objectIdentifier: 'abc', contactEmails: [] }), says: 'oid' },
  { rule: 'leads.marketo.munchkin-id', section: 'Offer setup', field: 'setup.customerLeads.munchkinId', offer: (o) => leads(o, { type: 'marketo', munchkinId: '12-AB-3', formId: '1001', clientId: 'c', clientSecret: 's', contactEmails: [] }), says: '123-ABC-456' },
  { rule: 'leads.marketo.form-id', section: 'Offer setup', field: 'setup.customerLeads.formId', offer: (o) => leads(o, { type: 'marketo', munchkinId: '123-ABC-456', formId: 'form', clientId: 'c', clientSecret: 's', contactEmails: [] }), says: 'number' },
  { rule: 'leads.contact-email.format', section: 'Offer setup', field: 'setup.customerLeads.contactEmails[0]', offer: (o) => leads(o, { type: 'email', contactEmails: ['sales at contoso'] }), says: 'e-mail' },
  // Properties
  { rule: 'properties.categories.count', section: 'Properties', field: 'properties.categories', offer: (o) => ({ ...o, properties: { ...o.properties, categories: [] } }), says: '1 and 5' },
  {
    rule: 'properties.categories.count',
    section: 'Properties',
    field: 'properties.categories',
    offer: (o) => ({ ...o, properties: { ...o.properties, categories: ['analytics', 'compute', 'containers', 'databases', 'devops', 'media'].map((category) => ({ category, subcategories: [] })) } }),
    says: '6 chosen',
  },
  { rule: 'properties.categories.unknown', section: 'Properties', field: 'properties.categories[0].category', offer: (o) => ({ ...o, properties: { ...o.properties, categories: [{ category: 'gaming', subcategories: [] }] } }), says: 'gaming' },
  {
    rule: 'properties.categories.duplicate',
    section: 'Properties',
    field: 'properties.categories[1].category',
    offer: (o) => ({ ...o, properties: { ...o.properties, categories: [{ category: 'web', subcategories: [] }, { category: 'web', subcategories: [] }] } }),
    says: 'more than once',
  },
  { rule: 'properties.subcategories.unknown', section: 'Properties', field: 'properties.categories[0].subcategories[0]', offer: (o) => ({ ...o, properties: { ...o.properties, categories: [{ category: 'web', subcategories: ['nosql'] }] } }), says: 'nosql' },
  { rule: 'properties.terms.required', section: 'Properties', field: 'properties.terms', offer: (o) => ({ ...o, properties: { categories: o.properties.categories } }), says: 'terms' },
  { rule: 'properties.terms.required', section: 'Properties', field: 'properties.terms', offer: (o) => ({ ...o, properties: { ...o.properties, terms: { kind: 'text', text: '  ' } } }), says: 'terms' },
  { rule: 'properties.terms.url', section: 'Properties', field: 'properties.terms.url', offer: (o) => ({ ...o, properties: { ...o.properties, terms: { kind: 'url', url: 'http://contoso.example/terms' } } }), says: 'https' },
  // Offer listing
  { rule: 'listing.name.required', section: 'Offer listing', field: 'listing.name', offer: (o) => listing(o, { name: '' }), says: 'Name' },
  { rule: 'listing.name.length', section: 'Offer listing', field: 'listing.name', offer: (o) => listing(o, { name: 'x'.repeat(51) }), says: '51' },
  { rule: 'listing.name.emoji', section: 'Offer listing', field: 'listing.name', offer: (o) => listing(o, { name: 'Contoso Ops 🚀' }), says: 'emoji' },
  { rule: 'listing.search-summary.required', section: 'Offer listing', field: 'listing.searchResultsSummary', offer: (o) => listing(o, { searchResultsSummary: '' }), says: 'required' },
  { rule: 'listing.search-summary.length', section: 'Offer listing', field: 'listing.searchResultsSummary', offer: (o) => listing(o, { searchResultsSummary: 'x'.repeat(101) }), says: '100' },
  { rule: 'listing.search-summary.same-as-name', section: 'Offer listing', field: 'listing.searchResultsSummary', severity: 'warning', offer: (o) => listing(o, { searchResultsSummary: o.listing.name }), says: 'repeats' },
  { rule: 'listing.short-description.required', section: 'Offer listing', field: 'listing.shortDescription', offer: (o) => listing(o, { shortDescription: '' }), says: 'required' },
  { rule: 'listing.short-description.length', section: 'Offer listing', field: 'listing.shortDescription', offer: (o) => listing(o, { shortDescription: 'x'.repeat(257) }), says: '256' },
  { rule: 'listing.description.required', section: 'Offer listing', field: 'listing.description', offer: (o) => listing(o, { description: '' }), says: 'required' },
  { rule: 'listing.description.length', section: 'Offer listing', field: 'listing.description', offer: (o) => listing(o, { description: `<p>${'x'.repeat(2994)}</p>` }), says: '3001' },
  { rule: 'listing.description.tags', section: 'Offer listing', field: 'listing.description', offer: (o) => listing(o, { description: '<p style="color:red">Hi <a href="https://x">there</a></p>' }), says: '<a>' },
  { rule: 'listing.privacy-url.required', section: 'Offer listing', field: 'listing.privacyPolicyUrl', offer: (o) => listing(o, { privacyPolicyUrl: '' }), says: 'Privacy' },
  { rule: 'listing.url.https', section: 'Offer listing', field: 'listing.privacyPolicyUrl', offer: (o) => listing(o, { privacyPolicyUrl: 'http://contoso.example/privacy' }), says: 'https' },
  { rule: 'listing.url.https', section: 'Offer listing', field: 'listing.supportUrls.azureGovernment', offer: (o) => listing(o, { supportUrls: { azureGovernment: 'gov.contoso.example' } }), says: 'Government' },
  { rule: 'listing.useful-link.name', section: 'Offer listing', field: 'listing.usefulLinks[0].name', offer: (o) => listing(o, { usefulLinks: [{ name: '', url: 'https://contoso.example' }] }), says: 'name' },
  { rule: 'listing.contact.required', section: 'Offer listing', field: 'listing.engineeringContact.phone', offer: (o) => listing(o, { engineeringContact: { ...o.listing.engineeringContact, phone: '' } }), says: 'Engineering contact phone' },
  { rule: 'listing.contact.email', section: 'Offer listing', field: 'listing.supportContact.email', offer: (o) => listing(o, { supportContact: { ...o.listing.supportContact, email: 'support' } }), says: 'e-mail' },
  { rule: 'listing.logo.required', section: 'Offer listing', field: 'listing.logos.large', offer: (o) => listing(o, { logos: {} }), says: '216' },
  { rule: 'listing.image.png', section: 'Offer listing', field: 'listing.logos.large', offer: (o) => listing(o, { logos: { large: { fileName: 'logo.png', bytes: new TextEncoder().encode('not an image at all') } } }), says: 'not an image' },
  { rule: 'listing.logo.size', section: 'Offer listing', field: 'listing.logos.large', offer: (o) => listing(o, { logos: { large: { fileName: 'big.png', bytes: makePng(400, 400) } } }), says: '400×400' },
  { rule: 'listing.logo.size', section: 'Offer listing', field: 'listing.logos.large', offer: (o) => listing(o, { logos: { large: { fileName: 'wide.png', bytes: makePng(300, 250) } } }), says: 'square' },
  { rule: 'listing.logo.derived-size', section: 'Offer listing', field: 'listing.logos.medium', offer: (o) => listing(o, { logos: { ...o.listing.logos, medium: { fileName: 'm.png', bytes: makePng(100, 100) } } }), says: '90×90' },
  { rule: 'listing.screenshots.count', section: 'Offer listing', field: 'listing.screenshots', offer: (o) => listing(o, { screenshots: Array.from({ length: 6 }, () => shot) }), says: '6 screenshots' },
  { rule: 'listing.screenshot.size', section: 'Offer listing', field: 'listing.screenshots[0].image', offer: (o) => listing(o, { screenshots: [{ caption: 'c', image: { fileName: 's.png', bytes: makePng(1280, 719) } }] }), says: '1280×719' },
  { rule: 'listing.screenshot.caption', section: 'Offer listing', field: 'listing.screenshots[0].caption', offer: (o) => listing(o, { screenshots: [{ ...shot, caption: '' }] }), says: 'caption' },
  { rule: 'listing.videos.count', section: 'Offer listing', field: 'listing.videos', offer: (o) => listing(o, { videos: Array.from({ length: 6 }, () => video) }), says: '6 videos' },
  { rule: 'listing.video.name', section: 'Offer listing', field: 'listing.videos[0].name', offer: (o) => listing(o, { videos: [{ ...video, name: '' }] }), says: 'name' },
  { rule: 'listing.video.url', section: 'Offer listing', field: 'listing.videos[0].url', offer: (o) => listing(o, { videos: [{ ...video, url: 'https://videos.contoso.example/1' }] }), says: 'YouTube' },
  { rule: 'listing.video.thumbnail-size', section: 'Offer listing', field: 'listing.videos[0].thumbnail', offer: (o) => listing(o, { videos: [{ ...video, thumbnail: { fileName: 't.png', bytes: makePng(640, 360) } }] }), says: '640×360' },
  // Preview audience
  { rule: 'audience.preview.required', section: 'Preview audience', field: 'previewAudience', offer: (o) => ({ ...o, previewAudience: [] }), says: 'at least one' },
  { rule: 'audience.preview.count', section: 'Preview audience', field: 'previewAudience', offer: (o) => ({ ...o, previewAudience: subs(101) }), says: '101' },
  { rule: 'audience.subscription-id', section: 'Preview audience', field: 'previewAudience[0].id', offer: (o) => ({ ...o, previewAudience: [{ id: 'my-sub', type: 'subscription' }] }), says: 'my-sub' },
  { rule: 'audience.type', section: 'Preview audience', field: 'previewAudience[0].type', offer: (o) => ({ ...o, previewAudience: [{ id: guid(1), type: 'tenant' }] }), says: 'subscription IDs only' },
  { rule: 'audience.duplicate', section: 'Preview audience', field: 'previewAudience[1].id', offer: (o) => ({ ...o, previewAudience: [...subs(1), { id: guid(1).toUpperCase(), type: 'subscription' }] }), says: 'more than once' },
  // Plans
  { rule: 'plans.required', section: 'Plan overview', field: 'plans', offer: (o) => ({ ...o, plans: [] }), says: 'at least one plan' },
  { rule: 'plans.private.count', section: 'Plan overview', field: 'plans', offer: (o) => ({ ...o, plans: Array.from({ length: 46 }, (_, i) => privatePlan(`p${String(i).padStart(3, '0')}`, subs(1, i + 1))) }), says: '46 private plans' },
  { rule: 'plans.private-audience.total', section: 'Plan overview', field: 'plans', offer: (o) => ({ ...o, plans: [privatePlan('one', subs(5001)), privatePlan('two', subs(5000, 6000))] }), says: '10,001' },
  { rule: 'plan.id.format', section: 'Plans/Gold', field: 'plans[0].id', offer: (o) => gold(o, { id: 'Gold' }), says: 'lowercase' },
  { rule: 'plan.id.unique', section: 'Plan overview', field: 'plans[1].id', offer: (o) => ({ ...o, plans: [...o.plans, { ...o.plans[0]!, name: 'Gold 2' }] }), says: 'already used' },
  { rule: 'plan.name.required', section: GOLD, field: 'plans[0].name', offer: (o) => gold(o, { name: '' }), says: 'required' },
  { rule: 'plan.name.length', section: GOLD, field: 'plans[0].name', offer: (o) => gold(o, { name: 'g'.repeat(201) }), says: '200' },
  { rule: 'plan.name.unique', section: 'Plan overview', field: 'plans[1].name', offer: (o) => ({ ...o, plans: [...o.plans, { ...o.plans[0]!, id: 'silver', name: 'GOLD' }] }), says: 'already used' },
  { rule: 'plan.summary.required', section: GOLD, field: 'plans[0].summary', offer: (o) => gold(o, { summary: '' }), says: 'search results' },
  { rule: 'plan.summary.length', section: GOLD, field: 'plans[0].summary', offer: (o) => gold(o, { summary: 's'.repeat(101) }), says: '100' },
  { rule: 'plan.description.required', section: GOLD, field: 'plans[0].description', offer: (o) => gold(o, { description: '' }), says: 'different' },
  { rule: 'plan.pricing.byol', section: GOLD, field: 'plans[0].pricing', offer: (o) => gold(o, { pricing: 'payAsYouGo' as 'byol' }), says: 'Bring your own license' },
  { rule: 'plan.visibility.public-to-private', section: GOLD, field: 'plans[0].visibility', offer: (o) => gold(o, { visibility: 'private', privateAudience: subs(1) }), ctx: { published }, says: 'never become private' },
  { rule: 'plan.private-audience.required', section: GOLD, field: 'plans[0].privateAudience', offer: (o) => gold(o, { visibility: 'private' }), says: 'at least one subscription' },
  { rule: 'plan.private-audience.ignored', section: GOLD, field: 'plans[0].privateAudience', severity: 'warning', offer: (o) => gold(o, { privateAudience: subs(2) }), says: 'ignored' },
  { rule: 'audience.subscription-id', section: GOLD, field: 'plans[0].privateAudience[0].id', offer: (o) => gold(o, { visibility: 'private', privateAudience: [{ id: 'sub', type: 'subscription' }] }), says: 'GUID' },
  // Technical configuration
  { rule: 'manifest.required', section: GOLD_TECH, field: 'plans[0].technicalConfiguration.manifests', offer: (o) => gold(o, { technicalConfiguration: { manifests: [] } }), says: 'Create a manifest' },
  { rule: 'manifest.version.format', section: GOLD_TECH, field: `${M0}.version`, offer: (o) => manifest(o, { version: '1.0' }), says: 'n.n.n' },
  {
    rule: 'manifest.version.increasing',
    section: GOLD_TECH,
    field: 'plans[0].technicalConfiguration.manifests[1].version',
    offer: (o) => gold(o, { technicalConfiguration: { manifests: [o.plans[0]!.technicalConfiguration.manifests[0]!, { ...o.plans[0]!.technicalConfiguration.manifests[0]!, version: '0.10.0' }] } }),
    says: 'higher than the previous version 1.0.0',
  },
  { rule: 'manifest.published-immutable', section: GOLD_TECH, field: M0, offer: (o) => auths(o, baseAuths().slice(0, 2).concat(baseAuths()[2]!, { ...baseAuths()[1]!, displayName: 'More readers', principalId: L2_ENGINEERS })), ctx: { published }, says: 'New manifest' },
  { rule: 'manifest.tenant-id', section: GOLD_TECH, field: `${M0}.tenantId`, offer: (o) => manifest(o, { tenantId: 'contoso.example' }), says: 'managing tenant' },
  { rule: 'auth.count', section: GOLD_TECH, field: `${M0}.authorizations`, offer: (o) => auths(o, []), says: '0 given' },
  { rule: 'auth.count', section: GOLD_TECH, field: `${M0}.authorizations`, offer: (o) => auths(o, [...baseAuths(), ...Array.from({ length: 18 }, (_, i) => ({ ...baseAuths()[1]!, principalId: guid(100 + i) }))]), says: '21 given' },
  { rule: 'auth.active-required', section: GOLD_TECH, field: `${M0}.authorizations`, offer: (o) => auths(o, [eligible(L2_ENGINEERS)]), says: 'Active' },
  { rule: 'auth.display-name', section: GOLD_TECH, field: `${M0}.authorizations[0].displayName`, offer: (o) => auths(o, [{ ...baseAuths()[0]!, displayName: '' }, ...baseAuths().slice(1)]), says: 'customer sees' },
  { rule: 'auth.principal-id', section: GOLD_TECH, field: `${M0}.authorizations[0].principalId`, offer: (o) => auths(o, [{ ...baseAuths()[0]!, principalId: 'l2-engineers' }, ...baseAuths().slice(1)]), says: 'l2-engineers' },
  {
    rule: 'auth.principal-type',
    section: GOLD_TECH,
    field: `${M0}.authorizations[0].principalId`,
    offer: (o) => auths(o, [{ ...baseAuths()[0]!, principalId: guid(77) }, ...baseAuths().slice(1)]),
    ctx: { principal: (id) => (id === guid(77) ? { type: 'Group', securityEnabled: false } : undefined) },
    says: 'security group',
  },
  { rule: 'auth.duplicate', section: GOLD_TECH, field: `${M0}.authorizations[3]`, severity: 'warning', offer: (o) => auths(o, [...baseAuths(), baseAuths()[0]!]), says: 'already has' },
  { rule: 'auth.role.unknown', section: GOLD_TECH, field: `${M0}.authorizations[0].roleDefinitionId`, offer: (o) => auths(o, [{ ...baseAuths()[0]!, roleDefinitionId: guid(5) }, ...baseAuths().slice(1)]), says: 'built-in' },
  { rule: 'auth.role.not-allowed', section: GOLD_TECH, field: `${M0}.authorizations[0].roleDefinitionId`, offer: (o) => auths(o, [{ ...baseAuths()[0]!, roleDefinitionId: OWNER }, ...baseAuths().slice(1)]), says: 'Owner' },
  { rule: 'auth.role.not-allowed', section: GOLD_TECH, field: `${M0}.authorizations[3].roleDefinitionId`, offer: (o) => auths(o, [...baseAuths(), eligible(L1_SUPPORT, { roleDefinitionId: USER_ACCESS_ADMINISTRATOR })]), says: 'User Access Administrator' },
  { rule: 'auth.assignable-roles.required', section: GOLD_TECH, field: `${M0}.authorizations[3].assignableRoleIds`, offer: (o) => auths(o, [...baseAuths(), { ...baseAuths()[0]!, roleDefinitionId: USER_ACCESS_ADMINISTRATOR }]), says: 'managed identities' },
  { rule: 'auth.assignable-roles.only-uaa', section: GOLD_TECH, field: `${M0}.authorizations[1].assignableRoleIds`, offer: (o) => auths(o, baseAuths().map((a, i) => (i === 1 ? { ...a, assignableRoleIds: [READER] } : a))), says: 'User Access Administrator' },
  {
    rule: 'auth.assignable-role.not-allowed',
    section: GOLD_TECH,
    field: `${M0}.authorizations[3].assignableRoleIds[0]`,
    offer: (o) => auths(o, [...baseAuths(), { ...baseAuths()[0]!, roleDefinitionId: USER_ACCESS_ADMINISTRATOR, assignableRoleIds: [OWNER] }]),
    says: 'Owner',
  },
  { rule: 'auth.eligible.duration', section: GOLD_TECH, field: `${M0}.authorizations[3].justInTime.maximumDuration`, offer: (o) => auths(o, [...baseAuths(), eligible(L1_SUPPORT, { justInTime: { maximumDuration: 'PT9H', requireMfa: false, approvers: [] } })]), says: 'PT9H' },
  { rule: 'auth.eligible.duration', section: GOLD_TECH, field: `${M0}.authorizations[3].justInTime.maximumDuration`, offer: (o) => auths(o, [...baseAuths(), eligible(L1_SUPPORT, { justInTime: { maximumDuration: 'PT15M', requireMfa: false, approvers: [] } })]), says: '30 minutes' },
  {
    rule: 'auth.eligible.approvers.count',
    section: GOLD_TECH,
    field: `${M0}.authorizations[3].justInTime.approvers`,
    offer: (o) => auths(o, [...baseAuths(), eligible(L1_SUPPORT, { justInTime: { maximumDuration: 'PT1H', requireMfa: true, approvers: Array.from({ length: 11 }, (_, i) => ({ principalId: guid(200 + i), displayName: `a${i}` })) } })]),
    says: '11 approvers',
  },
  {
    rule: 'auth.eligible.approver-id',
    section: GOLD_TECH,
    field: `${M0}.authorizations[3].justInTime.approvers[0].principalId`,
    offer: (o) => auths(o, [...baseAuths(), eligible(L1_SUPPORT, { justInTime: { maximumDuration: 'PT1H', requireMfa: true, approvers: [{ principalId: 'boss', displayName: 'Boss' }] } })]),
    says: 'boss',
  },
  { rule: 'auth.eligible.service-principal', section: GOLD_TECH, field: `${M0}.authorizations[3].principalId`, offer: (o) => auths(o, [...baseAuths(), eligible(CONTOSO_AUTOMATION_SP)]), says: 'service principal' },
  {
    rule: 'auth.eligible.same-role-same-policy',
    section: GOLD_TECH,
    field: `${M0}.authorizations[4].justInTime`,
    offer: (o) => auths(o, [...baseAuths(), eligible(L1_SUPPORT), eligible(L2_ENGINEERS, { justInTime: { maximumDuration: 'PT2H', requireMfa: true, approvers: [] } })]),
    says: 'same role',
  },
  { rule: 'auth.eligible.needs-active', section: GOLD_TECH, field: `${M0}.authorizations[3]`, severity: 'warning', offer: (o) => auths(o, [...baseAuths(), eligible(guid(300))]), says: 'Reader' },
  { rule: 'auth.delete-role.missing', section: GOLD_TECH, field: `${M0}.authorizations`, severity: 'warning', offer: (o) => auths(o, baseAuths().slice(0, 2)), says: 'only the customer' },
];

describe('validateOffer', () => {
  it('finds nothing wrong with the complete Publish-story offer, and every section is Complete', () => {
    const result = validateOffer(contosoOffer(), context());
    assert.deepEqual(result.violations, []);
    assert.ok(result.sections.every((s) => s.status === 'Complete'));
    assert.deepEqual(
      result.sections.map((s) => s.section),
      ['Offer setup', 'Properties', 'Offer listing', 'Preview audience', 'Plan overview', 'Plans/gold', 'Plans/gold/Technical configuration'],
    );
    assert.equal(result.publishable, true);
  });

  for (const c of CASES) {
    it(`${c.rule}: ${c.field} (${c.says})`, () => {
      const result = validateOffer(c.offer(contosoOffer()), context(c.ctx));
      const hit = result.violations.find((v) => v.rule === c.rule && v.field === c.field);
      assert.ok(hit, `expected ${c.rule} at ${c.field}; got ${JSON.stringify(result.violations.map((v) => [v.rule, v.field]))}`);
      assert.equal(hit.section, c.section);
      assert.equal(hit.severity, c.severity ?? 'error');
      assert.match(hit.message, new RegExp(c.says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.doesNotMatch(hit.message, /undefined|\[object/);
      if (hit.severity === 'error') assert.equal(result.publishable, false);
    });
  }

  it('has a failing case for every rule in the catalog', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    assert.deepEqual(Object.keys(RULES).filter((r) => !covered.has(r as RuleId)), []);
  });

  it('reports all violations at once, not just the first', () => {
    const o = listing({ ...contosoOffer(), alias: '', previewAudience: [] }, { name: '', privacyPolicyUrl: '' });
    const rules = validateOffer(o, context()).violations.map((v) => v.rule);
    for (const r of ['offer.alias.required', 'listing.name.required', 'listing.privacy-url.required', 'audience.preview.required'] as const) assert.ok(rules.includes(r), r);
  });

  it('allows ™ and © in the name and keeps warnings from blocking publication', () => {
    const o = listing(contosoOffer(), { name: 'Contoso™ Ops © 2026' });
    assert.deepEqual(validateOffer(o, context()).violations, []);
    const warned = validateOffer(auths(contosoOffer(), baseAuths().slice(0, 2)), context());
    assert.equal(warned.violations.length, 1);
    assert.equal(warned.publishable, true);
  });

  it('accepts "None" as a lead destination unless policy requires one', () => {
    const o = leads(contosoOffer(), { type: 'none' });
    assert.deepEqual(validateOffer(o, context()).violations, []);
  });

  it('accepts an eligible authorization done right (approvers, MFA, paired with an Active one)', () => {
    const o = auths(contosoOffer(), [...baseAuths(), eligible(L2_ENGINEERS, { roleDefinitionId: READER, justInTime: { maximumDuration: 'PT30M', requireMfa: true, approvers: [{ principalId: L1_SUPPORT, displayName: 'L1' }] } })]);
    assert.deepEqual(validateOffer(o, context()).violations, []);
  });

  it('accepts User Access Administrator with assignable roles', () => {
    const o = auths(contosoOffer(), [...baseAuths(), { ...baseAuths()[0]!, roleDefinitionId: USER_ACCESS_ADMINISTRATOR, assignableRoleIds: [READER] }]);
    assert.deepEqual(validateOffer(o, context()).violations, []);
  });

  it('shows Not started for untouched sections and Incomplete for broken ones', () => {
    const o: Offer = { ...contosoOffer(), properties: { categories: [] }, previewAudience: [], plans: [] };
    const statuses = Object.fromEntries(validateOffer(listing(o, { name: 'x'.repeat(60) }), context()).sections.map((s) => [s.section, s.status]));
    assert.deepEqual(statuses, { 'Offer setup': 'Complete', Properties: 'Not started', 'Offer listing': 'Incomplete', 'Preview audience': 'Not started', 'Plan overview': 'Not started' });
  });
});
