/**
 * The device-code flow (RFC 8628 as Entra speaks it): `/{tenant}/oauth2/v2.0/devicecode` hands a
 * device a `device_code` and the user a short `user_code`; the user enters it on `/devicelogin`
 * and signs in (or cancels) while the device polls the token endpoint, which answers
 * `authorization_pending`, `slow_down`, `authorization_declined`, `expired_token` or the tokens (once).
 */
import { randomInt } from 'node:crypto';
import { normalizeGuid } from '../../core/guid.js';
import type { Tenant, User } from '../../core/identity/model.js';
import type { Store } from '../../storage/port.js';
import type { Clock } from '../context.js';
import { aad } from './aad-errors.js';
import type { DirectoryService } from './directory-service.js';
import type { InteractiveGrants } from './interactive-grants.js';
import { expiredSweep } from './expired-sweep.js';
import { createHourlyBuckets } from '../hourly-buckets.js';
import { newOpaqueToken, opaqueTokenHash } from './opaque-tokens.js';
import { required, type SignInOptions, type TokenRequest, type TokenResponse, type TokenService } from './token-service.js';

const DEVICE_CODES = 'identity.deviceCodes';
const USER_CODES = 'identity.userCodes';
const LIFETIME_SECONDS = 900;
// Letters and digits nobody mistakes for one another (no vowels: no words; no 0/O, 1/I).
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ23456789';
const USER_CODE_LENGTH = 9;
// Device codes one source address may ask for per hour: each is stored until it has expired, so an
// unbounded stream of them from anyone who can reach the endpoint would fill the database.
const DEVICE_CODES_PER_ADDRESS_PER_HOUR = 120;
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The device-code endpoint's answer, as Entra's v2 endpoint sends it. */
export interface DeviceCodeResponse {
  readonly user_code: string;
  readonly device_code: string;
  readonly verification_uri: string;
  readonly expires_in: number;
  readonly interval: number;
  readonly message: string;
}

interface StoredDeviceCode {
  readonly id: string;
  readonly userCode: string;
  readonly segment: string;
  /** The tenant the request named; undefined for common/organizations. */
  readonly tenantId?: string;
  readonly clientId: string;
  readonly appName: string;
  readonly appTenantId?: string;
  readonly publicClient: boolean;
  readonly scope: string;
  readonly expiresAt: string;
  readonly lastPolledAt?: string;
  readonly status: 'pending' | 'approved' | 'declined' | 'redeemed';
  readonly userId?: string;
  readonly userTenantId?: string;
  readonly amr?: readonly string[];
}

/** A pending device sign-in as the /devicelogin page shows it. */
export interface PendingDeviceSignIn {
  readonly userCode: string;
  readonly segment: string;
  readonly tenantId?: string;
  readonly appName: string;
  readonly appTenantId?: string;
}

export interface DeviceCodesOptions {
  readonly store: Store;
  readonly directory: DirectoryService;
  readonly tokens: TokenService;
  readonly grants: InteractiveGrants;
  readonly clock: Clock;
  readonly baseUrl: string;
  /** Seconds a device waits between polls; default 5, as Entra. */
  readonly intervalSeconds?: number;
  /** Device codes per source address per hour; default 120. */
  readonly perAddressPerHour?: number;
}

function newUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

const normalizeUserCode = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();

/** Creates the device-code flow and registers its grant with the token service. */
export function createDeviceCodes({ store, directory, tokens, grants, clock, baseUrl, intervalSeconds = 5, perAddressPerHour = DEVICE_CODES_PER_ADDRESS_PER_HOUR }: DeviceCodesOptions) {
  const requests = createHourlyBuckets(clock);
  const verificationUri = `${baseUrl.replace(/\/+$/, '')}/devicelogin`;
  const sweep = expiredSweep(store, clock, [DEVICE_CODES, USER_CODES]);
  const expired = (d: StoredDeviceCode) => new Date(d.expiresAt).getTime() <= clock.now().getTime();

  async function pendingByUserCode(userCode: string): Promise<StoredDeviceCode | undefined> {
    const link = await store.documents.get<{ deviceId: string }>(USER_CODES, normalizeUserCode(userCode));
    const device = link ? await store.documents.get<StoredDeviceCode>(DEVICE_CODES, link.deviceId) : undefined;
    return device && device.status === 'pending' && !expired(device) ? device : undefined;
  }

  /** Settles a pending device sign-in (the user signed in, or cancelled); false when it is no longer pending. */
  async function settle(userCode: string, outcome: Pick<StoredDeviceCode, 'status' | 'userId' | 'userTenantId' | 'amr'>): Promise<boolean> {
    return store.transaction(async (tx) => {
      const link = await tx.documents.get<{ deviceId: string }>(USER_CODES, normalizeUserCode(userCode));
      const device = link ? await tx.documents.get<StoredDeviceCode>(DEVICE_CODES, link.deviceId) : undefined;
      if (!device || device.status !== 'pending' || expired(device)) return false;
      await tx.documents.put(DEVICE_CODES, device.id, 'device', { ...device, ...outcome });
      await tx.documents.delete(USER_CODES, device.userCode);
      return true;
    });
  }

  /** `grant_type=urn:ietf:params:oauth:grant-type:device_code`. */
  async function poll(segment: string, form: TokenRequest, { sourceAddress }: SignInOptions): Promise<TokenResponse> {
    const clientId = required(form, 'client_id');
    const id = opaqueTokenHash(required(form, 'device_code'));
    const peek = await store.documents.get<StoredDeviceCode>(DEVICE_CODES, id);
    if (!peek || peek.clientId !== normalizeGuid(clientId)) throw aad.unknownDeviceCode();
    const tenant = await tokens.tenantOfSegment(segment);
    if (tenant && peek.tenantId !== undefined && tenant.id !== peek.tenantId) throw aad.grantOfOtherTenant();
    const secret = form.client_secret;
    if (secret !== undefined && secret !== '') {
      if (peek.appTenantId === undefined) throw aad.publicClientWithSecret();
      await tokens.authenticateClient(peek.appTenantId, peek.clientId, secret, sourceAddress);
    } else if (!peek.publicClient) {
      throw aad.confidentialClientWithoutSecret();
    }
    const outcome = await store.transaction(async (tx) => {
      const device = await tx.documents.get<StoredDeviceCode>(DEVICE_CODES, id);
      if (!device || device.status === 'redeemed') throw aad.unknownDeviceCode();
      if (device.status === 'declined') throw aad.deviceCodeDeclined();
      if (expired(device)) throw aad.deviceCodeExpired();
      const now = clock.now();
      if (device.status === 'pending') {
        const tooSoon = device.lastPolledAt !== undefined && now.getTime() - new Date(device.lastPolledAt).getTime() < intervalSeconds * 1000;
        await tx.documents.put(DEVICE_CODES, id, 'device', { ...device, lastPolledAt: now.toISOString() });
        return tooSoon ? 'slow_down' as const : 'pending' as const;
      }
      await tx.documents.put(DEVICE_CODES, id, 'device', { ...device, status: 'redeemed' });
      return device;
    });
    if (outcome === 'slow_down') throw aad.slowDown(intervalSeconds);
    if (outcome === 'pending') throw aad.authorizationPending();
    return grants.issueWithoutCode({
      clientId: outcome.clientId, platform: 'device', tenantId: outcome.userTenantId!, userId: outcome.userId!, scope: outcome.scope, amr: outcome.amr ?? ['pwd'],
    });
  }

  tokens.registerGrant(DEVICE_CODE_GRANT, poll);
  // Entra takes the short name too, and MSAL sends it.
  tokens.registerGrant('device_code', poll);

  return {
    /** `POST /{tenant}/oauth2/v2.0/devicecode`: a new device code for `client_id` and `scope`; throws AadError. */
    async start(segment: string, form: TokenRequest, { sourceAddress }: Pick<SignInOptions, 'sourceAddress'> = {}): Promise<DeviceCodeResponse> {
      if (sourceAddress !== undefined) {
        const taken = requests.take(sourceAddress, perAddressPerHour);
        if (!taken.allowed) throw aad.tooManyDeviceCodes(taken.retryAfterSeconds);
      }
      const clientId = required(form, 'client_id');
      const scope = required(form, 'scope');
      const tenant = await tokens.tenantOfSegment(segment);
      const app = await directory.findServicePrincipalByAppId(clientId);
      const firstParty = tokens.firstPartyClientName(clientId);
      if (!app && firstParty === undefined) throw aad.applicationNotFound(clientId, tenant?.id ?? segment);
      if (app && tenant && normalizeGuid(app.tenantId) !== tenant.id) throw aad.applicationNotFound(clientId, tenant.id);
      tokens.audienceOf(scope, tenant?.id ?? segment);
      const deviceCode = newOpaqueToken();
      const stored: StoredDeviceCode = {
        id: opaqueTokenHash(deviceCode), userCode: newUserCode(), segment, clientId: normalizeGuid(clientId),
        appName: app?.displayName ?? firstParty ?? clientId, publicClient: app ? app.isFallbackPublicClient === true : true, scope,
        expiresAt: new Date(clock.now().getTime() + LIFETIME_SECONDS * 1000).toISOString(), status: 'pending',
        ...(tenant ? { tenantId: tenant.id } : {}), ...(app ? { appTenantId: normalizeGuid(app.tenantId) } : {}),
      };
      await sweep();
      await store.transaction(async (tx) => {
        await tx.documents.put(DEVICE_CODES, stored.id, 'device', stored);
        await tx.documents.put(USER_CODES, stored.userCode, 'device', { deviceId: stored.id, expiresAt: stored.expiresAt });
      });
      return {
        user_code: stored.userCode, device_code: deviceCode, verification_uri: verificationUri, expires_in: LIFETIME_SECONDS, interval: intervalSeconds,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${stored.userCode} to authenticate.`,
      };
    },

    /** The pending sign-in a user code names, or undefined (unknown, expired or already used). */
    async pending(userCode: string): Promise<PendingDeviceSignIn | undefined> {
      const device = await pendingByUserCode(userCode);
      if (!device) return undefined;
      return {
        userCode: device.userCode, segment: device.segment, appName: device.appName,
        ...(device.tenantId === undefined ? {} : { tenantId: device.tenantId }), ...(device.appTenantId === undefined ? {} : { appTenantId: device.appTenantId }),
      };
    },

    /** The user signed in on /devicelogin: the device's next poll gets the tokens. */
    approve: (userCode: string, tenant: Tenant, user: User, amr: readonly string[]): Promise<boolean> =>
      settle(userCode, { status: 'approved', userId: normalizeGuid(user.id), userTenantId: tenant.id, amr }),

    /** The user cancelled on /devicelogin: the device's next poll gets `authorization_declined`. */
    decline: (userCode: string): Promise<boolean> => settle(userCode, { status: 'declined' }),
  };
}

export type DeviceCodes = ReturnType<typeof createDeviceCodes>;
