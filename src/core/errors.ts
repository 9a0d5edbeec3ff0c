/**
 * Domain errors: what went wrong, in the words of the contract (the ARM error code), without any
 * transport detail. The HTTP layer maps `kind` to a status code in one place.
 */
export type DomainErrorKind =
  | 'invalid' // the request breaks a rule (400)
  | 'not_found' // the thing does not exist (404)
  | 'conflict' // the request collides with current state (409)
  | 'forbidden' // the caller may not do this (403)
  | 'unauthenticated' // no or bad credentials (401)
  | 'limit' // a quota or count limit is reached (400/409 per code)
  | 'throttled'; // too many requests (429)

export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly code: string;
  /** The field or path at fault, e.g. `properties.authorizations[0].roleDefinitionId`. */
  readonly target: string | undefined;
  readonly details: readonly ErrorDetail[];

  constructor(kind: DomainErrorKind, code: string, message: string, options: { target?: string; details?: readonly ErrorDetail[] } = {}) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.target = options.target;
    this.details = options.details ?? [];
  }
}

/** Throws `error()` unless `condition` holds; keeps rule code a flat list of invariants. */
export function assertThat(condition: unknown, error: () => DomainError): asserts condition {
  if (!condition) throw error();
}

/** A 400 whose code and message follow the contract, naming the field at fault. */
export function invalid(code: string, message: string, target?: string): DomainError {
  return new DomainError('invalid', code, message, target === undefined ? {} : { target });
}

/** A 404 in ARM's words. */
export function notFound(code: string, message: string): DomainError {
  return new DomainError('not_found', code, message);
}

/** A 409 in ARM's words. */
export function conflict(code: string, message: string, target?: string): DomainError {
  return new DomainError('conflict', code, message, target === undefined ? {} : { target });
}
