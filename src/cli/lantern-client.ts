/**
 * A client of a running Lantern for the CLI's remote commands (`lantern offer push …`, `lantern
 * operator …`): a client-credentials token from Lantern's own token endpoint, then JSON calls whose
 * failures are said in words (ARM's or the ingestion API's error envelope, with its details).
 */
import { reach, UsageError } from './cli-errors.js';

export const CONNECTION_FLAGS = ['--url', '--tenant', '--client-id', '--client-secret'] as const;
export const CONNECTION_USAGE = `--url URL --tenant ID --client-id ID --client-secret SECRET
  or LANTERN_URL, LANTERN_TENANT, LANTERN_CLIENT_ID, LANTERN_CLIENT_SECRET`;

/** A client of a running Lantern. */
export class LanternClient {
  private token: string | undefined;
  constructor(
    readonly url: string,
    private readonly tenant: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  /** The client the connection flags (or their environment variables) name. */
  static from(flags: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv): LanternClient {
    const get = (flag: string, name: string): string => {
      const value = flags.get(flag) ?? env[name];
      if (value === undefined || value === '') throw new UsageError(`${flag} (or ${name}) is required`);
      return value;
    };
    return new LanternClient(get('--url', 'LANTERN_URL').replace(/\/+$/, ''), get('--tenant', 'LANTERN_TENANT'), get('--client-id', 'LANTERN_CLIENT_ID'), get('--client-secret', 'LANTERN_CLIENT_SECRET'));
  }

  private async bearer(): Promise<string> {
    if (this.token !== undefined) return this.token;
    const response = await reach(`${this.url}/${encodeURIComponent(this.tenant)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.clientId, client_secret: this.clientSecret, scope: 'https://management.azure.com/.default' }),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; error_description?: string };
    if (!response.ok || body.access_token === undefined) throw new Error(`sign-in failed: ${body.error_description ?? `HTTP ${response.status}`}`);
    this.token = body.access_token;
    return this.token;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await reach(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.bearer()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = {};
    try {
      if (text !== '') parsed = JSON.parse(text) as unknown;
    } catch {
      throw new Error(`${method} ${path}: the server at ${this.url} answered HTTP ${response.status} with something that is not JSON; is --url a Lantern server?`);
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; target?: string; details?: { message: string; target?: string }[] } }).error;
      const details = (error?.details ?? []).filter((d) => d.message !== error?.message).map((d) => `\n  - ${d.target === undefined ? '' : `${d.target}: `}${d.message}`).join('');
      const field = error?.target === undefined ? '' : `, field ${error.target}`;
      throw new Error(`${method} ${path} failed (HTTP ${response.status}${error?.code === undefined ? '' : ` ${error.code}`}${field}): ${error?.message ?? text}${details}`);
    }
    return parsed as T;
  }
}
