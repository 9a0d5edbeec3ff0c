/**
 * Drives Lantern's sign-in pages the way a browser does, with plain fetch: follow the page, keep
 * the sign-in cookie, post the form with its hidden flow token. No browser is needed: the pages
 * are plain HTML forms.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { s256Challenge } from '../../src/core/identity/pkce.js';

/** A browser's cookie jar for one host, reduced to what the sign-in pages set. */
export class Browser {
  private cookie: string | undefined;

  async get(url: string): Promise<Response> {
    return this.keep(await fetch(url, { redirect: 'manual', headers: this.headers() }));
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    const body = new URLSearchParams(form).toString();
    return this.keep(await fetch(url, { method: 'POST', redirect: 'manual', body, headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' } }));
  }

  /** Another browser's cookie (a forged cross-browser post). */
  borrowCookieOf(other: Browser): void {
    this.cookie = other.cookie;
  }

  private headers(): Record<string, string> {
    return this.cookie === undefined ? {} : { cookie: this.cookie };
  }

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) this.cookie = line.split(';')[0];
    return res;
  }
}

/** The sign-in page's form: where it posts and its hidden flow token. */
export function formOf(html: string, base: string): { action: string; flow: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const flow = /name="flow" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(action && flow, `no sign-in form in: ${html.slice(0, 400)}`);
  return { action: new URL(action.replace(/&amp;/g, '&'), base).toString(), flow };
}

/** The AADSTS code a page shows, if any. */
export function pageError(html: string): string | undefined {
  return /<small>(AADSTS\d+)<\/small>/.exec(html)?.[1];
}

/** The parameters of the app's answer: the query (or fragment) of a redirect. */
export function answerOf(res: Response): URLSearchParams {
  assert.equal(res.status, 302, `expected a redirect to the app, got ${res.status}`);
  const location = new URL(res.headers.get('location') ?? '');
  return new URLSearchParams(location.hash === '' ? location.search : location.hash.slice(1));
}

/**
 * Signs in on the page `url` leads to with user name and password (and a TOTP code when the page
 * asks for one); answers the final response (a redirect to the app, or the page that refused).
 */
export async function signInOnPage(browser: Browser, url: string, username: string, password: string, code?: () => string): Promise<Response> {
  const first = await browser.get(url);
  const html = await first.text();
  assert.equal(first.status, 200, html.slice(0, 400));
  const form = formOf(html, url);
  const posted = await browser.post(form.action, { flow: form.flow, login: username, passwd: password, action: 'sign-in' });
  if (posted.status !== 200 || code === undefined) return posted;
  const second = await posted.text();
  if (!second.includes('name="otc"')) return new Response(second, { status: posted.status });
  const next = formOf(second, url);
  return browser.post(next.action, { flow: next.flow, otc: code(), action: 'verify' });
}

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/**
 * An ARM access token as `az login` gets one in a browser: the az CLI's client through the sign-in
 * page (authorization code with PKCE, loopback redirect), with a TOTP code when the page asks for one.
 */
export async function armTokenThroughPage(baseUrl: string, tenantId: string, username: string, password: string, code?: () => string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const redirect = 'http://localhost:8400';
  const query = { client_id: AZURE_CLI, response_type: 'code', redirect_uri: redirect, scope: 'https://management.azure.com/.default', code_challenge: s256Challenge(verifier), code_challenge_method: 'S256' };
  const answer = answerOf(await signInOnPage(new Browser(), `${baseUrl}/${tenantId}/oauth2/v2.0/authorize?${new URLSearchParams(query).toString()}`, username, password, code));
  const form = { grant_type: 'authorization_code', client_id: AZURE_CLI, code: answer.get('code') ?? '', redirect_uri: redirect, code_verifier: verifier, scope: query.scope };
  const res = await fetch(`${baseUrl}/${tenantId}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const body = (await res.json()) as { access_token?: string };
  assert.ok(body.access_token, `no token: ${JSON.stringify(body)}`);
  return body.access_token;
}
