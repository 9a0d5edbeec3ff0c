/**
 * ARM's cloud metadata (`GET /metadata/endpoints`), the document `az cloud register
 * --endpoint-resource-manager` and Azure PowerShell's `Add-AzEnvironment -ARMEndpoint` read to
 * configure a cloud that is not Azure, as Azure Stack Hub serves it. api-version 2015-01-01 is Azure
 * Stack Hub's single object; 2019-05-01 and later are Azure's list of clouds (here: one, Lantern).
 * The login endpoint is the ADFS-style authority (`{base}/adfs`), for which MSAL does no instance
 * discovery against login.microsoftonline.com.
 */
import { invalid } from '../errors.js';
import { missingApiVersion } from './api-versions.js';

/** The versions ARM serves the metadata at, newest first. */
export const CLOUD_METADATA_API_VERSIONS = ['2022-09-01', '2020-06-01', '2019-05-01', '2015-01-01'] as const;

/** Tokens for either audience are accepted; the first is the one clients ask for. */
export const ARM_AUDIENCE = 'https://management.azure.com/';

export interface StackMetadata {
  readonly galleryEndpoint: string;
  readonly graphEndpoint: string;
  readonly portalEndpoint: string;
  readonly authentication: { readonly loginEndpoint: string; readonly audiences: string[] };
}

export interface CloudMetadata {
  readonly name: string;
  readonly portal: string;
  readonly resourceManager: string;
  readonly gallery: string;
  readonly graph: string;
  readonly graphAudience: string;
  readonly authentication: { readonly loginEndpoint: string; readonly audiences: string[]; readonly tenant: string; readonly identityProvider: string };
  readonly suffixes: Record<string, string>;
}

/** The metadata document of the cloud whose ARM endpoint and authority is `baseUrl`, in the shape of `apiVersion`. */
export function cloudMetadata(baseUrl: string, apiVersion: string | undefined): StackMetadata | CloudMetadata[] {
  if (apiVersion === undefined || apiVersion === '') throw missingApiVersion();
  if (!(CLOUD_METADATA_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw invalid('InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${CLOUD_METADATA_API_VERSIONS.join(',')}'.`, 'api-version');
  }
  const base = `${baseUrl.replace(/\/+$/, '')}/`;
  const loginEndpoint = `${base}adfs`;
  const audiences = [ARM_AUDIENCE, base];
  // Lantern serves no Graph API or gallery; its own URL stands in where clients require a value.
  if (apiVersion === '2015-01-01') return { galleryEndpoint: base, graphEndpoint: base, portalEndpoint: base, authentication: { loginEndpoint, audiences } };
  return [{
    name: 'Lantern',
    portal: base,
    resourceManager: base,
    gallery: base,
    graph: base,
    graphAudience: base,
    authentication: { loginEndpoint, audiences, tenant: 'adfs', identityProvider: 'ADFS' },
    suffixes: {},
  }];
}
