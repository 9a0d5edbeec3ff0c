/**
 * The demo world with its offer published, for the customer-side stories: a Lantern with the demo
 * world of product.md seeded through the services, user tokens from the token endpoint (password
 * grant, as `az login` gets them), and `publishOffer`, which takes an offer through the real
 * pipeline over HTTP (product-ingestion configure → automated validation with a test lead →
 * certification → preview → Go live) as the publisher's user. `demoOffer` is the "Publish" story's
 * contoso-managed-ops with the demo world's principal ids.
 */
import { contosoOffer } from '../../src/core/marketplace/test-fixtures.js';
import { CONTRIBUTOR } from '../../src/core/roles/builtin-catalog.js';
import { toIngestionResources } from '../../src/core/marketplace/ingestion.js';
import type { Offer } from '../../src/core/marketplace/model.js';
import { DEMO_IDS, type DemoCredentials } from '../../src/services/demo/demo-world.js';
import { seedDemoUsers } from '../e2e/support/demo-users.js';
import type { TestLantern } from './lantern.js';

const INGESTION = '$version=2022-03-01-preview2';

export interface DemoWorld {
  readonly credentials: DemoCredentials;
  /** A bearer token for a demo user by UPN (e.g. `owner@fabrikam.example`), cached. */
  token(userPrincipalName: string): Promise<string>;
  /** Object id of a demo user, group or service principal by UPN or display name. */
  id(name: string): string;
}

export interface Reply {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are inspected field by field
  readonly body: any;
}

/** One HTTP call with a bearer token. */
export async function call(lantern: TestLantern, token: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(new URL(path, lantern.baseUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** Seeds the demo world into a running test Lantern (its users sign in as test/e2e/support/demo-users.ts does). */
export async function seedDemo(lantern: TestLantern): Promise<DemoWorld> {
  const users = await seedDemoUsers(lantern.services, lantern.baseUrl);
  return { credentials: users.credentials, token: (upn) => users.token(upn), id: (name) => users.objectId(name) };
}

/** contoso-managed-ops of the "Publish" story, granting the demo world's Contoso groups, its leads sent to `leadUrl`. */
export function demoOffer(demo: DemoWorld, leadUrl: string): Offer {
  const base = contosoOffer();
  const fixture = base.plans[0]!.technicalConfiguration.manifests[0]!;
  const manifest = {
    ...fixture,
    tenantId: DEMO_IDS.contosoTenant,
    authorizations: fixture.authorizations.map((a) => ({ ...a, principalId: demo.id(a.displayName) })),
  };
  return {
    ...base,
    setup: { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: leadUrl, contactEmails: ['sales@contoso.example'] } },
    plans: [{ ...base.plans[0]!, technicalConfiguration: { manifests: [manifest] } }],
  };
}

/** `offer` whose gold plan also makes "Contoso L1 Support" eligible for Contributor: at most an hour, with MFA, approved by `approvers` (demo names). */
export function withEligibleL1Support(offer: Offer, demo: DemoWorld, displayName: string, approvers: readonly { name: string; displayName: string }[]): Offer {
  const gold = offer.plans[0]!;
  const manifest = gold.technicalConfiguration.manifests[0]!;
  const eligible = {
    displayName,
    principalId: demo.id('Contoso L1 Support'),
    roleDefinitionId: CONTRIBUTOR,
    accessType: 'eligible' as const,
    justInTime: { maximumDuration: 'PT1H', requireMfa: true, approvers: approvers.map((a) => ({ principalId: demo.id(a.name), displayName: a.displayName })) },
  };
  return { ...offer, plans: [{ ...gold, technicalConfiguration: { manifests: [{ ...manifest, authorizations: [...manifest.authorizations, eligible] }] } }] };
}

/** Probes every 50 ms until `done` holds (at most 20 s), for the asynchronous jobs of the publishing pipeline. */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Sends a configure request and waits for it and, unless `draftOnly`, for the publish job it starts.
async function configure(lantern: TestLantern, token: string, body: unknown, what: string, draftOnly = false): Promise<void> {
  const started = await call(lantern, token, 'POST', `/rp/product-ingestion/configure?${INGESTION}&publisherId=contoso`, body);
  if (started.status !== 202) throw new Error(`${what}: configure refused: ${JSON.stringify(started.body)}`);
  const id = started.body.jobId as string;
  await until(() => call(lantern, token, 'GET', `/rp/product-ingestion/configure/${id}/status?${INGESTION}`), (r) => r.body?.jobStatus === 'completed', `${what} (configure)`);
  const detail = await call(lantern, token, 'GET', `/rp/product-ingestion/configure/${id}?${INGESTION}`);
  if (detail.body.jobResult !== 'succeeded') throw new Error(`${what}: ${JSON.stringify(detail.body)}`);
  if (draftOnly) return;
  if (detail.body.publishJobId === undefined) throw new Error(`${what}: no publish job: ${JSON.stringify(detail.body)}`);
  const job = await until(() => call(lantern, token, 'GET', `/partner-center/jobs/${detail.body.publishJobId as string}`), (r) => r.body?.state === 'completed', `${what} (publish)`);
  if (job.body.result !== 'succeeded') throw new Error(`${what}: publish job ${JSON.stringify(job.body)}`);
}

/** Writes `offer` as a complete draft (every section, nothing submitted) as the publisher user `token`: the portal publishes it. */
export async function prepareDraft(lantern: TestLantern, token: string, offer: Offer): Promise<void> {
  await configure(lantern, token, toIngestionResources(offer), `${offer.id} as a draft`, true);
}

/** Publishes `offer` through the pipeline as the publisher user `token`: to preview, and live unless `target` is 'preview'. */
export async function publishOffer(lantern: TestLantern, token: string, offer: Offer, target: 'preview' | 'live' = 'live'): Promise<void> {
  await configure(lantern, token, toIngestionResources(offer, { submit: 'preview' }), `${offer.id} to preview`);
  if (target === 'preview') return;
  const live = {
    $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-03-01-preview2',
    resources: [{ $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2', product: { externalId: offer.id }, target: { targetType: 'live' } }],
  };
  await configure(lantern, token, live, `${offer.id} live`);
  await lantern.services.marketplace.idle();
}

/** The Onboard story's last steps as the customer user `token`: accept contoso-managed-ops' `planId` for the subscription `sub` and delegate `scopes`. */
export async function acquireAndDelegate(lantern: TestLantern, token: string, sub: string, scopes: readonly string[], planId = 'gold'): Promise<void> {
  const acquired = await call(lantern, token, 'POST', `/marketplace${sub}/acquisitions`, { offerId: 'contoso.contoso-managed-ops', planId, name: 'Contoso ops', acceptLegalTerms: true });
  if (acquired.status !== 201) throw new Error(`acquisition refused: ${JSON.stringify(acquired.body)}`);
  const delegated = await call(lantern, token, 'POST', `/marketplace${sub}/acquisitions/${acquired.body.id as string}/delegate`, { scopes });
  if (delegated.status !== 200) throw new Error(`delegation refused: ${JSON.stringify(delegated.body)}`);
}
