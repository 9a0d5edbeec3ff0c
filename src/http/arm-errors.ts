/**
 * The one place where domain errors become ARM's error envelope
 * `{"error":{"code","message","target?","details?"}}` and an HTTP status.
 */
import type { FastifyError } from 'fastify';
import { DomainError, type DomainErrorKind } from '../core/errors.js';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  limit: 400,
  throttled: 429,
};

// ARM's codes for the refusals Fastify raises itself (size limits, media type, over-long URLs).
const FRAMEWORK_CODES: Partial<Record<number, string>> = {
  413: 'RequestEntityTooLarge',
  414: 'RequestUriTooLong',
  415: 'UnsupportedMediaType',
  431: 'RequestHeaderFieldsTooLarge',
};

export interface ArmErrorBody {
  error: { code: string; message: string; target?: string; details?: { code: string; message: string; target?: string }[] };
}

/** The status and envelope for any thrown value; unknown errors become a 500 without internals. */
export function toArmError(error: unknown): { status: number; body: ArmErrorBody; retryAfter?: number } {
  if (error instanceof DomainError) {
    const body: ArmErrorBody = { error: { code: error.code, message: error.message } };
    if (error.target !== undefined) body.error.target = error.target;
    if (error.details.length > 0) body.error.details = error.details.map((d) => ({ ...d }));
    const retry = (error as DomainError & { retryAfterSeconds?: number }).retryAfterSeconds;
    return { status: STATUS[error.kind], body, ...(retry !== undefined ? { retryAfter: retry } : {}) };
  }
  const fe = error as Partial<FastifyError> & { validationContext?: string };
  if (fe.validation) {
    const where = fe.validationContext === 'querystring' ? 'query' : fe.validationContext ?? 'request';
    return { status: 400, body: { error: { code: 'InvalidRequestContent', message: `The request content was invalid: ${where} ${fe.message ?? ''}`.trim() } } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = FRAMEWORK_CODES[fe.statusCode] ?? 'BadRequest';
    return { status: fe.statusCode, body: { error: { code, message: fe.message ?? 'Bad request' } } };
  }
  return { status: 500, body: { error: { code: 'InternalServerError', message: 'The server encountered an internal error. Use the x-ms-request-id header to find it in the log.' } } };
}
