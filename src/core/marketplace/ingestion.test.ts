import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { READER } from '../roles/builtin-catalog.js';
import { DurableIds, LANTERN_SCHEMA_BASE, MICROSOFT_SCHEMA_BASES, parseTargetType, resourceTypeOf, SCHEMA_VERSIONS, TECHNICAL_CONFIGURATION_SCHEMA } from './ingestion-schema.js';
import { fromIngestionResources, ingestionLocation, toIngestionResources, validateIngestion } from './ingestion.js';
import type { Manifest, Offer, PlanAuthorization } from './model.js';
import { contosoOffer, context, FABRIKAM_SUBSCRIPTION, L1_SUPPORT, L2_ENGINEERS, makePng } from './test-fixtures.js';

const DURABLE_ID = /^[a-z](-?[a-z0-9]+)*\/[a-z0-9-]+(\/?[a-z0-9-])*$/;
const MS = 'https://schema.mp.microsoft.com/schema';

/** Through JSON text, as an offer-as-code file in git would be. */
function viaFile(offer: Offer, options?: Parameters<typeof toIngestionResources>[1]): unknown {
  return JSON.parse(JSON.stringify(toIngestionResources(offer, options)));
}

/** The Publish-story offer with every optional part filled in, to exercise every mapping. */
function richOffer(): Offer {
  const o = contosoOffer();
  const gold = o.plans[0]!;
  const m = gold.technicalConfiguration.manifests[0]!;
  return {
    ...o,
    setup: { customerLeads: { type: 'dynamics', instanceUrl: 'https://contoso.crm4.dynamics.com', authentication: 'office365', username: 'leads@contoso.example', password: 'p@ss', contactEmails: ['a@contoso.example', 'b@contoso.example'] } },
    properties: { ...o.properties, terms: { kind: 'text', text: 'Contoso standard terms.' } },
    listing: {
      ...o.listing,
      supportUrls: { azureGlobal: 'https://contoso.example/support', azureGovernment: 'https://gov.contoso.example/support' },
      logos: { large: o.listing.logos.large!, medium: { fileName: 'm.png', bytes: makePng(90, 90) }, small: { fileName: 's.png', bytes: makePng(48, 48) } },
      screenshots: [...o.listing.screenshots, { caption: 'Second', image: { fileName: 'two.png', bytes: makePng(1280, 720) } }],
    },
    plans: [
      {
        ...gold,
        technicalConfiguration: {
          manifests: [
            m,
            {
              ...m,
              version: '1.1.0',
              authorizations: [
                ...m.authorizations,
                { displayName: 'Contoso UAA', principalId: L2_ENGINEERS, roleDefinitionId: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', accessType: 'active', assignableRoleIds: [READER] },
                { displayName: 'Contoso JIT', principalId: L1_SUPPORT, roleDefinitionId: READER, accessType: 'eligible', justInTime: { maximumDuration: 'PT2H', requireMfa: true, approvers: [{ principalId: L2_ENGINEERS, displayName: 'L2' }] } },
              ],
            },
          ],
        },
      },
      { ...gold, id: 'fabrikam-only', name: 'Fabrikam only', visibility: 'private', privateAudience: [{ id: FABRIKAM_SUBSCRIPTION, description: 'Fabrikam Production', type: 'subscription' }] },
    ],
  };
}

describe('offer as code: round trip', () => {
  it('maps the Publish-story offer to resources and back unchanged', () => {
    const offer = contosoOffer();
    const result = fromIngestionResources(viaFile(offer), { publisherId: 'contoso' });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.offer, offer);
  });

  it('round-trips every optional part: Dynamics leads, text terms, all logos, private plans, eligible and UAA authorizations, manifest history', () => {
    const offer = richOffer();
    const result = fromIngestionResources(viaFile(offer), { publisherId: 'contoso' });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.offer, offer);
    assert.deepEqual(validateOffer(offer), []);
  });

  it('writes documented schema URLs, durable ids of the documented form, and the Lantern technical configuration', () => {
    const body = toIngestionResources(richOffer(), { submit: 'preview' });
    assert.equal(body.$schema, `${MS}/configure/2022-03-01-preview2`);
    const types = body.resources.map((r) => resourceTypeOf(String(r.$schema)));
    assert.ok(!types.includes(undefined));
    assert.deepEqual([...new Set(types)], [
      'product', 'customer-leads', 'property', 'listing', 'listing-asset', 'listing-trailer', 'price-and-availability-offer',
      'plan', 'plan-listing', 'price-and-availability-plan', 'managed-service-plan-technical-configuration', 'submission',
    ]);
    const ids = body.resources.map((r) => r.id).filter((id): id is string => typeof id === 'string');
    assert.equal(ids.length, body.resources.length - 1, 'every resource but the submission has a durable id');
    for (const id of ids) assert.match(id, DURABLE_ID);
    const tech = body.resources.find((r) => r.$schema === TECHNICAL_CONFIGURATION_SCHEMA)!;
    assert.ok(TECHNICAL_CONFIGURATION_SCHEMA.startsWith(LANTERN_SCHEMA_BASE));
    assert.deepEqual((tech.manifests as { version: string }[]).map((m) => m.version), ['1.0.0', '1.1.0']);
    const product = body.resources[0]!;
    assert.deepEqual(product.identity, { externalId: 'contoso-managed-ops' });
    assert.equal(product.type, 'managedService');
    assert.deepEqual(body.resources.at(-1)?.target, { targetType: 'preview' });
  });

  it('keeps durable ids stable across pushes', () => {
    const a = new DurableIds('contoso', 'contoso-managed-ops');
    const b = new DurableIds('contoso', 'contoso-managed-ops');
    assert.equal(a.plan('gold'), b.plan('gold'));
    assert.notEqual(a.plan('gold'), a.plan('silver'));
    assert.notEqual(a.product(), new DurableIds('fabrikam', 'contoso-managed-ops').product());
  });
});

function validateOffer(offer: Offer): unknown[] {
  const v = validateIngestion(viaFile(offer), { publisherId: 'contoso', ...context() });
  return [...v.errors, ...v.warnings];
}

describe('offer as code: reading what people write', () => {
  it('accepts the marketplace.md example with resourceName references and a quoted target type', () => {
    const body = {
      $schema: `${MS}/configure/2022-03-01-preview2`,
      resources: [
        { $schema: `${MS}/product/2022-03-01-preview3`, resourceName: 'p', identity: { externalId: 'contoso-msp' }, type: 'managedService', alias: 'Contoso MSP' },
        { $schema: `${MS}/customer-leads/2022-03-01-preview3`, product: { resourceName: 'p' }, leadDestination: 'httpsEndpoint', httpsEndpointLeadConfiguration: { httpsEndpointUrl: 'https://crm.example/leads' } },
        { $schema: `${MS}/plan/2022-03-01-preview2`, resourceName: 'gold', product: { resourceName: 'p' }, identity: { externalId: 'gold' }, alias: 'Gold', azureRegions: ['azureGlobal'] },
        { $schema: 'https://product-ingestion.azureedge.net/schema/plan-listing/2022-03-01-preview5', product: { externalId: 'contoso-msp' }, plan: { resourceName: 'gold' }, name: 'Gold', summary: 'S', description: 'D' },
        { $schema: `${MS}/submission/2022-03-01-preview2`, product: { resourceName: 'p' }, target: { targetType: '"preview"' } },
      ],
    };
    const result = fromIngestionResources(body, { publisherId: 'contoso' });
    assert.deepEqual(result.errors, []);
    assert.equal(result.offer?.id, 'contoso-msp');
    assert.deepEqual(result.offer?.setup.customerLeads, { type: 'httpsEndpoint', httpsEndpointUrl: 'https://crm.example/leads', contactEmails: [] });
    assert.deepEqual(result.offer?.plans.map((p) => [p.id, p.name, p.summary]), [['gold', 'Gold', 'S']]);
    assert.deepEqual(result.submission, { targetType: 'preview' });
  });

  it('accepts every documented schema URL on both hosts, and Lantern’s own only under its namespace (pain 20 for target types)', () => {
    for (const [type, versions] of Object.entries(SCHEMA_VERSIONS)) {
      for (const version of versions) {
        if (type === 'managed-service-plan-technical-configuration') {
          assert.equal(resourceTypeOf(`${LANTERN_SCHEMA_BASE}/${type}/${version}`), type);
          assert.equal(resourceTypeOf(`${MS}/${type}/${version}`), undefined);
        } else {
          for (const base of MICROSOFT_SCHEMA_BASES) assert.equal(resourceTypeOf(`${base}/${type}/${version}`), type);
        }
      }
    }
    assert.equal(resourceTypeOf(`${MS}/listing/2019-01-01`), undefined);
    assert.equal(resourceTypeOf('https://example.com/schema/listing/2022-03-01-preview5'), undefined);
    assert.equal(parseTargetType('"preview"'), 'preview');
    assert.equal(parseTargetType(" 'LIVE' "), 'live');
    assert.equal(parseTargetType('draft'), 'draft');
    assert.equal(parseTargetType('published'), undefined);
  });

  it('reports schema and reference errors against the resource that has them', () => {
    const body = viaFile(contosoOffer(), { submit: 'preview' }) as { resources: Record<string, unknown>[] };
    const ids = new DurableIds('contoso', 'contoso-managed-ops');
    const listing = body.resources.find((r) => r.id === ids.offerResource('listing'))!;
    listing.title = 42;
    const planListing = body.resources.find((r) => r.id === ids.planResource('plan-listing', 'gold'))!;
    planListing.plan = { externalId: 'platinum' };
    body.resources.find((r) => r.id === ids.planResource('price-and-availability-plan', 'gold'))!.pricing = { licenseModel: 'payAsYouGo' };
    body.resources.at(-1)!.target = { targetType: 'published' };
    body.resources.push({ $schema: `${MS}/listing/2019-01-01` });
    const { errors } = fromIngestionResources(body, { publisherId: 'contoso' });
    assert.deepEqual(
      errors.map((e) => [e.code, e.resource, e.target]),
      [
        ['schemaValidationError', `resources[${body.resources.length - 1}]`, '$schema'],
        ['schemaValidationError', ids.offerResource('listing'), 'title'],
        ['invalidId', ids.planResource('plan-listing', 'gold'), 'plan'],
        ['businessValidationError', ids.planResource('price-and-availability-plan', 'gold'), 'pricing.licenseModel'],
        ['schemaValidationError', 'resources[' + String(body.resources.length - 2) + ']', 'target.targetType'],
      ],
    );
  });

  it('refuses bodies without resources, a foreign product type, or a second product', () => {
    assert.equal(fromIngestionResources({ nope: true }, { publisherId: 'contoso' }).errors[0]?.code, 'schemaValidationError');
    const body = viaFile(contosoOffer()) as { resources: Record<string, unknown>[] };
    body.resources[0]!.type = 'softwareAsAService';
    body.resources.push({ ...body.resources[0]!, id: 'product/other' });
    const codes = fromIngestionResources(body, { publisherId: 'contoso' }).errors.map((e) => e.code);
    assert.deepEqual(codes, ['invalidRequest', 'notSupported']);
    assert.equal(fromIngestionResources([], { publisherId: 'contoso' }).errors[0]?.code, 'resourceNotFound');
  });

  it('applies a partial body to an existing offer and keeps the offer id immutable', () => {
    const existing = contosoOffer();
    const ids = new DurableIds('contoso', existing.id);
    const body = [
      {
        $schema: `${MS}/listing/2022-03-01-preview5`,
        product: { externalId: existing.id },
        title: 'Contoso Ops',
        searchResultSummary: 'x',
        shortDescription: 'y',
        description: '<p>z</p>',
        privacyPolicyLink: 'https://contoso.example/privacy',
        generalLinks: [],
        supportContact: existing.listing.supportContact,
        engineeringContact: existing.listing.engineeringContact,
      },
      { $schema: `${MS}/price-and-availability-update-private-audiences/2022-03-01-preview3`, product: ids.product(), plan: ids.plan('gold'), privateAudiences: { add: [{ type: 'subscription', id: FABRIKAM_SUBSCRIPTION, label: 'Fabrikam' }], remove: [{ type: 'subscription', id: 'x' }] } },
    ];
    const result = fromIngestionResources(body, { publisherId: 'contoso', existing });
    assert.deepEqual(result.errors, []);
    assert.equal(result.offer?.listing.name, 'Contoso Ops');
    assert.deepEqual(result.offer?.listing.logos, existing.listing.logos, 'assets not in the body are kept');
    assert.deepEqual(result.offer?.plans, existing.plans);
    assert.deepEqual(result.privateAudienceUpdates, [{ planId: 'gold', add: [{ id: FABRIKAM_SUBSCRIPTION, description: 'Fabrikam', type: 'subscription' }], remove: ['x'] }]);
    const renamed = viaFile({ ...existing, id: 'other-offer' });
    const errors = fromIngestionResources(renamed, { publisherId: 'contoso', existing }).errors;
    assert.equal(errors[0]?.code, 'invalidId');
    assert.match(errors[0]?.message ?? '', /can't change/);
  });

  it('reads images from data: URLs or from the caller, and says when it cannot', () => {
    const body = viaFile(contosoOffer()) as { resources: Record<string, unknown>[] };
    const logo = body.resources.find((r) => r.type === 'azureLogoLarge')!;
    logo.url = 'logo.png';
    const png = makePng(300, 300);
    const resolved = fromIngestionResources(body, { publisherId: 'contoso', assetBytes: (url) => (url === 'logo.png' ? png : undefined) });
    assert.deepEqual(resolved.errors, []);
    assert.deepEqual(resolved.offer?.listing.logos.large?.bytes, png);
    const missing = fromIngestionResources(body, { publisherId: 'contoso' });
    assert.deepEqual(missing.errors.map((e) => [e.code, e.target]), [['invalidResource', 'url']]);
  });
});

describe('validateIngestion', () => {
  it('reports offer rule violations against the resource that carries the field, warnings apart', () => {
    const o = contosoOffer();
    const gold = o.plans[0]!;
    const broken: Offer = {
      ...o,
      listing: { ...o.listing, name: '', screenshots: [{ caption: 'c', image: { fileName: 's.png', bytes: makePng(640, 360) } }] },
      plans: [{ ...gold, technicalConfiguration: { manifests: [{ ...gold.technicalConfiguration.manifests[0]!, authorizations: gold.technicalConfiguration.manifests[0]!.authorizations.slice(0, 2) }] } }],
    };
    const ids = new DurableIds('contoso', o.id);
    const v = validateIngestion(viaFile(broken), { publisherId: 'contoso', ...context() });
    assert.deepEqual(
      v.errors.map((e) => [e.code, e.resource, e.target, e.rule]),
      [
        ['businessValidationError', ids.offerResource('listing'), 'title', 'listing.name.required'],
        ['businessValidationError', ids.asset('listing-asset', 'screenshot-0'), 'url', 'listing.screenshot.size'],
      ],
    );
    assert.deepEqual(v.warnings.map((w) => [w.resource, w.target, w.rule]), [[ids.planResource('managed-service-plan-technical-configuration', 'gold'), 'manifests[0].authorizations', 'auth.delete-role.missing']]);
  });

  it('names every field as the configure body writes it, not as the offer model calls it', () => {
    const o = richOffer();
    const ids = new DurableIds('contoso', o.id);
    const tech = ids.planResource('managed-service-plan-technical-configuration', 'gold');
    const cases: [string, string, string][] = [
      ['listing.searchResultsSummary', ids.offerResource('listing'), 'searchResultSummary'],
      ['listing.privacyPolicyUrl', ids.offerResource('listing'), 'privacyPolicyLink'],
      ['listing.usefulLinks[0].name', ids.offerResource('listing'), 'generalLinks[0].displayText'],
      ['listing.supportUrls.azureGovernment', ids.offerResource('listing'), 'governmentSupportWebsite'],
      ['listing.screenshots[1].caption', ids.asset('listing-asset', 'screenshot-1'), 'description'],
      ['listing.videos[0].thumbnail', ids.asset('listing-trailer', 'video-0'), 'assets.en-us.imageList[0].url'],
      ['setup.customerLeads.username', ids.offerResource('customer-leads'), 'dynamicsLeadConfiguration.username'],
      ['setup.customerLeads.contactEmails[1]', ids.offerResource('customer-leads'), 'dynamicsLeadConfiguration.contactEmail[1]'],
      ['setup.customerLeads.type', ids.offerResource('customer-leads'), 'leadDestination'],
      ['properties.terms', ids.offerResource('property'), 'termsOfUse'],
      ['previewAudience[0].description', ids.offerResource('price-and-availability-offer'), 'previewAudiences[0].label'],
      ['plans[1].visibility', ids.planResource('price-and-availability-plan', 'fabrikam-only'), 'audience'],
      ['plans[1].privateAudience[0].id', ids.planResource('price-and-availability-plan', 'fabrikam-only'), 'privateAudiences[0].id'],
      ['plans[0].summary', ids.planResource('plan-listing', 'gold'), 'summary'],
      ['plans[0].technicalConfiguration.manifests[1].authorizations[3].assignableRoleIds[0]', tech, 'manifests[1].authorizations[3].delegatedRoleDefinitionIds[0]'],
      ['plans[0].technicalConfiguration.manifests[1].authorizations[4].justInTime.approvers[0].principalId', tech, 'manifests[1].eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers[0].principalId'],
      ['plans[0].technicalConfiguration.manifests[1].authorizations[4].justInTime.maximumDuration', tech, 'manifests[1].eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration'],
      ['plans[0].technicalConfiguration.manifests[0].authorizations[1].displayName', tech, 'manifests[0].authorizations[1].principalIdDisplayName'],
      ['alias', ids.product(), 'alias'],
    ];
    for (const [field, resource, target] of cases) assert.deepEqual(ingestionLocation(o, field), { resource, target }, field);
    // Each name is one the body really has, at the place it says.
    const body = toIngestionResources(o).resources;
    const at = (resource: string, target: string): unknown => target.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], body.find((r) => r.id === resource));
    for (const [field, resource, target] of cases) assert.notEqual(at(resource, target), undefined, `${field} → ${target} exists in the body`);
  });
});

describe('offer as code: ids, asset types and pushing an export back', () => {
  it('refuses a body naming an offer or plan by its durable id with another externalId, naming the field, and makes nothing', () => {
    const existing = contosoOffer();
    const ids = new DurableIds('contoso', existing.id);
    const body = viaFile(existing) as { resources: Record<string, unknown>[] };
    const product = body.resources[0]!;
    const renamedOffer = { ...body, resources: [{ ...product, identity: { externalId: 'contoso-other' } }, ...body.resources.slice(1)] };
    const offerErrors = fromIngestionResources(renamedOffer, { publisherId: 'contoso' }).errors;
    assert.deepEqual([offerErrors[0]?.code, offerErrors[0]?.resource, offerErrors[0]?.target], ['invalidId', ids.product(), 'id'], 'the product\'s id first (its other resources then name another product too)');
    assert.match(offerErrors[0]!.message, /immutable/);

    const plan = body.resources.find((r) => r.id === ids.plan('gold'))!;
    const renamedPlan = { ...body, resources: body.resources.map((r) => (r === plan ? { ...plan, identity: { externalId: 'platinum' } } : r)) };
    const result = fromIngestionResources(renamedPlan, { publisherId: 'contoso', existing });
    assert.deepEqual(result.errors.map((e) => [e.code, e.resource, e.target]), [['invalidId', ids.plan('gold'), 'identity.externalId']]);
    assert.match(result.errors[0]!.message, /Plan ID "gold" can't change \(got "platinum"\)/);
    assert.deepEqual(result.offer?.plans.map((p) => p.id), ['gold'], 'no empty plan platinum');
  });

  it('reads Microsoft\'s public asset type names: azureLogoScreenshot (written by exports), and warns about types managed services don\'t show', () => {
    const offer = contosoOffer();
    const body = viaFile(offer) as { resources: Record<string, unknown>[] };
    const shots = body.resources.filter((r) => r.type === 'azureLogoScreenshot');
    assert.equal(shots.length, offer.listing.screenshots.length, 'exports write the public name');
    const listing = new DurableIds('contoso', offer.id).offerResource('listing');
    const extra = ['azureLogoWide', 'azureLogoHero', 'pdfDocument'].map((type, i) => ({ ...shots[0]!, id: undefined, resourceName: `extra-${i}`, type, listing }));
    const legacy = body.resources.map((r) => (r.type === 'azureLogoScreenshot' ? { ...r, type: 'azureScreenshot' } : r));
    for (const resources of [[...body.resources, ...extra], legacy]) {
      const result = fromIngestionResources({ ...body, resources }, { publisherId: 'contoso' });
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.offer, offer);
    }
    const warned = fromIngestionResources({ ...body, resources: [...body.resources, ...extra] }, { publisherId: 'contoso' }).warnings;
    assert.deepEqual(warned.map((w) => [w.code, w.resource, w.target]), [['notSupported', 'extra-0', 'type'], ['notSupported', 'extra-1', 'type'], ['notSupported', 'extra-2', 'type']]);
    const unknown = fromIngestionResources({ ...body, resources: [...body.resources, { ...extra[0]!, type: 'azureLogoGiant' }] }, { publisherId: 'contoso' }).errors;
    assert.deepEqual(unknown.map((e) => [e.code, e.target]), [['notSupported', 'type']]);
    assert.match(unknown[0]!.message, /azureLogoScreenshot/);
  });

  it('pushing the export of a published offer back changes nothing, whatever order its authorizations and keys were in', () => {
    const base = richOffer();
    const gold = base.plans[0]!;
    const [first, second] = gold.technicalConfiguration.manifests as [Manifest, Manifest];
    // Published with the eligible authorization first and keys in another order, as a REST client may send them.
    const shuffled: Manifest = {
      tenantId: second.tenantId,
      authorizations: [...second.authorizations].reverse().map((a) => Object.fromEntries(Object.entries(a).reverse()) as unknown as PlanAuthorization),
      version: second.version,
    };
    const published: Offer = { ...base, plans: [{ ...gold, technicalConfiguration: { manifests: [first, shuffled] } }, ...base.plans.slice(1)] };
    const pushed = fromIngestionResources(viaFile(published), { publisherId: 'contoso', existing: published });
    assert.deepEqual(pushed.errors, []);
    assert.deepEqual(pushed.offer, published);
    const manifests = (o: Offer | undefined) => JSON.stringify(o?.plans.map((p) => p.technicalConfiguration.manifests));
    assert.ok(manifests(pushed.offer) === manifests(published), 'the manifests are byte for byte the published ones: same order of authorizations and keys');
    // Read as a new offer (no draft to keep), the reordered manifest still grants the same: not an edit of a published manifest.
    const fresh = fromIngestionResources(viaFile(published), { publisherId: 'contoso' }).offer!;
    assert.ok(JSON.stringify(fresh.plans[0]!.technicalConfiguration.manifests[1]) !== JSON.stringify(shuffled), 'read afresh, the order differs');
    const v = validateIngestion(viaFile(fresh), { publisherId: 'contoso', ...context({ published }) });
    assert.deepEqual([...v.errors, ...v.warnings].filter((e) => e.rule === 'manifest.published-immutable'), []);
  });
});
