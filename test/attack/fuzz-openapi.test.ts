/**
 * Issue 11.8: property-based HTTP fuzzing of every operation in Lantern's OpenAPI document
 * (`/openapi.json`). For each operation fast-check generates path parameters (the demo world's real
 * ids and hostile strings), query strings and bodies (valid-ish from the operation's schema, the
 * same with one field broken, and arbitrary JSON or text), sends them over real HTTPS with the
 * demo users' tokens, and requires no status of 500 or more and every error in its plane's
 * envelope. Short in `npm test`; LANTERN_SOAK=1 (`npm run soak`) runs many more requests.
 * `npm test` replays one fixed seed, so a red run is a change's doing and reproducible; the soak
 * draws fresh seeds to explore; LANTERN_FUZZ_SEED=N replays a failure either printed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDemoUsers, type DemoUsers } from '../e2e/support/demo-users.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { isAadError, isArmError } from './support.js';

const SOAK = process.env.LANTERN_SOAK === '1';
const RUNS_PER_OPERATION = SOAK ? 150 : 10;
const SEED = process.env.LANTERN_FUZZ_SEED ? Number(process.env.LANTERN_FUZZ_SEED) : SOAK ? undefined : 20261202;
const database = testDatabases()[0]!;

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
};
interface Parameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema }
interface Operation { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const IDENTITY = /^\/(?:[^/]+)\/(?:v2\.0|oauth2|discovery)(?:\/|$)|^\/common\/discovery\//i;
const HOSTILE = ['..', '.', '%', '%zz', "'", '"', '<script>', '\u0000', 'é', '😀', ' ', 'a'.repeat(300), '-', '00000000-0000-0000-0000-000000000000', 'null', '[]', '{}', 'true', '-1', '1e309', 'NaN'];
const API_VERSIONS = ['2025-04-01', '2022-10-01', '2022-04-01', '2021-04-01', '2020-10-01', '2019-09-01', '2016-07-01', '2015-04-01', '2022-03-01-preview5', '2022-03-01-preview3', 'bogus', ''];

/** Values for a path parameter by its name: the demo world's real ones, then anything. */
function pathValue(name: string, demo: DemoUsers): fc.Arbitrary<string> {
  const real: Record<string, string[]> = {
    subscriptionId: [DEMO_IDS.fabrikamProduction, DEMO_IDS.northwindDev],
    resourceGroupName: ['rg-web', 'rg-data', 'rg-network', 'rg-app'],
    tenant: [DEMO_IDS.contosoTenant, DEMO_IDS.fabrikamTenant, 'contoso.example', 'common', 'organizations'],
    publisherId: ['contoso'],
    memberId: [demo.objectId('admin@contoso.example'), demo.objectId('alice@contoso.example')],
    resourceProviderNamespace: ['Microsoft.Web', 'Microsoft.Storage', 'Microsoft.ManagedServices'],
    roleDefinitionId: ['acdd72a7-3385-48ef-bd42-f606fba81ae7', 'b24988ac-6180-42a0-ab88-20f7382dd24c', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'],
  };
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(real[name] ?? ['x1'])) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  );
}

/** A value for `schema`, valid where the schema says enough. */
function valid(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options && options.length > 0) return fc.oneof(...options.map((o) => valid(o, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) {
    return fc.tuple(...schema.allOf.map((o) => valid(o, depth + 1))).map((parts) => Object.assign({}, ...parts.filter((p) => typeof p === 'object' && p !== null)) as unknown);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'date-time') return fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'uri') return fc.webUrl();
      if (schema.format === 'email') return fc.emailAddress();
      return fc.oneof(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 200) }), fc.uuid(), fc.constantFrom('westeurope', 'contoso', 'Reader', 'https://contoso.example'));
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(schema.items, depth + 1), { maxLength: 3 });
    case 'object':
    case undefined: {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = valid(value, depth + 1);
      if (Object.keys(record).length === 0) return type === 'object' ? fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) : fc.jsonValue({ maxDepth: 2 });
      return fc.record(record, { requiredKeys: Object.keys(record).filter((k) => required.has(k) || depth < 2) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** The valid value with one field replaced by something of another type. */
function broken(schema: Schema | undefined): fc.Arbitrary<unknown> {
  return fc.tuple(valid(schema), fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([value, junk, pick]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return junk;
    const keys = Object.keys(value);
    if (keys.length === 0) return junk;
    const target = structuredClone(value) as Record<string, unknown>;
    const key = keys[pick % keys.length] as string;
    const inner = target[key];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner) && Object.keys(inner).length > 0) {
      const innerKeys = Object.keys(inner);
      (inner as Record<string, unknown>)[innerKeys[pick % innerKeys.length] as string] = junk;
    } else target[key] = junk;
    return target;
  });
}

interface FuzzRequest { readonly path: string; readonly query: string; readonly body?: string; readonly contentType?: string; readonly who: number }

function requestOf(route: string, operation: Operation, demo: DemoUsers, principals: number): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters ?? [];
  const pathParams = parameters.filter((p) => p.in === 'path');
  const queryParams = parameters.filter((p) => p.in === 'query');
  const pathArb = fc.tuple(...pathParams.map((p) => pathValue(p.name, demo))).map((values) => {
    let path = route;
    pathParams.forEach((p, i) => {
      path = path.replace(`{${p.name}}`, encodeURIComponent(values[i] as string));
    });
    return path;
  });
  const queryArb = fc.tuple(...queryParams.map((p) => fc.option(p.name === 'api-version' ? fc.constantFrom(...API_VERSIONS) : fc.oneof(valid(p.schema).map(String), fc.constantFrom(...HOSTILE)), { freq: 3 }))).map((values) =>
    queryParams.map((p, i) => (values[i] === null ? '' : `${encodeURIComponent(p.name)}=${encodeURIComponent(values[i] as string)}`)).filter((q) => q !== '').join('&'));
  const content = operation.requestBody?.content ?? {};
  const json = content['application/json'];
  const otherType = Object.keys(content).find((t) => t !== 'application/json');
  const bodyArb: fc.Arbitrary<Pick<FuzzRequest, 'body' | 'contentType'>> = json
    ? fc.oneof(
      { weight: 4, arbitrary: valid(json.schema).map((v) => ({ body: JSON.stringify(v), contentType: 'application/json' })) },
      { weight: 2, arbitrary: broken(json.schema).map((v) => ({ body: JSON.stringify(v), contentType: 'application/json' })) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('{', 'null', '[]', '"x"', '', '{"a":'), fc.string()).map((body) => ({ body, contentType: 'application/json' })) },
    )
    : otherType
      ? fc.oneof(fc.uint8Array({ maxLength: 256 }).map((b) => ({ body: Buffer.from(b).toString('latin1'), contentType: otherType })), fc.string().map((body) => ({ body, contentType: otherType })))
      : fc.constant({});
  return fc.record({ path: pathArb, query: queryArb, bodyPart: bodyArb, who: fc.nat({ max: principals - 1 }) })
    .map(({ path, query, bodyPart, who }) => ({ path, query, who, ...bodyPart }));
}

describe('OpenAPI fuzzing of every operation: no 5xx, every error in its envelope (sqlite)', () => {
  let lantern: TestLantern;
  let demo: DemoUsers;
  let tokens: string[];
  let document: OpenApi;

  before(async () => {
    lantern = await startTestLantern(database, { env: { LANTERN_THROTTLE_READS: '100000000', LANTERN_THROTTLE_WRITES: '100000000', LANTERN_THROTTLE_DELETES: '100000000' } });
    demo = await seedDemoUsers(lantern.services, lantern.baseUrl);
    tokens = await Promise.all(['admin@contoso.example', 'owner@fabrikam.example', 'alice@contoso.example', 'reader@fabrikam.example'].map((upn) => demo.token(upn)));
    document = (await (await fetch(`${lantern.baseUrl}/openapi.json`)).json()) as OpenApi;
  });
  after(async () => lantern.stop());

  it('sends generated requests to every operation and gets no 5xx', { timeout: SOAK ? 3_600_000 : 300_000 }, async () => {
    const failures: string[] = [];
    let requests = 0;
    let operations = 0;
    const statuses = new Map<number, number>();
    for (const [route, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
        operations++;
        try {
          await fc.assert(
            fc.asyncProperty(requestOf(route, operation, demo, tokens.length), async (r) => {
              requests++;
              const url = `${lantern.baseUrl}${r.path}${r.query === '' ? '' : `?${r.query}`}`;
              const headers: Record<string, string> = { authorization: `Bearer ${tokens[r.who]}` };
              if (r.contentType !== undefined) headers['content-type'] = r.contentType;
              const res = await fetch(url, { method: method.toUpperCase(), headers, ...(r.body === undefined ? {} : { body: r.body }) });
              const text = await res.text();
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              if (res.status >= 500) throw new Error(`${res.status} ${text.slice(0, 300)}`);
              // The sign-in pages answer people: their errors are an HTML page naming the AADSTS code, as Entra's are.
              const signInPage = /^\/(?:[^/]+\/oauth2\/v2\.0\/authorize|devicelogin)$/i.test(new URL(url).pathname);
              if (res.status >= 400 && signInPage) {
                if (!/^text\/html/.test(res.headers.get('content-type') ?? '') || !/AADSTS\d+/.test(text)) throw new Error(`${res.status} sign-in page without its AADSTS code: ${text.slice(0, 200)}`);
              } else if (res.status >= 400) {
                let body: unknown;
                try {
                  body = JSON.parse(text);
                } catch {
                  throw new Error(`${res.status} is not JSON: ${text.slice(0, 200)}`);
                }
                const enveloped = IDENTITY.test(new URL(url).pathname) ? isAadError(body) : isArmError(body);
                if (!enveloped) throw new Error(`${res.status} outside the plane's envelope: ${text.slice(0, 200)}`);
              }
            }),
            { numRuns: RUNS_PER_OPERATION, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
          );
        } catch (error) {
          failures.push(`${method.toUpperCase()} ${route}: ${(error as Error).message.split('\n').filter((line) => line !== '' && !line.startsWith('Hint:')).slice(0, 8).join(' | ')}`);
        }
      }
    }
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}:${count}`).join(' ');
    console.log(`fuzzed ${operations} operations with ${requests} requests (${histogram}); ${failures.length} failed`);
    assert.ok(operations > 50, `only ${operations} operations in the OpenAPI document`);
    assert.ok([...statuses.keys()].some((s) => s < 300), 'some requests succeed: the generators reach past validation');
    assert.deepEqual(failures, []);
  });
});
