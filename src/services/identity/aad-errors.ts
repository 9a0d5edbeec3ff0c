/**
 * Token-endpoint errors in Microsoft Entra ID's shape: an OAuth `error`, an `AADSTS` code and
 * Entra's own wording, so MSAL and `@azure/identity` surface the message users can search for.
 * These are not ARM errors; the token and discovery routes render them themselves.
 */

export type AadErrorName =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_resource'
  | 'invalid_tenant'
  | 'invalid_instance'
  | 'temporarily_unavailable'
  | 'server_error'
  // The authorization endpoint's answers sent back to the app (OpenID Connect §3.1.2.6):
  | 'unsupported_response_type'
  | 'login_required'
  | 'access_denied'
  // The device-code flow's polling answers (RFC 8628 §3.5):
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'authorization_declined';

export class AadError extends Error {
  readonly status: number;
  readonly error: AadErrorName;
  readonly code: number;
  /** Seconds after which a refused sign-in may be tried again (the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, error: AadErrorName, code: number, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'AadError';
    this.status = status;
    this.error = error;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The JSON body Entra returns with a failed token or discovery request. */
export interface AadErrorBody {
  readonly error: AadErrorName;
  readonly error_description: string;
  readonly error_codes: number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
}

/** Entra's timestamp form: `2026-11-21 05:32:35Z`. */
function aadTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** Renders an error as Entra does, the trace and correlation ids repeated inside the description. */
export function aadErrorBody(error: AadError, context: { readonly now: Date; readonly traceId: string; readonly correlationId: string }): AadErrorBody {
  const timestamp = aadTimestamp(context.now);
  return {
    error: error.error,
    error_description: `AADSTS${error.code}: ${error.message} Trace ID: ${context.traceId} Correlation ID: ${context.correlationId} Timestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: context.traceId,
    correlation_id: context.correlationId,
    // The AADSTS codes are Microsoft's, and so is the page that explains them.
    error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
  };
}

/** The errors the token service raises, one per AADSTS code, in Entra's words. */
export const aad = {
  missingParameter: (name: string) => new AadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrantType: (grantType: string) =>
    new AadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'. Lantern supports 'client_credentials', 'password', 'authorization_code', 'refresh_token' and 'urn:ietf:params:oauth:grant-type:device_code'.`),
  tenantNotFound: (tenant: string) =>
    new AadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
  noTenantInformation: () =>
    new AadError(400, 'invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.'),
  applicationNotFound: (clientId: string, tenant: string) =>
    new AadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  missingClientCredential: () =>
    new AadError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."),
  invalidClientSecret: (clientId: string) =>
    new AadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
  expiredClientSecret: (clientId: string) =>
    new AadError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired. Create a new client secret for the app, or consider using certificate credentials.`),
  userNotFound: (tenant: string) =>
    new AadError(400, 'invalid_grant', 50034, `The user account does not exist in the '${tenant}' directory. To sign into this application, the account must be added to the directory.`),
  /** Smart lockout (AADSTS50053): too many failed sign-ins for the account. */
  accountLocked: (credential: 'user ID or password' | 'client secret', seconds: number) =>
    new AadError(400, 'invalid_grant', 50053, `The account is locked, you've tried to sign in too many times with an incorrect ${credential}. Try again in ${seconds} seconds.`, seconds),
  /** Smart lockout (AADSTS50053) of a source address that failed to sign in to many accounts. */
  addressLocked: (seconds: number) =>
    new AadError(400, 'invalid_grant', 50053, `Sign-in was blocked because it came from an IP address with too many failed sign-ins. Try again in ${seconds} seconds.`, seconds),
  tooManySignIns: () =>
    new AadError(429, 'temporarily_unavailable', 50196, 'The server terminated an operation because there are too many sign-in requests from this IP address at once. Try again in 1 second.', 1),
  tooManyDeviceCodes: (seconds: number) =>
    new AadError(429, 'temporarily_unavailable', 50196, `The server terminated an operation because too many device codes were requested from this IP address. Try again in ${seconds} seconds.`, seconds),
  invalidCredentials: () => new AadError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.'),
  invalidScope: (scope: string) => new AadError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope '${scope}' is not valid.`),
  defaultScopeRequired: (scope: string) =>
    new AadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  multipleResources: (scope: string) =>
    new AadError(400, 'invalid_scope', 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`),
  resourceNotFound: (resource: string, tenant: string) =>
    new AadError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  // The interactive sign-in: authorization endpoint, codes, refresh tokens, device codes.
  redirectUriMismatch: (redirectUri: string, clientId: string) =>
    new AadError(400, 'invalid_request', 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application.`),
  unsupportedResponseType: (responseType: string) =>
    new AadError(400, 'unsupported_response_type', 700054, `The response_type '${responseType}' is not supported: Lantern's authorization endpoint answers response_type 'code' (authorization code with PKCE).`),
  invalidResponseMode: (mode: string) => new AadError(400, 'invalid_request', 900144, `The response_mode '${mode}' is not one of 'query', 'fragment', 'form_post'.`),
  pkceRequired: () =>
    new AadError(400, 'invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption: send code_challenge with code_challenge_method S256.'),
  invalidCodeChallenge: (detail: string) => new AadError(400, 'invalid_request', 501491, `Invalid size of Code_Challenge parameter or code_challenge_method: ${detail}`),
  loginRequired: () =>
    new AadError(400, 'login_required', 50058, "A silent sign-in request was sent but no user is signed in: prompt=none needs a signed-in session, and Lantern keeps none. Send the request without prompt=none."),
  userCancelled: () => new AadError(400, 'access_denied', 65004, 'User declined to consent to access the app.'),
  userNotInAppTenant: (clientId: string, tenantId: string) =>
    new AadError(400, 'invalid_request', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`),
  unknownCode: () => new AadError(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid."),
  codeRedeemed: () => new AadError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'),
  grantExpired: () => new AadError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  grantOfOtherClient: (what: string, clientId: string) => new AadError(400, 'invalid_grant', 70000, `The provided ${what} was issued to another application than '${clientId}'.`),
  grantOfOtherTenant: () => new AadError(400, 'invalid_grant', 700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.'),
  replyAddressMismatch: (given: string, expected: string) =>
    new AadError(400, 'invalid_grant', 500112, `The reply address '${given}' does not match the reply address '${expected}' provided when requesting Authorization code.`),
  codeVerifierMissing: () => new AadError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request: the request carries no code_verifier.'),
  codeVerifierMismatch: () => new AadError(400, 'invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.'),
  publicClientWithSecret: () => new AadError(401, 'invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."),
  confidentialClientWithoutSecret: () =>
    new AadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  unknownRefreshToken: () => new AadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid: the refresh_token is not one Lantern issued.'),
  refreshTokenRevoked: () =>
    new AadError(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password, or a refresh token was used again after it was replaced.'),
  authorizationPending: () => new AadError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.'),
  slowDown: (interval: number) => new AadError(400, 'slow_down', 70016, `The client polled the token endpoint sooner than the interval of ${interval} seconds: wait longer between requests.`),
  deviceCodeExpired: () => new AadError(400, 'expired_token', 70019, 'Verification code expired.'),
  deviceCodeDeclined: () => new AadError(400, 'authorization_declined', 65004, 'The end user denied the authorization request.'),
  unknownDeviceCode: () => new AadError(400, 'invalid_grant', 70000, "The provided value for the 'device_code' parameter is not valid."),
  badUserCode: () => new AadError(400, 'invalid_grant', 70018, "The code you entered isn't valid or has expired: check the code on your device, or start again there for a new one."),
  signInFlowInvalid: () =>
    new AadError(400, 'invalid_request', 90014, 'The sign-in form has expired or was not sent by this browser\'s sign-in page. Go back to the application and sign in again.'),
  wrongTotp: () => new AadError(400, 'invalid_grant', 500121, "Authentication failed during strong authentication request: the code isn't the authenticator app's current code. Enter the code the app shows now."),
  authenticatorLocked: () => new AadError(400, 'invalid_grant', 500121, 'Authentication failed during strong authentication request: too many wrong codes; the authenticator is locked for 15 minutes.'),
  unknownInstance: () => new AadError(400, 'invalid_instance', 50049, 'Unknown or invalid instance.'),
  /** A request Lantern cannot read (its HTTP status is the fault's: 400, 413, 431 …). */
  malformedRequest: (detail: string, status = 400) => new AadError(status, 'invalid_request', 90013, `Invalid input received from the user: ${detail}`),
  serverError: () => new AadError(500, 'server_error', 50000, 'There was an error issuing a token or an issue with our sign-in service.'),
};
