/**
 * The metadata documents MSAL and `@azure/identity` read before asking for a token: OpenID
 * discovery per tenant, the signing keys, and the v1 instance-discovery document, all pointing at
 * Lantern's base URL.
 */
import { aad } from './aad-errors.js';
import type { DirectoryService } from './directory-service.js';
import type { PublicJwk, SigningKeyRing } from './signing-keys.js';

export interface DiscoveryOptions {
  readonly directory: DirectoryService;
  readonly keys: SigningKeyRing;
  readonly baseUrl: string;
}

/** The subset of Entra's v2 OpenID configuration that clients use, with Lantern's endpoints. */
export interface OpenIdConfiguration {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly authorization_endpoint: string;
  /** Absent from the ADFS-style authority, which serves service principals and passwords only. */
  readonly device_authorization_endpoint?: string;
  readonly token_endpoint_auth_methods_supported: string[];
  readonly grant_types_supported: string[];
  readonly response_types_supported: string[];
  readonly response_modes_supported: string[];
  readonly code_challenge_methods_supported: string[];
  readonly scopes_supported: string[];
  readonly subject_types_supported: string[];
  readonly id_token_signing_alg_values_supported: string[];
  readonly claims_supported: string[];
  readonly request_uri_parameter_supported: boolean;
  readonly tenant_region_scope: string;
  readonly cloud_instance_name: string;
  readonly cloud_graph_host_name: string;
  readonly msgraph_host: string;
}

/** The `/common/discovery/instance` answer: which host serves a given authority. */
export interface InstanceDiscovery {
  readonly tenant_discovery_endpoint: string;
  readonly 'api-version': string;
  readonly metadata: { preferred_network: string; preferred_cache: string; aliases: string[] }[];
}

export type Discovery = ReturnType<typeof createDiscovery>;

const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations']);

// What every authority's configuration says alike (grants, claims, algorithms).
const COMMON_CONFIGURATION = {
  token_endpoint_auth_methods_supported: ['client_secret_post'],
  grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'client_credentials', 'password'],
  response_types_supported: ['code'],
  response_modes_supported: ['query', 'fragment', 'form_post'],
  code_challenge_methods_supported: ['S256', 'plain'],
  scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  subject_types_supported: ['pairwise'],
  id_token_signing_alg_values_supported: ['RS256'],
  claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'oid', 'tid', 'preferred_username', 'upn', 'ver', 'nonce', 'amr'],
  request_uri_parameter_supported: false,
  tenant_region_scope: 'WW',
};

/** Creates the discovery documents' source. */
export function createDiscovery({ directory, keys, baseUrl }: DiscoveryOptions) {
  const base = baseUrl.replace(/\/+$/, '');
  const host = new URL(base).host;

  /** The tenant id a `{tenant}` segment stands for, or `{tenantid}` for common/organizations (Entra's placeholder). */
  async function tenantSegment(segment: string): Promise<{ path: string; issuerTenant: string }> {
    if (MULTI_TENANT_SEGMENTS.has(segment.toLowerCase())) return { path: segment.toLowerCase(), issuerTenant: '{tenantid}' };
    const tenant = await directory.resolveTenant(segment);
    if (!tenant) throw aad.tenantNotFound(segment);
    return { path: tenant.id, issuerTenant: tenant.id };
  }

  return {
    /** `/{tenant}/v2.0/.well-known/openid-configuration`; endpoints name the tenant by id, as Entra's do. */
    async openIdConfiguration(segment: string): Promise<OpenIdConfiguration> {
      const { path, issuerTenant } = await tenantSegment(segment);
      return {
        issuer: `${base}/${issuerTenant}/v2.0`,
        token_endpoint: `${base}/${path}/oauth2/v2.0/token`,
        jwks_uri: `${base}/${path}/discovery/v2.0/keys`,
        authorization_endpoint: `${base}/${path}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/${path}/oauth2/v2.0/devicecode`,
        ...COMMON_CONFIGURATION,
        cloud_instance_name: host,
        cloud_graph_host_name: host,
        msgraph_host: host,
      };
    },

    /**
     * `/adfs/.well-known/openid-configuration`: the ADFS-style authority (no tenant in its paths).
     * Its tokens are the tenants' own, with their v2 issuers; the issuer here names the authority.
     */
    adfsConfiguration(): OpenIdConfiguration {
      return {
        ...COMMON_CONFIGURATION,
        grant_types_supported: ['client_credentials', 'password'],
        issuer: `${base}/adfs`,
        token_endpoint: `${base}/adfs/oauth2/token`,
        jwks_uri: `${base}/adfs/discovery/keys`,
        authorization_endpoint: `${base}/adfs/oauth2/authorize`,
        cloud_instance_name: host,
        cloud_graph_host_name: host,
        msgraph_host: host,
      };
    },

    /** `/{tenant}/discovery/v2.0/keys`: the published signing keys (one set for every tenant, as in Entra). */
    async jwks(segment: string): Promise<{ keys: PublicJwk[] }> {
      await tenantSegment(segment);
      return keys.jwks();
    },

    /** `/common/discovery/instance`: Lantern answers for authorities on its own host only. */
    instanceDiscovery(authorizationEndpoint: string | undefined): InstanceDiscovery {
      let tenant = 'common';
      if (authorizationEndpoint !== undefined) {
        let url: URL;
        try {
          url = new URL(authorizationEndpoint);
        } catch {
          throw aad.unknownInstance();
        }
        if (url.host.toLowerCase() !== host.toLowerCase()) throw aad.unknownInstance();
        tenant = url.pathname.split('/').find((part) => part !== '') ?? 'common';
      }
      return {
        tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      };
    },
  };
}
