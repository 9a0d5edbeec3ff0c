/**
 * Raw HTTP for the attack tests: requests go out byte for byte as written (no URL normalisation,
 * no dot-segment removal, no header limits on the client side), one connection each.
 */
import { request as httpsRequest } from 'node:https';

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
