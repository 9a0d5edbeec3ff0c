/**
 * Calls to Lantern's public APIs with the signed-in user's token, exactly as a script would make
 * them. A refusal becomes an `ApiError` carrying the plane's own code and message (ARM's
 * `{ error: { code, message } }`), never the raw body.
 */
import { accessToken } from './auth.ts';

/** One problem of a refusal (`error.details[]`): a bad CSV row, a broken rule of a field. */
export interface ApiErrorDetail {
  readonly code?: string;
  readonly message: string;
  readonly target?: string;
}

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly code?: string, readonly target?: string, readonly details: readonly ApiErrorDetail[] = []) {
    super(message);
  }
}

/** The api-versions the portal speaks (docs/api.md). */
export const API_VERSIONS = { subscriptions: '2022-12-01', resources: '2025-04-01', pim: '2020-10-01', approvals: '2021-01-01-preview', managedServices: '2022-10-01', activityLog: '2015-04-01' } as const;

function errorOf(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; target?: unknown; details?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : `Lantern answered ${status}.`;
  const details = Array.isArray(error?.details) ? (error.details as ApiErrorDetail[]).filter((d) => typeof d?.message === 'string') : [];
  return new ApiError(message, status, typeof error?.code === 'string' ? error.code : undefined, typeof error?.target === 'string' ? error.target : undefined, details);
}

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const token = await accessToken();
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiError('Lantern could not be reached. Check your connection and try again.', 0);
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw errorOf(response.status, body);
  }
  return response;
}

/** GET a JSON answer. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await send(path, signal ? { signal } : {});
  return (await response.json()) as T;
}

/** Sends `body` as JSON with `method` (PUT, POST, PATCH, DELETE); answers the JSON reply, or undefined when it has none. */
export async function sendJson<T>(method: 'PUT' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T | undefined> {
  const response = await send(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await response.text();
  return text === '' || text === 'null' ? undefined : (JSON.parse(text) as T);
}

/** GET text (a CSV export). */
export async function getText(path: string): Promise<string> {
  return (await send(path)).text();
}

/** GET bytes (an offer's logo, a screenshot) as an object URL the page may show. */
export async function getObjectUrl(path: string, signal?: AbortSignal): Promise<string> {
  const response = await send(path, signal ? { signal } : {});
  return URL.createObjectURL(await response.blob());
}

/** Every page of an ARM list (`{ value, nextLink }`). */
export async function getAll<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const page: { value: T[]; nextLink?: string } = await getJson(next, signal);
    items.push(...page.value);
    next = page.nextLink === undefined ? undefined : new URL(page.nextLink, window.location.origin).pathname + new URL(page.nextLink, window.location.origin).search;
  }
  return items;
}
