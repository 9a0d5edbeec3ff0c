/**
 * `lantern offer …`: offer as code. `validate` is offline (the pure core, the portal's messages);
 * `push`, `publish`, `export` and `template` talk to a running Lantern with a client-credentials
 * token from Lantern's own token endpoint (flags or LANTERN_URL, LANTERN_TENANT, LANTERN_CLIENT_ID,
 * LANTERN_CLIENT_SECRET, LANTERN_PUBLISHER).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { exampleOffer } from '../core/marketplace/example-offer.js';
import { fromIngestionResources, toIngestionResources } from '../core/marketplace/ingestion.js';
import { validateOffer } from '../core/marketplace/validate-offer.js';
import type { Violation } from '../core/marketplace/rules.js';
import { findBuiltinRole } from '../core/roles/builtin-catalog.js';
import { DEMO_IDS } from '../services/demo/demo-ids.js';
import { CliError, describeFailure, UsageError } from './cli-errors.js';
import { parseArgs, type ParsedArgs as Parsed } from './cli-args.js';
import { CONNECTION_FLAGS, LanternClient } from './lantern-client.js';
import { readDataFile } from './input-files.js';

export const OFFER_USAGE = `Usage:
  lantern offer init [FILE] [--force]                        Write the demo world's complete example offer (default contoso-offer.json) and its images.
  lantern offer validate FILE [--publisher ID] [--json]      Check an offer file (JSON or YAML) offline. Exit 0 ok, 1 violations, 2 usage.
  lantern offer push FILE                                     Send the file to Lantern's configure API and wait for the job.
  lantern offer publish OFFER_ID --target preview|live        Publish and follow the pipeline until it stops.
  lantern offer export OFFER_ID [--target draft|preview|live] Print the offer as a configure request (push reads it back).
  lantern offer template OFFER_ID --plan PLAN [--version V] [--out-dir DIR | --part template|parameters]
                                                              The ARM template + parameters onboarding a customer to the plan:
                                                              files in DIR, one deployable part on stdout, or both as one JSON.
Connection (push, publish, export, template): --url URL --tenant ID --client-id ID --client-secret SECRET [--publisher ID]
  or LANTERN_URL, LANTERN_TENANT, LANTERN_CLIENT_ID, LANTERN_CLIENT_SECRET, LANTERN_PUBLISHER.
`;

const VALUE_FLAGS = [...CONNECTION_FLAGS, '--publisher', '--target', '--plan', '--version', '--out-dir', '--part', '--interval'];
const SWITCHES = ['--json', '--force'];
const DEFAULT_OFFER_FILE = 'contoso-offer.json';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** Image references that are plain paths are files next to the offer file. */
function assetFile(file: string, url: string): string | undefined {
  if (/^(data|https?):/i.test(url)) return undefined;
  const path = isAbsolute(url) ? url : resolve(dirname(file), url);
  return existsSync(path) ? path : undefined;
}

/** Replaces file-path image urls by data URLs, so the server receives the bytes. */
function inlineAssets(file: string, body: unknown): unknown {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    if (key === 'url' && typeof v === 'string') {
      const path = assetFile(file, v);
      if (path !== undefined) return `data:image/png;base64,${readFileSync(path).toString('base64')}`;
    }
    return v;
  };
  return walk(body);
}

function violationLine(v: Violation): string {
  return `${v.severity === 'error' ? 'error' : 'warning'} [${v.section}] ${v.field}: ${v.message} (${v.rule})`;
}


// An offer file that is missing, unreadable or not JSON/YAML is a usage error of the offer commands (exit 2, docs/offer-as-code.md).
function readOfferFile(file: string): unknown {
  try {
    return readDataFile(file);
  } catch (error) {
    throw error instanceof CliError ? new CliError(error.message, 2) : error;
  }
}

/**
 * The example offer as a configure body for the demo world (its tenant and groups; leads to no
 * destination, so a submission's test lead needs no CRM), its images as files beside it.
 */
function init(p: Parsed, io: CliIo): number {
  if (p.positionals.length > 1) throw new UsageError('offer init takes at most one FILE');
  const file = p.positionals[0] ?? DEFAULT_OFFER_FILE;
  const offer = exampleOffer({
    tenantId: DEMO_IDS.contosoTenant,
    l2Engineers: DEMO_IDS.contosoL2Engineers,
    l1Support: DEMO_IDS.contosoL1Support,
    offboarding: DEMO_IDS.contosoOffboarding,
    previewSubscription: DEMO_IDS.fabrikamProduction,
    customerLeads: { type: 'none' },
  });
  const images = new Map<string, Uint8Array>();
  // Each data URL becomes the file it names, read back by validate and push.
  const body = JSON.parse(JSON.stringify(toIngestionResources(offer)), (_key, value: unknown) => {
    const image = value as { fileName?: unknown; url?: unknown };
    if (typeof image === 'object' && image !== null && typeof image.fileName === 'string' && typeof image.url === 'string' && image.url.startsWith('data:')) {
      images.set(image.fileName, new Uint8Array(Buffer.from(image.url.slice(image.url.indexOf(',') + 1), 'base64')));
      return { ...image, url: image.fileName };
    }
    return value;
  }) as unknown;
  const targets = [file, ...[...images.keys()].map((name) => join(dirname(file), name))];
  const taken = targets.filter((t) => existsSync(t));
  if (taken.length > 0 && !p.switches.has('--force')) throw new CliError(`${taken.join(', ')} already exist(s): nothing was written (--force overwrites).`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  for (const [name, bytes] of images) writeFileSync(join(dirname(file), name), bytes);
  io.out(`wrote ${file} (offer contoso-managed-ops, plan gold, for the demo world's Contoso) and ${images.size} images beside it\n`);
  return 0;
}

function validate(p: Parsed, io: CliIo): number {
  const file = p.positionals[0];
  if (file === undefined) throw new UsageError('offer validate needs a FILE');
  const body = readOfferFile(file);
  const publisherId = p.flags.get('--publisher') ?? io.env.LANTERN_PUBLISHER;
  const parsed = fromIngestionResources(body, { publisherId, assetBytes: (url) => {
    const path = assetFile(file, url);
    return path === undefined ? undefined : new Uint8Array(readFileSync(path));
  } });
  const violations = parsed.offer === undefined ? [] : validateOffer(parsed.offer, { role: findBuiltinRole }).violations;
  const errors = parsed.errors.length + violations.filter((v) => v.severity === 'error').length;
  if (p.switches.has('--json')) {
    io.out(`${JSON.stringify({ valid: errors === 0, schemaErrors: parsed.errors, violations }, null, 2)}\n`);
  } else {
    for (const e of parsed.errors) io.out(`error [${e.resource}] ${e.target ?? ''}: ${e.message} (${e.code})\n`);
    for (const v of violations) io.out(`${violationLine(v)}\n`);
    const warnings = violations.length - violations.filter((v) => v.severity === 'error').length;
    io.out(errors === 0 ? `${file}: valid${warnings > 0 ? ` (${warnings} warning(s))` : ''}\n` : `${file}: ${errors} error(s), ${warnings} warning(s)\n`);
  }
  return errors === 0 ? 0 : 1;
}

interface ConfigureStatus {
  jobId: string;
  jobStatus: string;
  jobResult: string;
  errors: { code: string; message: string; resource: string; target?: string }[];
}

interface PublishJob {
  id: string;
  state: string;
  result: string;
  progress: { at: string; step: string; message: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const VERSION = '$version=2022-03-01-preview2';

function publisherQuery(p: Parsed, env: NodeJS.ProcessEnv): string {
  const publisher = p.flags.get('--publisher') ?? env.LANTERN_PUBLISHER;
  return publisher === undefined ? '' : `&publisherId=${encodeURIComponent(publisher)}`;
}

async function runConfigure(client: LanternClient, body: unknown, p: Parsed, io: CliIo): Promise<{ ok: boolean; publishJobId?: string }> {
  const started = await client.call<ConfigureStatus>('POST', `/rp/product-ingestion/configure?${VERSION}${publisherQuery(p, io.env)}`, body);
  io.out(`configure job ${started.jobId}: ${started.jobStatus}\n`);
  const interval = Number(p.flags.get('--interval') ?? 200);
  let status = started;
  while (status.jobStatus !== 'completed') {
    await sleep(interval);
    status = await client.call<ConfigureStatus>('GET', `/rp/product-ingestion/configure/${started.jobId}/status?${VERSION}`);
  }
  const detail = await client.call<ConfigureStatus & { warnings?: ConfigureStatus['errors']; publishJobId?: string; resources?: { id: string }[] }>('GET', `/rp/product-ingestion/configure/${started.jobId}?${VERSION}`);
  for (const e of detail.errors) io.err(`error [${e.resource}] ${e.target ?? ''}: ${e.message} (${e.code})\n`);
  for (const w of detail.warnings ?? []) io.out(`warning [${w.resource}] ${w.target ?? ''}: ${w.message}\n`);
  io.out(`configure job ${started.jobId}: ${detail.jobResult}${detail.resources === undefined ? '' : ` (${detail.resources.length} resources)`}\n`);
  return { ok: detail.jobResult === 'succeeded', ...(detail.publishJobId === undefined ? {} : { publishJobId: detail.publishJobId }) };
}

async function follow(client: LanternClient, jobId: string, p: Parsed, io: CliIo): Promise<number> {
  const interval = Number(p.flags.get('--interval') ?? 200);
  let shown = 0;
  for (;;) {
    const job = await client.call<PublishJob>('GET', `/partner-center/jobs/${jobId}`);
    for (const line of job.progress.slice(shown)) io.out(`${line.at} ${line.message}\n`);
    shown = job.progress.length;
    if (job.state !== 'running') {
      io.out(`publish job ${jobId}: ${job.state === 'waiting' ? 'waiting for the platform operator' : job.result}\n`);
      return job.result === 'succeeded' || job.state === 'waiting' ? 0 : 1;
    }
    await sleep(interval);
  }
}

async function productGuid(client: LanternClient, offerId: string): Promise<string> {
  const products = await client.call<{ value: { id?: string }[] }>('GET', `/rp/product-ingestion/product?externalId=${encodeURIComponent(offerId)}&${VERSION}`);
  const id = products.value[0]?.id;
  if (id === undefined) throw new Error(`no offer "${offerId}" in the publishers you belong to`);
  return id.slice('product/'.length);
}

async function push(p: Parsed, io: CliIo): Promise<number> {
  const file = p.positionals[0];
  if (file === undefined) throw new UsageError('offer push needs a FILE');
  const body = inlineAssets(file, readOfferFile(file));
  const client = LanternClient.from(p.flags, io.env);
  const result = await runConfigure(client, body, p, io);
  if (!result.ok) return 1;
  return result.publishJobId === undefined ? 0 : follow(client, result.publishJobId, p, io);
}

async function publish(p: Parsed, io: CliIo): Promise<number> {
  const offerId = p.positionals[0];
  const target = p.flags.get('--target');
  if (offerId === undefined || (target !== 'preview' && target !== 'live')) throw new UsageError('offer publish needs OFFER_ID and --target preview|live');
  const client = LanternClient.from(p.flags, io.env);
  const body = {
    $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-03-01-preview2',
    resources: [{ $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2', product: { externalId: offerId }, target: { targetType: target } }],
  };
  const result = await runConfigure(client, body, p, io);
  if (!result.ok || result.publishJobId === undefined) return 1;
  return follow(client, result.publishJobId, p, io);
}

async function exportOffer(p: Parsed, io: CliIo): Promise<number> {
  const offerId = p.positionals[0];
  if (offerId === undefined) throw new UsageError('offer export needs OFFER_ID');
  const client = LanternClient.from(p.flags, io.env);
  const guid = await productGuid(client, offerId);
  const tree = await client.call<{ resources: unknown[] }>('GET', `/rp/product-ingestion/resource-tree/product/${guid}?targetType=${p.flags.get('--target') ?? 'draft'}&${VERSION}`);
  io.out(`${JSON.stringify({ $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-03-01-preview2', resources: tree.resources }, null, 2)}\n`);
  return 0;
}

async function template(p: Parsed, io: CliIo): Promise<number> {
  const offerId = p.positionals[0];
  const plan = p.flags.get('--plan');
  if (offerId === undefined || plan === undefined) throw new UsageError('offer template needs OFFER_ID and --plan PLAN');
  const part = p.flags.get('--part');
  if (part !== undefined && part !== 'template' && part !== 'parameters') throw new UsageError(`--part is template or parameters, not '${part}'`);
  if (part !== undefined && p.flags.has('--out-dir')) throw new UsageError('--part prints one part on stdout; --out-dir writes both: give one of them');
  const client = LanternClient.from(p.flags, io.env);
  let publisher = p.flags.get('--publisher') ?? io.env.LANTERN_PUBLISHER;
  if (publisher === undefined) {
    const mine = await client.call<{ value: { account: { publisherId: string } }[] }>('GET', '/partner-center/publishers');
    if (mine.value.length !== 1) throw new UsageError(`you belong to ${mine.value.length} publishers: name one with --publisher`);
    publisher = mine.value[0]?.account.publisherId ?? '';
  }
  const version = p.flags.get('--version');
  const exported = await client.call<{ template: unknown; parameters: unknown; source: string; version: string }>(
    'GET',
    `/partner-center/publishers/${encodeURIComponent(publisher)}/offers/${encodeURIComponent(offerId)}/plans/${encodeURIComponent(plan)}/onboarding-template${version === undefined ? '' : `?version=${encodeURIComponent(version)}`}`,
  );
  const dir = p.flags.get('--out-dir');
  if (part !== undefined) {
    io.out(`${JSON.stringify(exported[part], null, 2)}\n`);
  } else if (dir === undefined) {
    io.out(`${JSON.stringify({ template: exported.template, parameters: exported.parameters }, null, 2)}\n`);
  } else {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${offerId}-${plan}.template.json`), `${JSON.stringify(exported.template, null, 2)}\n`);
    writeFileSync(join(dir, `${offerId}-${plan}.parameters.json`), `${JSON.stringify(exported.parameters, null, 2)}\n`);
    io.out(`wrote the ${exported.source} manifest ${exported.version} of plan ${plan} to ${dir}\n`);
  }
  return 0;
}

/** Runs `lantern offer <subcommand> …`; resolves with the exit code. */
export async function runOfferCommand(args: readonly string[], io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env }): Promise<number> {
  const [sub, ...rest] = args;
  try {
    const p = parseArgs(rest, { values: VALUE_FLAGS, switches: SWITCHES });
    switch (sub) {
      case 'init':
        return init(p, io);
      case 'validate':
        return validate(p, io);
      case 'push':
        return await push(p, io);
      case 'publish':
        return await publish(p, io);
      case 'export':
        return await exportOffer(p, io);
      case 'template':
        return await template(p, io);
      case 'help':
      case '--help':
      case '-h':
        io.out(OFFER_USAGE);
        return 0;
      default:
        io.err(sub === undefined ? OFFER_USAGE : `Unknown offer command '${sub}'.\n\n${OFFER_USAGE}`);
        return 2;
    }
  } catch (error) {
    const { message, exitCode } = describeFailure(error, OFFER_USAGE);
    io.err(message.endsWith('\n') ? message : `${message}\n`);
    return exitCode;
  }
}
