/**
 * Local stand-ins for the CRM vendors a lead can go to, each answering as its public documentation
 * says, errors included, over HTTPS with the test certificate:
 * - Entra ID v2 token endpoint (`/{tenant}/oauth2/v2.0/token`, client credentials and password
 *   grants; AADSTS errors as `{error, error_description, error_codes}` with 400/401);
 * - Dataverse Web API (`POST /api/data/v9.2/leads`: 204 + OData-EntityId; 401 without a valid
 *   bearer token; `{error: {code, message}}`, 0x80040237 for a duplicate key);
 * - Salesforce Web-to-Lead (`POST /servlet/servlet.WebToLead?encoding=UTF-8`: always 200, the
 *   `Is-Processed` header says `true Exception …` when the lead was dropped);
 * - Marketo (`GET /mkto/{munchkin}/identity/oauth/token`: 401 `unauthorized` on bad credentials;
 *   `POST /mkto/{munchkin}/rest/v1/leads.json`: 200 with `success`, `errors` 600/601, per-record
 *   `created`/`updated`/`skipped` with reasons);
 * - a plain HTTPS lead endpoint (`POST /hook`) that keeps each body and its headers.
 * `down` makes every route answer 503 (a destination out for a while).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export const ENTRA = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '5b0f4b1c-5a1d-4d7e-9d0e-3f6f2b1b9a11', clientSecret: 'dynamics-client-secret', user: 'leads@contoso.example', password: 'Rotate-every-90-days' };
export const MARKETO = { munchkinId: '123-ABC-456', clientId: 'marketo-client', clientSecret: 'marketo-secret' };
export const SALESFORCE_OID = '00D5e000000ABCD';

export interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface Vendors {
  readonly origin: string;
  readonly endpoints: { entraAuthorityHost: string; salesforceWebToLeadUrl: string; marketoBaseUrl: string };
  readonly hookUrl: string;
  /** Bodies POSTed to the HTTPS hook, in arrival order (repeats included). */
  readonly hook: Received[];
  /** Dataverse leads by leadid. */
  readonly dataverse: Map<string, Record<string, unknown>>;
  /** Salesforce Web-to-Lead forms accepted. */
  readonly salesforce: URLSearchParams[];
  /** Marketo leads by e-mail. */
  readonly marketo: Map<string, Record<string, unknown>>;
  down: boolean;
  /** Called when the hook receives a request, before it answers (a test may hold the answer). */
  onHook?: (body: string) => Promise<void> | void;
  stop(): Promise<void>;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Starts every vendor on one HTTPS port of 127.0.0.1 (name `localhost`, as the test certificate says). */
export async function startVendors(): Promise<Vendors> {
  const tokens = new Set<string>();
  let marketoId = 1000;
  const state: Vendors = {
    origin: '', endpoints: { entraAuthorityHost: '', salesforceWebToLeadUrl: '', marketoBaseUrl: '' }, hookUrl: '',
    hook: [], dataverse: new Map(), salesforce: [], marketo: new Map(), down: false,
    stop: () => Promise.resolve(),
  };
  const issue = () => {
    const t = randomUUID();
    tokens.add(t);
    return t;
  };
  const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const body = await read(req);
    if (state.down) return send(res, 503, { error: 'Service Unavailable' });
    const path = url.pathname;

    if (req.method === 'POST' && path === '/hook') {
      await state.onHook?.(body);
      state.hook.push({ headers: req.headers, body });
      return send(res, 202, { accepted: true });
    }

    const entra = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (req.method === 'POST' && entra) {
      const form = new URLSearchParams(body);
      const scope = form.get('scope') ?? '';
      if (!scope.endsWith('/.default')) return send(res, 400, { error: 'invalid_scope', error_description: 'AADSTS1002012: The provided value for scope is not valid.', error_codes: [1002012] });
      if (form.get('grant_type') === 'client_credentials') {
        if (entra[1] !== ENTRA.tenantId) return send(res, 400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${entra[1]}' not found.`, error_codes: [90002] });
        if (form.get('client_id') !== ENTRA.clientId) return send(res, 400, { error: 'unauthorized_client', error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.`, error_codes: [700016] });
        if (form.get('client_secret') !== ENTRA.clientSecret) return send(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
      } else if (form.get('grant_type') === 'password') {
        if (form.get('username') !== ENTRA.user || form.get('password') !== ENTRA.password) return send(res, 400, { error: 'invalid_grant', error_description: 'AADSTS50126: Error validating credentials due to invalid username or password.', error_codes: [50126] });
      } else {
        return send(res, 400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003: The app requested an unsupported grant type.', error_codes: [70003] });
      }
      return send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: issue() });
    }

    if (path === '/api/data/v9.2/leads' && req.method === 'POST') {
      const token = bearer(req);
      if (token === undefined || !tokens.has(token)) return send(res, 401, undefined, { 'www-authenticate': 'Bearer error=invalid_token, error_description="Error during token validation!"' });
      if (req.headers['odata-version'] !== '4.0') return send(res, 400, { error: { code: '0x80048d19', message: 'OData-Version header must be 4.0.' } });
      let lead: Record<string, unknown>;
      try {
        lead = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return send(res, 400, { error: { code: '0x80040333', message: 'The request body is not valid JSON.' } });
      }
      const unknown = Object.keys(lead).find((k) => !['leadid', 'subject', 'firstname', 'lastname', 'emailaddress1', 'telephone1', 'companyname', 'jobtitle', 'address1_country', 'description'].includes(k));
      if (unknown !== undefined) return send(res, 400, { error: { code: '0x80060888', message: `The property '${unknown}' does not exist on type 'Microsoft.Dynamics.CRM.lead'.` } });
      const id = typeof lead.leadid === 'string' ? lead.leadid : randomUUID();
      if (state.dataverse.has(id)) return send(res, 412, { error: { code: '0x80040237', message: 'A record with matching key values already exists.' } });
      state.dataverse.set(id, lead);
      return send(res, 204, undefined, { 'odata-entityid': `${state.origin}/api/data/v9.2/leads(${id})` });
    }

    if (path === '/servlet/servlet.WebToLead' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      const ok = url.searchParams.get('encoding') === 'UTF-8' && form.get('oid') === SALESFORCE_OID && (form.get('last_name') ?? '') !== '' && (form.get('company') ?? '') !== '';
      res.writeHead(200, { 'content-type': 'text/html', 'is-processed': ok ? 'true' : 'true Exception common.exception.SalesforceGenericException' });
      if (ok) state.salesforce.push(form);
      return void res.end('<html><head><meta http-equiv="Refresh" content="0; URL=http://www.salesforce.com"></head></html>');
    }

    const marketo = /^\/mkto\/([^/]+)(\/.*)$/.exec(path);
    if (marketo) {
      if (marketo[1] !== MARKETO.munchkinId) return send(res, 404, { error: 'not found' });
      if (marketo[2] === '/identity/oauth/token' && req.method === 'GET') {
        const q = url.searchParams;
        if (q.get('grant_type') !== 'client_credentials' || q.get('client_id') !== MARKETO.clientId || q.get('client_secret') !== MARKETO.clientSecret) {
          return send(res, 401, { error: 'unauthorized', error_description: 'Bad client credentials' });
        }
        return send(res, 200, { access_token: issue(), token_type: 'bearer', expires_in: 3599, scope: 'leads@contoso.example' });
      }
      if (marketo[2] === '/rest/v1/leads.json' && req.method === 'POST') {
        const requestId = `${randomUUID().slice(0, 4)}#${Date.now().toString(16)}`;
        const token = bearer(req);
        if (token === undefined) return send(res, 200, { requestId, success: false, errors: [{ code: '600', message: 'Access token not specified' }] });
        if (!tokens.has(token)) return send(res, 200, { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }] });
        const request = JSON.parse(body) as { action?: string; lookupField?: string; input?: Record<string, unknown>[] };
        const result = (request.input ?? []).map((input) => {
          const email = typeof input.email === 'string' ? input.email : '';
          if (email === '') return { status: 'skipped', reasons: [{ code: '1003', message: `Value for lookup field '${request.lookupField ?? 'email'}' not found` }] };
          const existing = state.marketo.get(email);
          state.marketo.set(email, { ...existing, ...input, id: existing?.id ?? ++marketoId });
          return { id: state.marketo.get(email)?.id, status: existing === undefined ? 'created' : 'updated' };
        });
        return send(res, 200, { requestId, result, success: true });
      }
    }
    return send(res, 404, { error: `no route ${req.method ?? ''} ${path}` });
  }

  const server = createServer({ cert: readFileSync(process.env.LANTERN_TEST_TLS_CERT ?? ''), key: readFileSync(process.env.LANTERN_TEST_TLS_KEY ?? '') }, (req, res) => {
    route(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  Object.assign(state, {
    origin,
    hookUrl: `${origin}/hook`,
    endpoints: { entraAuthorityHost: origin, salesforceWebToLeadUrl: `${origin}/servlet/servlet.WebToLead?encoding=UTF-8`, marketoBaseUrl: `${origin}/mkto/{munchkinId}` },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
  return state;
}
