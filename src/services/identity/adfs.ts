/**
 * The ADFS-style authority (`{base}/adfs`) that Azure Stack Hub's disconnected clouds use: MSAL and
 * the az CLI skip instance discovery for it (no call to login.microsoftonline.com) and send token
 * requests to `{base}/adfs/oauth2/token` with no tenant in the path. The tenant is then the one the
 * credentials belong to, found in the directory, never taken from the request.
 */
import { aad } from './aad-errors.js';
import type { DirectoryService } from './directory-service.js';
import type { SignInOptions, TokenRequest, TokenResponse, TokenService } from './token-service.js';

export type AdfsTokens = ReturnType<typeof createAdfsTokens>;

/** Token requests through the ADFS authority, answered by the tenant's own token service. */
export function createAdfsTokens({ directory, tokens }: { readonly directory: DirectoryService; readonly tokens: TokenService }) {
  /** The `{tenant}` the request stands for: the service principal's tenant, or the user's UPN domain ('organizations'). */
  async function tenantSegment(form: TokenRequest): Promise<string> {
    if (form.grant_type !== 'client_credentials' || form.client_id === undefined) return 'organizations';
    const servicePrincipal = await directory.findServicePrincipalByAppId(form.client_id);
    if (!servicePrincipal) throw aad.applicationNotFound(form.client_id, 'adfs');
    return servicePrincipal.tenantId;
  }

  return {
    /** `POST /adfs/oauth2/token`: the grants of the Entra v2 token endpoint, tenant found from the credentials. */
    async token(form: TokenRequest, signIn: SignInOptions = {}): Promise<TokenResponse> {
      return tokens.token(await tenantSegment(form), form, signIn);
    },
  };
}
