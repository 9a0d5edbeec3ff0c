/**
 * What the `lantern` command tells a person when something goes wrong: the cause in words they can
 * act on and an exit code, never a stack trace (LANTERN_DEBUG=1 adds it, for bug reports).
 */
import { ConfigError } from '../app/config.js';
import { DomainError } from '../core/errors.js';

/** A mistake in how the command was called: its message is followed by the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the command has already put in words (a file, a port, a server): exit 1, message only. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

// Node's TLS verification codes that mean "this certificate is not trusted here".
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function causeCode(error: unknown): string | undefined {
  // undici wraps the socket's error in `cause`; a host with several addresses gives an AggregateError.
  for (let e: unknown = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown; errors?: unknown[] }).cause ?? (e as { errors?: unknown[] }).errors?.[0]) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  }
  return undefined;
}

/**
 * The reason a request to `url` failed before any answer came (undici's bare "fetch failed"),
 * with what to do about it.
 */
export function explainFetchFailure(error: unknown, url: string): CliError {
  const origin = new URL(url).origin;
  const code = causeCode(error);
  if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) {
    return new CliError(
      `${origin} presented a certificate this machine does not trust (${code}). Trust Lantern's certificate: ` +
        `export NODE_EXTRA_CA_CERTS=/path/to/lantern/data/tls/cert.pem (the server prints the path at start; ` +
        `by default .lantern/tls/cert.pem).`,
    );
  }
  if (code === 'ECONNREFUSED') return new CliError(`nothing answers at ${origin} (connection refused): is the Lantern server running at that URL? Start it with 'lantern serve', or pass --url / LANTERN_URL.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new CliError(`the host of ${origin} cannot be resolved (${code}): check --url / LANTERN_URL.`);
  if (code === 'ECONNRESET' || code === 'EPROTO') return new CliError(`the connection to ${origin} was broken (${code}): does the URL use the right scheme (https:// for Lantern's HTTPS port)?`);
  const cause = (error as { cause?: unknown }).cause;
  return new CliError(`cannot reach ${origin}: ${code ?? (cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error))}`);
}

/** `fetch` that turns a failure to reach the server into an explained CliError. */
export async function reach(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw explainFetchFailure(error, url);
  }
}

/** The message and exit code for any error that reaches the top of a command. */
export function describeFailure(error: unknown, usage: string): { message: string; exitCode: number } {
  const debug = process.env.LANTERN_DEBUG === '1' && error instanceof Error ? `\n${error.stack ?? ''}` : '';
  if (error instanceof UsageError) return { message: `${error.message}\n\n${usage}`, exitCode: 2 };
  if (error instanceof ConfigError) return { message: error.message, exitCode: 2 };
  if (error instanceof CliError) return { message: `${error.message}${debug}`, exitCode: error.exitCode };
  if (error instanceof DomainError) {
    const details = error.details.filter((d) => d.message !== error.message).map((d) => `\n  - ${d.target === undefined ? '' : `${d.target}: `}${d.message}`).join('');
    return { message: `${error.code}: ${error.message}${details}${debug}`, exitCode: 1 };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `${message}${debug || '\n(LANTERN_DEBUG=1 shows where this happened.)'}`, exitCode: 1 };
}
