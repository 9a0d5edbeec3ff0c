/**
 * The interactive sign-in's pages as states: the user name and password, then (for a user with an
 * authenticator) the TOTP code, then the answer: an authorization code sent back to the app, or
 * a device-code sign-in approved. Between pages the state travels in the form as a signed flow
 * token (RS256 with the token-signing key, audience `{base}/sign-in`, ten minutes), bound to the
 * browser by the hash of a cookie nonce, so a form posted from another site (login CSRF) or a flow
 * token lifted from one browser into another is refused. The HTTP layer renders the views.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { normalizeGuid } from '../../core/guid.js';
import type { Tenant, User } from '../../core/identity/model.js';
import type { Clock } from '../context.js';
import { aad, AadError } from './aad-errors.js';
import type { AuthorizationRequest, AuthorizationRequests, AuthorizeParameters, ResponseMode } from './authorization-requests.js';
import type { Authenticators } from './authenticators.js';
import type { DirectoryService } from './directory-service.js';
import type { DeviceCodes, PendingDeviceSignIn } from './device-codes.js';
import type { InteractiveGrants } from './interactive-grants.js';
import type { SigningKeyRing } from './signing-keys.js';
import type { TokenService } from './token-service.js';

const FLOW_LIFETIME_SECONDS = 600;
const FLOW_TYPE = 'lantern-signin+jwt';

/** What the sign-in is for: an app's authorization request, or a device waiting on /devicelogin. */
export type SignInTarget =
  | { readonly kind: 'authorize'; readonly request: AuthorizationRequest }
  | { readonly kind: 'device'; readonly device: PendingDeviceSignIn };

/** A page to show, or the answer to send. */
export type SignInView =
  | { readonly kind: 'credentials'; readonly flow: string; readonly appName: string; readonly device: boolean; readonly loginHint?: string; readonly error?: AadError }
  | { readonly kind: 'second-factor'; readonly flow: string; readonly appName: string; readonly username: string; readonly error?: AadError }
  | { readonly kind: 'answer'; readonly redirectUri: string; readonly responseMode: ResponseMode; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'device-code'; readonly error?: AadError }
  | { readonly kind: 'device-done'; readonly appName: string; readonly approved: boolean }
  | { readonly kind: 'error'; readonly error: AadError };

interface FlowState {
  readonly target: SignInTarget;
  /** Set once the password was right and a code is still owed. */
  readonly user?: { readonly id: string; readonly tenantId: string; readonly username: string };
}

export interface SignInFlowOptions {
  readonly keys: SigningKeyRing;
  readonly clock: Clock;
  readonly baseUrl: string;
  readonly tokens: TokenService;
  readonly directory: DirectoryService;
  readonly requests: AuthorizationRequests;
  readonly grants: InteractiveGrants;
  readonly devices: DeviceCodes;
  readonly authenticators: Authenticators;
}

const nonceHash = (nonce: string): string => createHash('sha256').update(nonce).digest('base64url');

/** The answer an app gets for a refused authorization request (OpenID Connect error response). */
function errorAnswer(error: AadError, replyTo: { redirectUri: string; responseMode: ResponseMode; state?: string }): SignInView {
  return {
    kind: 'answer', redirectUri: replyTo.redirectUri, responseMode: replyTo.responseMode,
    params: { error: error.error, error_description: `AADSTS${error.code}: ${error.message}`, error_uri: `https://login.microsoftonline.com/error?code=${error.code}`, ...(replyTo.state === undefined ? {} : { state: replyTo.state }) },
  };
}

/** Creates the sign-in flow. */
export function createSignInFlow({ keys, clock, baseUrl, tokens, directory, requests, grants, devices, authenticators }: SignInFlowOptions) {
  const base = baseUrl.replace(/\/+$/, '');
  const audience = `${base}/sign-in`;

  async function seal(state: FlowState, browserNonce: string): Promise<string> {
    const now = Math.floor(clock.now().getTime() / 1000);
    const { kid, privateKey } = await keys.signingKey();
    return new SignJWT({ state: state as unknown as JWTPayload, csrf: nonceHash(browserNonce) })
      .setProtectedHeader({ alg: 'RS256', typ: FLOW_TYPE, kid }).setIssuer(base).setAudience(audience)
      .setIssuedAt(now).setExpirationTime(now + FLOW_LIFETIME_SECONDS).sign(privateKey);
  }

  async function unseal(flow: string, browserNonce: string | undefined): Promise<FlowState | undefined> {
    try {
      const header = decodeProtectedHeader(flow);
      const key = header.typ === FLOW_TYPE && typeof header.kid === 'string' ? await keys.verificationKey(header.kid) : undefined;
      if (!key || browserNonce === undefined) return undefined;
      const { payload } = await jwtVerify(flow, key, { algorithms: ['RS256'], issuer: base, audience, typ: FLOW_TYPE, currentDate: clock.now() });
      const expected = Buffer.from(nonceHash(browserNonce));
      const given = Buffer.from(typeof payload.csrf === 'string' ? payload.csrf : '');
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      return payload.state as FlowState;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return undefined;
      throw error;
    }
  }

  const appName = (target: SignInTarget) => (target.kind === 'authorize' ? target.request.appName : target.device.appName);

  async function credentialsPage(target: SignInTarget, browserNonce: string, error?: AadError, loginHint?: string): Promise<SignInView> {
    const hint = loginHint ?? (target.kind === 'authorize' ? target.request.loginHint : undefined);
    return {
      kind: 'credentials', flow: await seal({ target }, browserNonce), appName: appName(target), device: target.kind === 'device',
      ...(hint === undefined ? {} : { loginHint: hint }), ...(error ? { error } : {}),
    };
  }

  /** The end of a sign-in: a code back to the app, or the device approved. */
  async function complete(target: SignInTarget, tenant: Tenant, user: User, amr: readonly string[]): Promise<SignInView> {
    if (target.kind === 'device') {
      const approved = await devices.approve(target.device.userCode, tenant, user, amr);
      return approved ? { kind: 'device-done', appName: target.device.appName, approved: true } : { kind: 'error', error: aad.deviceCodeExpired() };
    }
    const { request } = target;
    const code = await grants.issueCode(request, tenant, user, amr);
    const clientInfo: Record<string, string> = request.clientInfo ? { client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString('base64url') } : {};
    return {
      kind: 'answer', redirectUri: request.redirectUri, responseMode: request.responseMode,
      params: { code, ...clientInfo, ...(request.state === undefined ? {} : { state: request.state }) },
    };
  }

  async function cancel(target: SignInTarget): Promise<SignInView> {
    if (target.kind === 'device') {
      await devices.decline(target.device.userCode);
      return { kind: 'device-done', appName: target.device.appName, approved: false };
    }
    return errorAnswer(aad.userCancelled(), target.request);
  }

  /** The user's tenant must be the one the request named, and the app's (Microsoft's own clients serve every tenant). */
  function tenantRefusal(target: SignInTarget, tenant: Tenant): AadError | undefined {
    const [named, appTenant, clientId] = target.kind === 'authorize'
      ? [undefined, target.request.appTenantId, target.request.clientId]
      : [target.device.tenantId, target.device.appTenantId, target.device.appName];
    if (named !== undefined && named !== tenant.id) return aad.userNotFound(named);
    if (appTenant !== undefined && appTenant !== tenant.id) return aad.userNotInAppTenant(clientId, tenant.id);
    return undefined;
  }

  async function passwordStep(target: SignInTarget, browserNonce: string, form: AuthorizeParameters, sourceAddress: string | undefined): Promise<SignInView> {
    const username = (form.login ?? '').trim();
    const password = form.passwd ?? '';
    const segment = target.kind === 'authorize' ? target.request.segment : target.device.segment;
    if (username === '' || password === '') return credentialsPage(target, browserNonce, aad.missingParameter(username === '' ? 'login' : 'passwd'), username);
    let tenant: Tenant;
    let user: User;
    try {
      tenant = await tokens.tenantForUser(segment, username);
      user = await tokens.verifyUserPassword(tenant, username, password, sourceAddress);
    } catch (error) {
      if (!(error instanceof AadError)) throw error;
      // The same words for an unknown user and a wrong password: the page tells no one which names
      // exist. A lockout is said as it is (it names no one either).
      return credentialsPage(target, browserNonce, error.code === 50053 || error.code === 50196 ? error : aad.invalidCredentials(), username);
    }
    const refusal = tenantRefusal(target, tenant);
    if (refusal) return credentialsPage(target, browserNonce, refusal, username);
    if (!(await authenticators.isActive(user.id))) return complete(target, tenant, user, ['pwd']);
    const state: FlowState = { target, user: { id: normalizeGuid(user.id), tenantId: tenant.id, username: user.userPrincipalName } };
    return { kind: 'second-factor', flow: await seal(state, browserNonce), appName: appName(target), username: user.userPrincipalName };
  }

  async function codeStep(state: FlowState & { user: NonNullable<FlowState['user']> }, flow: string, form: AuthorizeParameters, sourceAddress: string | undefined): Promise<SignInView> {
    const page = (error: AadError): SignInView => ({ kind: 'second-factor', flow, appName: appName(state.target), username: state.user.username, error });
    const code = (form.otc ?? '').trim();
    if (code === '') return page(aad.missingParameter('otc'));
    try {
      await tokens.verifySecondFactor(state.user.id, sourceAddress, async () => {
        const outcome = await authenticators.verify(state.user.id, code);
        if (outcome === 'locked') throw aad.authenticatorLocked();
        if (outcome !== 'ok') throw aad.wrongTotp();
      });
    } catch (error) {
      if (error instanceof AadError) return page(error);
      throw error;
    }
    const user = await directory.getUser(state.user.id);
    const tenant = user ? await directory.getTenant(state.user.tenantId) : undefined;
    if (!user || !tenant) return { kind: 'error', error: aad.userNotFound(state.user.tenantId) };
    return complete(state.target, tenant, user, ['pwd', 'mfa']);
  }

  return {
    /** `GET|POST /{tenant}/oauth2/v2.0/authorize` with an app's request: the first page, or the refusal. */
    async authorize(segment: string, params: AuthorizeParameters, browserNonce: string): Promise<SignInView> {
      const checked = await requests.check(segment, params);
      if (!checked.ok) return checked.replyTo ? errorAnswer(checked.error, checked.replyTo) : { kind: 'error', error: checked.error };
      return credentialsPage({ kind: 'authorize', request: checked.request }, browserNonce);
    },

    /** `POST /devicelogin` with the code the device shows: the sign-in page for it. */
    async deviceCode(userCode: string, browserNonce: string): Promise<SignInView> {
      const device = userCode.trim() === '' ? undefined : await devices.pending(userCode);
      if (!device) return { kind: 'device-code', error: aad.badUserCode() };
      return credentialsPage({ kind: 'device', device }, browserNonce);
    },

    /** A posted sign-in page (its flow token, the browser's cookie nonce, the fields, the browser's address for smart lockout). */
    async submit(flow: string, browserNonce: string | undefined, form: AuthorizeParameters, sourceAddress?: string): Promise<SignInView> {
      const state = await unseal(flow, browserNonce);
      if (!state || browserNonce === undefined) return { kind: 'error', error: aad.signInFlowInvalid() };
      if (form.action === 'cancel') return cancel(state.target);
      if (state.user) return codeStep({ ...state, user: state.user }, flow, form, sourceAddress);
      return passwordStep(state.target, browserNonce, form, sourceAddress);
    },
  };
}

export type SignInFlow = ReturnType<typeof createSignInFlow>;
