/**
 * Raw HTTP for the attack tests: requests go out byte for byte as written (no URL normalisation,
 * no dot-segment removal, no header limits on the client side), one connection each.
 */
import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { ActivityLogEntry } from '../../src/core/resources/model.js';
import type { TestLantern } from '../support/lantern.js';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** Sends one request to `baseUrl` with `path` exactly as given. */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; /** The client's own address, e.g. `127.0.0.2` to act as another IP. */ localAddress?: string } = {},
): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const host = options.localAddress === undefined ? url.hostname : '127.0.0.1';
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host, servername: url.hostname, port: url.port, method, path, agent: false, headers: { host: url.host, ...options.headers }, localAddress: options.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** True when `body` is ARM's error envelope `{error:{code,message}}`. */
export function isArmError(body: unknown): body is { error: { code: string; message: string } } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string';
}

/** True when `body` is Entra's error shape. */
export function isAadError(body: unknown): body is { error: string; error_description: string; error_codes: number[] } {
  const b = body as { error?: unknown; error_description?: unknown; error_codes?: unknown } | undefined;
  return typeof b?.error === 'string' && typeof b.error_description === 'string' && Array.isArray(b.error_codes);
}

/**
 * Sends a write with a fresh correlation id as the holder of `token`; answers the raw answer and a
 * reader of the activity-log entries of that correlation id in one tenant's log.
 */
export async function writeAndTrace(lantern: TestLantern, token: string, method: string, target: string, body: string): Promise<{ answer: RawAnswer; logged: (tenantId: string) => Promise<ActivityLogEntry[]> }> {
  const correlationId = randomUUID();
  const answer = await rawRequest(lantern.baseUrl, method, target, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-ms-correlation-request-id': correlationId },
    body,
  });
  const logged = async (tenantId: string) =>
    (await lantern.services.activity.query({ tenantId, from: new Date(0).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() })).filter((e) => e.correlationId === correlationId);
  return { answer, logged };
}
