/**
 * Lantern's configuration: flags over environment variables over defaults, validated once at
 * start. A bad value stops the process with every problem listed, naming the variable or flag.
 */
import { resolve } from 'node:path';
import { DEFAULT_LOCKOUT, type LockoutPolicy } from '../core/identity/sign-in-lockout.js';

export interface LanternConfig {
  readonly dataDir: string;
  /** PostgreSQL URL; unset means SQLite at `{dataDir}/lantern.db`. */
  readonly databaseUrl: string | undefined;
  readonly host: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Base URL that tokens are issued for and links point to (the HTTPS listener by default). */
  readonly publicUrl: string;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** ARM-style throttling: requests per hour per principal and subscription (reads, writes, deletes). */
  readonly throttle: { readonly reads: number; readonly writes: number; readonly deletes: number };
  /** Smart lockout of the token endpoint (docs/operations.md). */
  readonly signInLockout: LockoutPolicy;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Let lead destinations and test leads reach private, loopback and link-local addresses (labs only). */
  readonly allowPrivateLeadEndpoints: boolean;
  /** Extra CA certificate (PEM file) trusted for HTTPS lead endpoints. */
  readonly leadCaFile: string | undefined;
  /** Where the CRM vendors of lead destinations live (labs point them at their own servers). */
  readonly leadEndpoints: { readonly entraAuthorityHost: string; readonly salesforceWebToLeadUrl: string; readonly marketoBaseUrl: string };
  /** Test knob (crash tests): a pause before each resource a deployment puts, so a test can kill the process mid-deployment. 0 in production. */
  readonly testDeploymentStepDelayMs: number;
}

interface Setting {
  readonly key: keyof Flat;
  readonly env: string;
  readonly flag: string;
  readonly description: string;
  readonly default?: string;
}

type Flat = {
  dataDir: string; databaseUrl: string; host: string; httpPort: string; httpsPort: string; publicUrl: string;
  tlsCertFile: string; tlsKeyFile: string; logLevel: string; throttleReads: string; throttleWrites: string; throttleDeletes: string;
  lockoutThreshold: string; lockoutAddressThreshold: string; lockoutSeconds: string;
  smtpUrl: string; mailFrom: string; allowPrivateLeadEndpoints: string; leadCaFile: string;
  leadEntraAuthority: string; leadSalesforceUrl: string; leadMarketoUrl: string; testDeploymentStepDelayMs: string;
};

/** Every setting, with the environment variable and flag that set it (the docs table is generated from the same list). */
export const SETTINGS: readonly Setting[] = [
  { key: 'dataDir', env: 'LANTERN_DATA_DIR', flag: '--data-dir', default: './.lantern', description: 'Directory for the SQLite database, TLS certificate and other state.' },
  { key: 'databaseUrl', env: 'DATABASE_URL', flag: '--database-url', description: 'PostgreSQL connection URL (postgres://…). Unset: embedded SQLite in the data directory.' },
  { key: 'host', env: 'LANTERN_HOST', flag: '--host', default: '127.0.0.1', description: 'Address the HTTP and HTTPS listeners bind to.' },
  { key: 'httpPort', env: 'LANTERN_HTTP_PORT', flag: '--http-port', default: '8080', description: 'HTTP port (0 picks a free port).' },
  { key: 'httpsPort', env: 'LANTERN_HTTPS_PORT', flag: '--https-port', default: '8443', description: 'HTTPS port (0 picks a free port); @azure/identity needs HTTPS.' },
  { key: 'publicUrl', env: 'LANTERN_PUBLIC_URL', flag: '--public-url', description: 'External base URL (token issuer, links). Default: https://localhost:{httpsPort}.' },
  { key: 'tlsCertFile', env: 'LANTERN_TLS_CERT', flag: '--tls-cert', description: 'PEM certificate to serve; unset: a self-signed one is generated into {dataDir}/tls.' },
  { key: 'tlsKeyFile', env: 'LANTERN_TLS_KEY', flag: '--tls-key', description: 'PEM private key for --tls-cert.' },
  { key: 'logLevel', env: 'LANTERN_LOG_LEVEL', flag: '--log-level', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent.' },
  { key: 'throttleReads', env: 'LANTERN_THROTTLE_READS', flag: '--throttle-reads', default: '12000', description: 'Reads per hour per principal and subscription (ARM: 12,000).' },
  { key: 'throttleWrites', env: 'LANTERN_THROTTLE_WRITES', flag: '--throttle-writes', default: '1200', description: 'Writes per hour per principal and subscription (ARM: 1,200).' },
  { key: 'throttleDeletes', env: 'LANTERN_THROTTLE_DELETES', flag: '--throttle-deletes', default: '15000', description: 'Deletes per hour per principal and subscription (ARM: 15,000).' },
  { key: 'lockoutThreshold', env: 'LANTERN_LOCKOUT_THRESHOLD', flag: '--lockout-threshold', default: String(DEFAULT_LOCKOUT.threshold), description: 'Failed sign-ins that lock an account (a user name or a client id), counted apart for its familiar and other addresses (Entra: 10).' },
  { key: 'lockoutAddressThreshold', env: 'LANTERN_LOCKOUT_ADDRESS_THRESHOLD', flag: '--lockout-address-threshold', default: String(DEFAULT_LOCKOUT.addressThreshold), description: 'Failed sign-ins from one IP address, whatever the accounts, that lock the address.' },
  { key: 'lockoutSeconds', env: 'LANTERN_LOCKOUT_SECONDS', flag: '--lockout-seconds', default: String(DEFAULT_LOCKOUT.lockoutMs / 1000), description: 'How long failed sign-ins count and how long a lock lasts (Entra: 60).' },
  { key: 'smtpUrl', env: 'LANTERN_SMTP_URL', flag: '--smtp-url', description: 'SMTP server for notifications (smtp://host:port). Unset: e-mail is not sent, the action center still is.' },
  { key: 'mailFrom', env: 'LANTERN_MAIL_FROM', flag: '--mail-from', default: 'Lantern <no-reply@lantern.localhost>', description: 'Sender of notification e-mail.' },
  { key: 'allowPrivateLeadEndpoints', env: 'LANTERN_ALLOW_PRIVATE_LEAD_ENDPOINTS', flag: '--allow-private-lead-endpoints', default: 'false', description: 'true lets lead destinations reach private, loopback and link-local addresses (labs only).' },
  { key: 'leadCaFile', env: 'LANTERN_LEAD_CA_FILE', flag: '--lead-ca-file', description: 'Extra CA certificate (PEM) trusted for HTTPS lead endpoints.' },
  { key: 'leadEntraAuthority', env: 'LANTERN_LEAD_ENTRA_AUTHORITY', flag: '--lead-entra-authority', default: 'https://login.microsoftonline.com', description: 'Entra ID authority host for Dynamics 365 lead destinations ({host}/{directoryId}/oauth2/v2.0/token).' },
  { key: 'leadSalesforceUrl', env: 'LANTERN_LEAD_SALESFORCE_URL', flag: '--lead-salesforce-url', default: 'https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8', description: 'Salesforce Web-to-Lead URL for Salesforce lead destinations.' },
  { key: 'leadMarketoUrl', env: 'LANTERN_LEAD_MARKETO_URL', flag: '--lead-marketo-url', default: 'https://{munchkinId}.mktorest.com', description: 'Marketo REST base URL for Marketo lead destinations; {munchkinId} is the destination\'s Munchkin ID.' },
  { key: 'testDeploymentStepDelayMs', env: 'LANTERN_TEST_DEPLOYMENT_STEP_DELAY_MS', flag: '--test-deployment-step-delay-ms', default: '0', description: 'Test knob, never for production: pause this many milliseconds before each resource a deployment puts (crash tests kill the server mid-deployment).' },
];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `--flag value` / `--flag=value` pairs; unknown flags are reported, not ignored. */
function readFlags(argv: readonly string[], problems: string[]): Partial<Record<keyof Flat, string>> {
  const out: Partial<Record<keyof Flat, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const setting = SETTINGS.find((s) => s.flag === name);
    if (!setting) {
      problems.push(`unknown option ${name}`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) problems.push(`${name} needs a value`);
    else out[setting.key] = value;
  }
  return out;
}

function port(value: string, source: string, problems: string[]): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) problems.push(`${source} must be a whole number from 0 to 65535 (got '${value}')`);
  return n;
}

function positive(value: string, source: string, problems: string[]): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) problems.push(`${source} must be a whole number of at least 1 (got '${value}')`);
  return n;
}

/** Builds the configuration from flags and environment; throws ConfigError listing every bad value. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): LanternConfig {
  const problems: string[] = [];
  const flags = readFlags(argv, problems);
  const raw = {} as Record<keyof Flat, string | undefined>;
  const source = {} as Record<keyof Flat, string>;
  for (const s of SETTINGS) {
    const fromFlag = flags[s.key];
    const fromEnv = env[s.env];
    raw[s.key] = fromFlag ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : s.default);
    source[s.key] = fromFlag !== undefined ? s.flag : s.env;
  }
  const httpPort = port(raw.httpPort as string, source.httpPort, problems);
  const httpsPort = port(raw.httpsPort as string, source.httpsPort, problems);
  const databaseUrl = raw.databaseUrl;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`${source.databaseUrl} must be a PostgreSQL URL starting with postgres:// or postgresql:// (got '${databaseUrl.replace(/\/\/[^@]*@/, '//***@')}')`);
  }
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const logLevel = levels.find((l) => l === raw.logLevel);
  if (!logLevel) problems.push(`${source.logLevel} must be one of ${levels.join(', ')} (got '${raw.logLevel}')`);
  if ((raw.tlsCertFile === undefined) !== (raw.tlsKeyFile === undefined)) {
    problems.push(`${SETTINGS.find((s) => s.key === 'tlsCertFile')?.env} and ${SETTINGS.find((s) => s.key === 'tlsKeyFile')?.env} must be given together`);
  }
  let publicUrl = raw.publicUrl ?? `https://localhost:${httpsPort}`;
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
    publicUrl = publicUrl.replace(/\/+$/, '');
  } catch {
    problems.push(`${source.publicUrl} must be an absolute http(s) URL (got '${publicUrl}')`);
  }
  if (raw.smtpUrl !== undefined && !/^smtps?:\/\//.test(raw.smtpUrl)) problems.push(`${source.smtpUrl} must start with smtp:// or smtps:// (got '${raw.smtpUrl}')`);
  const throttle = {
    reads: positive(raw.throttleReads as string, source.throttleReads, problems),
    writes: positive(raw.throttleWrites as string, source.throttleWrites, problems),
    deletes: positive(raw.throttleDeletes as string, source.throttleDeletes, problems),
  };
  const lockoutMs = positive(raw.lockoutSeconds as string, source.lockoutSeconds, problems) * 1000;
  const signInLockout: LockoutPolicy = {
    ...DEFAULT_LOCKOUT,
    threshold: positive(raw.lockoutThreshold as string, source.lockoutThreshold, problems),
    addressThreshold: positive(raw.lockoutAddressThreshold as string, source.lockoutAddressThreshold, problems),
    windowMs: lockoutMs,
    lockoutMs,
  };
  const allowPrivate = raw.allowPrivateLeadEndpoints as string;
  if (allowPrivate !== 'true' && allowPrivate !== 'false') problems.push(`${source.allowPrivateLeadEndpoints} must be true or false (got '${allowPrivate}')`);
  for (const key of ['leadEntraAuthority', 'leadSalesforceUrl', 'leadMarketoUrl'] as const) {
    const value = (raw[key] as string).replace('{munchkinId}', 'munchkin');
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) problems.push(`${source[key]} must be an absolute http(s) URL (got '${raw[key]}')`);
  }
  const stepDelay = Number(raw.testDeploymentStepDelayMs);
  if (!/^\d+$/.test(raw.testDeploymentStepDelayMs as string) || stepDelay > 60_000) problems.push(`${source.testDeploymentStepDelayMs} must be a whole number of milliseconds from 0 to 60000 (got '${raw.testDeploymentStepDelayMs}')`);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    dataDir: resolve(raw.dataDir as string),
    databaseUrl,
    host: raw.host as string,
    httpPort,
    httpsPort,
    publicUrl,
    tlsCertFile: raw.tlsCertFile,
    tlsKeyFile: raw.tlsKeyFile,
    logLevel: logLevel ?? 'info',
    throttle: Object.freeze(throttle),
    signInLockout: Object.freeze(signInLockout),
    smtpUrl: raw.smtpUrl,
    mailFrom: raw.mailFrom as string,
    allowPrivateLeadEndpoints: allowPrivate === 'true',
    leadCaFile: raw.leadCaFile,
    leadEndpoints: Object.freeze({
      entraAuthorityHost: (raw.leadEntraAuthority as string).replace(/\/+$/, ''),
      salesforceWebToLeadUrl: raw.leadSalesforceUrl as string,
      marketoBaseUrl: raw.leadMarketoUrl as string,
    }),
    testDeploymentStepDelayMs: stepDelay,
  });
}
