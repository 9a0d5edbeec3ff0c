/**
 * The Partner Center test world: a whole Lantern (real HTTP over a socket), the publisher Contoso
 * with an Owner user (who receives e-mail), an Owner and a Developer service principal (who call
 * the API), a real SMTP server that keeps what it receives, and a local HTTPS lead endpoint.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { systemContext, type Clock } from '../../src/services/context.js';
import type { MarketplaceOptions } from '../../src/services/marketplace/marketplace.js';
import type { TestDatabase } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';

export interface Principal {
  readonly objectId: string;
  readonly appId: string;
  readonly secret: string;
  /** Directory of the principal; the publisher's tenant when absent. */
  readonly tenantId?: string;
}

export interface World {
  readonly lantern: TestLantern;
  readonly tenantId: string;
  readonly ownerUpn: string;
  readonly owner: Principal;
  readonly developer: Principal;
  /** A principal of the same tenant with no Partner Center role. */
  readonly outsider: Principal;
  readonly publisherId: string;
  token(p: Principal): Promise<string>;
  stop(): Promise<void>;
}

export interface Mail {
  readonly to: string[];
  readonly raw: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every message. */
export async function startSmtp(): Promise<{ url: string; messages: Mail[]; stop: () => Promise<void> }> {
  const messages: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A local HTTPS endpoint (the test certificate) that records the JSON POSTed to it and answers `status`. */
export async function startLeadEndpoint(status = 200): Promise<{ url: string; received: unknown[]; stop: () => Promise<void> }> {
  const received: unknown[] = [];
  const server = createHttpsServer({ cert: readFileSync(process.env.LANTERN_TEST_TLS_CERT ?? ''), key: readFileSync(process.env.LANTERN_TEST_TLS_KEY ?? '') }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `https://localhost:${port}/leads`, received, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Starts Lantern with the Contoso publisher enrolled, verified and eligible. */
export async function startWorld(db: TestDatabase, options: { smtpUrl?: string; marketplace?: Partial<MarketplaceOptions>; eligible?: boolean; clock?: Clock } = {}): Promise<World> {
  const lantern = await startTestLantern(db, {
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    env: { ...(options.smtpUrl === undefined ? {} : { LANTERN_SMTP_URL: options.smtpUrl }), ...(process.env.MP_TEST_LOG === undefined ? {} : { LANTERN_LOG_LEVEL: process.env.MP_TEST_LOG }) },
    marketplace: { allowPrivateLeadEndpoints: true, ...options.marketplace },
  });
  const { directory } = lantern.services.identity;
  const domain = `contoso-${randomBytes(4).toString('hex')}.example`;
  const tenantId = (await directory.createTenant({ displayName: 'Contoso', defaultDomain: domain })).id;
  const ownerUpn = `admin@${domain}`;
  const admin = await directory.createUser({ tenantId, displayName: 'Contoso Admin', userType: 'Member', userPrincipalName: ownerUpn, password: 'Correct-horse-battery-9' });
  const sp = async (displayName: string): Promise<Principal> => {
    const created = await directory.createServicePrincipal({ tenantId, displayName });
    return { objectId: created.id, appId: created.appId, secret: (await directory.addClientSecret(created.id, { displayName: 'test' })).value };
  };
  const owner = await sp('contoso-partner-center');
  const developer = await sp('contoso-developer');
  const outsider = await sp('contoso-outsider');
  const mp = lantern.services.marketplace;
  const ctx = systemContext(lantern.services.ids);
  const publisherId = 'contoso';
  await mp.publishers.enroll(ctx, { publisherId, displayName: 'Contoso Ltd', contacts: [{ name: 'Contoso Admin', email: ownerUpn }], tenantId });
  await mp.publishers.setMemberRoles(ctx, publisherId, admin.id, ['Owner']);
  await mp.publishers.setMemberRoles(ctx, publisherId, owner.objectId, ['Owner']);
  await mp.publishers.setMemberRoles(ctx, publisherId, developer.objectId, ['Developer']);
  if (options.eligible !== false) {
    await mp.publishers.claimEligibility(ctx, publisherId, 'SolutionsPartner:Infrastructure', 'designation 123');
    await mp.publishers.decideEligibility(ctx, publisherId, 'SolutionsPartner:Infrastructure', 'verified');
    await mp.publishers.verifyPublisher(ctx, publisherId);
  }
  const tokens = new Map<string, string>();
  return {
    lantern, tenantId, ownerUpn, owner, developer, outsider, publisherId,
    async token(p) {
      const cached = tokens.get(p.appId);
      if (cached !== undefined) return cached;
      const form = { grant_type: 'client_credentials', client_id: p.appId, client_secret: p.secret, scope: 'https://management.azure.com/.default' };
      // The token endpoint over HTTP when the server has it; the same token service in-process otherwise.
      const tenant = p.tenantId ?? tenantId;
      const res = await fetch(`${lantern.baseUrl}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
      const token = res.status === 404 ? (await lantern.services.identity.tokens.token(tenant, form)).access_token : ((await res.json()) as { access_token: string }).access_token;
      tokens.set(p.appId, token);
      return token;
    },
    async stop() {
      await mp.idle();
      await lantern.stop();
    },
  };
}

export interface Reply {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are inspected field by field
  readonly body: any;
  readonly text: string;
}

/** One HTTP call to the running Lantern. */
export async function call(world: World, who: Principal | undefined, method: string, path: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (who !== undefined) headers.authorization = `Bearer ${await world.token(who)}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${world.lantern.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

/** Polls until `check` holds (the pipeline runs in the background); fails after many tries. */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await probe();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}
