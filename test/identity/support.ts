/**
 * Shared pieces of the identity tests: a clock the test moves, GUIDs, and an HTTPS client that
 * trusts one certificate (the self-signed one the test generated) without touching global state.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:https';
import type { Clock, IdGenerator } from '../../src/services/context.js';

/** A clock that starts at the wall clock's time and moves only when the test says so. */
export function testClock(start = new Date()): Clock & { advance(seconds: number): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

/** A clock that follows the wall clock plus an offset the test can push forward (for real SDK clients, which read the wall clock). */
export function offsetClock(): Clock & { advance(seconds: number): void } {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (seconds: number) => {
      offsetMs += seconds * 1000;
    },
  };
}

export const ids: IdGenerator = { guid: () => randomUUID() };

/** A domain no other test uses, so tests can share a database. */
export function uniqueDomain(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}.example`;
}

export interface HttpsResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: Record<string, unknown>;
}

/** GET or form-POST over HTTPS trusting `ca`; answers the status, headers and JSON body. */
export function httpsJson(url: string, ca: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpsResponse> {
  const body = form === undefined ? undefined : new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: form === undefined ? 'GET' : 'POST',
        ca,
        headers: body === undefined ? headers : { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) as Record<string, unknown> });
          } catch (error) {
            reject(new Error(`not JSON (${res.statusCode}): ${text.slice(0, 200)}`, { cause: error }));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
