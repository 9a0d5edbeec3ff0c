/**
 * The Entra ID v2-compatible endpoints: OpenID discovery, the token endpoint, the signing keys and
 * v1 instance discovery. They sit outside ARM authentication and answer errors in Entra's shape
 * (not ARM's envelope), because MSAL and `@azure/identity` parse that shape.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { aadErrorBody } from '../../services/identity/aad-errors.js';
import { aadErrorOf } from '../plane-errors.js';
import type { Discovery } from '../../services/identity/discovery.js';
import type { TokenService } from '../../services/identity/token-service.js';
import type { DeviceCodes } from '../../services/identity/device-codes.js';
import type { AdfsTokens } from '../../services/identity/adfs.js';
import type { Clock } from '../../services/context.js';

export interface IdentityRoutesOptions {
  readonly tokens: TokenService;
  readonly discovery: Discovery;
  readonly clock: Clock;
  /** The device-code endpoint; without it the route answers 404 (tests of the token endpoint alone). */
  readonly devices?: DeviceCodes;
  readonly adfs: AdfsTokens;
}

const TAGS = ['Identity (Entra ID v2)'];
const TenantParams = Type.Object({ tenant: Type.String({ description: 'Tenant id (GUID), a domain of the tenant, or common/organizations.' }) });
const Strings = Type.Array(Type.String());

const TokenForm = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ description: "'client_credentials', 'password', 'authorization_code', 'refresh_token' or 'urn:ietf:params:oauth:grant-type:device_code'." })),
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String({ description: "Space-separated; one resource ending in '/.default', e.g. https://management.azure.com/.default." })),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
  },
  { additionalProperties: Type.String() },
);
const TokenResponseSchema = Type.Object({
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  ext_expires_in: Type.Integer(),
  access_token: Type.String(),
  scope: Type.Optional(Type.String()),
  id_token: Type.Optional(Type.String()),
  client_info: Type.Optional(Type.String()),
  refresh_token: Type.Optional(Type.String()),
});
const DeviceCodeForm = Type.Object({ client_id: Type.Optional(Type.String()), scope: Type.Optional(Type.String()) }, { additionalProperties: Type.String() });
const DeviceCodeResponseSchema = Type.Object({
  user_code: Type.String(),
  device_code: Type.String(),
  verification_uri: Type.String(),
  expires_in: Type.Integer(),
  interval: Type.Integer(),
  message: Type.String(),
});
const AadErrorSchema = Type.Object({
  error: Type.String(),
  error_description: Type.String(),
  error_codes: Type.Array(Type.Integer()),
  timestamp: Type.String(),
  trace_id: Type.String(),
  correlation_id: Type.String(),
  error_uri: Type.String(),
});
const OpenIdConfigurationSchema = Type.Object({
  issuer: Type.String(),
  token_endpoint: Type.String(),
  jwks_uri: Type.String(),
  authorization_endpoint: Type.String(),
  device_authorization_endpoint: Type.Optional(Type.String()),
  token_endpoint_auth_methods_supported: Strings,
  grant_types_supported: Strings,
  response_types_supported: Strings,
  response_modes_supported: Strings,
  code_challenge_methods_supported: Strings,
  scopes_supported: Strings,
  subject_types_supported: Strings,
  id_token_signing_alg_values_supported: Strings,
  claims_supported: Strings,
  request_uri_parameter_supported: Type.Boolean(),
  tenant_region_scope: Type.String(),
  cloud_instance_name: Type.String(),
  cloud_graph_host_name: Type.String(),
  msgraph_host: Type.String(),
});
const JwksSchema = Type.Object({
  keys: Type.Array(Type.Object({ kty: Type.String(), use: Type.String(), alg: Type.String(), kid: Type.String(), n: Type.String(), e: Type.String() })),
});
const InstanceDiscoverySchema = Type.Object({
  tenant_discovery_endpoint: Type.String(),
  'api-version': Type.String(),
  metadata: Type.Array(Type.Object({ preferred_network: Type.String(), preferred_cache: Type.String(), aliases: Strings })),
});
const errors = { 400: AadErrorSchema, 401: AadErrorSchema, 429: AadErrorSchema, 500: AadErrorSchema };

// Discovery documents may be cached for a day, as Entra allows; the key set only for a minute, well
// inside the delay between publishing a rotated key and signing with it; tokens never.
const METADATA_CACHE = 'max-age=86400, private';
const KEYS_CACHE = 'max-age=60, private';

/** Entra reads only form bodies; anything else is an empty form (and fails on its missing fields). */
export function acceptFormBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));
}

// A form endpoint's request without a body is an empty form, refused for its missing fields as Entra does.
function emptyForm(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  request.body ??= {};
  done();
}

// Tokens, device codes and errors are never cached.
function noStore(reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

/** The Entra ID v2 endpoints as a Fastify plugin; register it outside the ARM authentication scope. */
export const identityRoutes: FastifyPluginCallbackTypebox<IdentityRoutesOptions> = (app, { tokens, discovery, clock, devices, adfs }, done) => {
  acceptFormBodies(app);

  // Entra echoes the client's request id (MSAL sends one) on every answer and uses it as the correlation id.
  const correlationIdOf = (request: FastifyRequest): string => {
    const given = request.headers['client-request-id'];
    return typeof given === 'string' && /^[0-9a-zA-Z-]{1,64}$/.test(given) ? given : request.id;
  };
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('client-request-id', correlationIdOf(request));
  });

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const aadError = aadErrorOf(error);
    if (aadError.status >= 500) request.log.error({ err: error }, 'identity endpoint failed');
    noStore(reply);
    if (aadError.retryAfterSeconds !== undefined) void reply.header('retry-after', String(aadError.retryAfterSeconds));
    return reply.status(aadError.status).send(aadErrorBody(aadError, { now: clock.now(), traceId: request.id, correlationId: correlationIdOf(request) }));
  });

  app.get('/:tenant/v2.0/.well-known/openid-configuration', {
    schema: { tags: TAGS, summary: 'OpenID Connect discovery document of a tenant', params: TenantParams, response: { 200: OpenIdConfigurationSchema, ...errors } },
  }, async (request, reply) => {
    void reply.header('cache-control', METADATA_CACHE);
    return discovery.openIdConfiguration(request.params.tenant);
  });

  app.get('/:tenant/discovery/v2.0/keys', {
    schema: { tags: TAGS, summary: 'Token-signing keys (JWKS), including a rotated key before it signs', params: TenantParams, response: { 200: JwksSchema, ...errors } },
  }, async (request, reply) => {
    void reply.header('cache-control', KEYS_CACHE);
    return discovery.jwks(request.params.tenant);
  });

  app.post('/:tenant/oauth2/v2.0/token', {
    schema: {
      tags: TAGS,
      summary: 'Token endpoint: authorization_code (PKCE), refresh_token, device_code, client_credentials and password grants',
      consumes: ['application/x-www-form-urlencoded'],
      params: TenantParams,
      body: TokenForm,
      response: { 200: TokenResponseSchema, ...errors },
    },
    preValidation: emptyForm,
  }, async (request, reply) => {
    noStore(reply);
    // Smart lockout keys on the connection's address (Lantern trusts no forwarding header).
    return tokens.token(request.params.tenant, request.body, { sourceAddress: request.ip });
  });

  if (devices) {
    app.post('/:tenant/oauth2/v2.0/devicecode', {
      schema: {
        tags: TAGS,
        summary: 'Device authorization endpoint: a device code and the user code to enter on /devicelogin',
        consumes: ['application/x-www-form-urlencoded'],
        params: TenantParams,
        body: DeviceCodeForm,
        response: { 200: DeviceCodeResponseSchema, ...errors },
      },
      preValidation: emptyForm,
    }, async (request, reply) => {
      noStore(reply);
      return devices.start(request.params.tenant, request.body, { sourceAddress: request.ip });
    });
  }

  // The ADFS-style authority (services/identity/adfs.ts): the az CLI's Azure Stack Hub route.
  const ADFS_TAGS = ['Identity (ADFS-style authority)'];
  app.get('/adfs/.well-known/openid-configuration', {
    schema: { tags: ADFS_TAGS, summary: 'OpenID Connect discovery document of the ADFS-style authority', response: { 200: OpenIdConfigurationSchema, ...errors } },
  }, async (_request, reply) => {
    void reply.header('cache-control', METADATA_CACHE);
    return discovery.adfsConfiguration();
  });

  app.get('/adfs/discovery/keys', {
    schema: { tags: ADFS_TAGS, summary: 'Token-signing keys (JWKS) of the ADFS-style authority', response: { 200: JwksSchema, ...errors } },
  }, async (_request, reply) => {
    void reply.header('cache-control', KEYS_CACHE);
    return discovery.jwks('common');
  });

  app.post('/adfs/oauth2/token', {
    schema: {
      tags: ADFS_TAGS,
      summary: "Token endpoint of the ADFS-style authority: the tenant is the service principal's (client_credentials) or the user's UPN domain (password)",
      consumes: ['application/x-www-form-urlencoded'],
      body: TokenForm,
      response: { 200: TokenResponseSchema, ...errors },
    },
    preValidation: emptyForm,
  }, async (request, reply) => {
    noStore(reply);
    return adfs.token(request.body, { sourceAddress: request.ip });
  });

  app.get('/common/discovery/instance', {
    schema: {
      tags: TAGS,
      summary: 'Instance discovery (v1) for MSAL: which host serves an authority',
      querystring: Type.Object({ 'api-version': Type.Optional(Type.String()), authorization_endpoint: Type.Optional(Type.String()) }),
      response: { 200: InstanceDiscoverySchema, ...errors },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', METADATA_CACHE);
    return discovery.instanceDiscovery(request.query.authorization_endpoint);
  });
  done();
};
