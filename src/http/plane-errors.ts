/**
 * Every error answers in the envelope of the plane its path belongs to, including the ones Fastify
 * and Node raise before any route runs (a malformed escape, an over-long path parameter, headers
 * too large, no route at all): Entra's `error/error_description/error_codes` on the identity
 * endpoints, the ingestion API's `{error:{code,message,details}}` under /rp/product-ingestion, and
 * ARM's `{error:{code,message}}` everywhere else (the Partner Center API uses ARM's).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { DomainError } from '../core/errors.js';
import { AadError, aad, aadErrorBody } from '../services/identity/aad-errors.js';
import { toArmError } from './arm-errors.js';
import { ingestionErrorBody } from './partner-center/ingestion-routes.js';

export type Plane = 'identity' | 'ingestion' | 'arm';

// `/{tenant}/v2.0/…`, `/{tenant}/oauth2/…`, `/{tenant}/discovery/…` and `/common/discovery/instance`.
const IDENTITY = /^\/+[^/?]+\/+(?:v2\.0|oauth2|discovery)(?:[/?]|$)/i;
const INGESTION = /^\/+rp\/+product-ingestion(?:[/?]|$)/i;

/** The plane a request URL belongs to. */
export function planeOf(url: string): Plane {
  if (INGESTION.test(url)) return 'ingestion';
  return IDENTITY.test(url) ? 'identity' : 'arm';
}

/** Entra's error for any thrown value: its own errors as they are, request faults as `invalid_request`. */
export function aadErrorOf(error: unknown): AadError {
  if (error instanceof AadError) return error;
  if (error instanceof DomainError) return aad.malformedRequest(error.message, error.kind === 'throttled' ? 429 : 400);
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return aad.malformedRequest((error as Error).message, status);
  return aad.serverError();
}

export interface ErrorAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** The status, body and headers `error` answers with on `plane`. */
export function errorAnswer(plane: Plane, error: unknown, ids: { readonly now: Date; readonly traceId: string; readonly correlationId: string }): ErrorAnswer {
  if (plane === 'identity') {
    const aadError = aadErrorOf(error);
    return { status: aadError.status, body: aadErrorBody(aadError, ids), headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
  }
  if (plane === 'ingestion') return { ...ingestionErrorBody(error), headers: {} };
  const { status, body, retryAfter } = toArmError(error);
  return { status, body, headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) } };
}

/** Answers `error` on `reply` in the envelope of the request's plane; server faults are logged. */
export function sendPlaneError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = errorAnswer(planeOf(request.url), error, { now: new Date(), traceId: request.id, correlationId: request.correlationId || request.id });
  if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
  // Errors raised before the hooks ran (a malformed URL) still carry the request id.
  if (!reply.hasHeader('x-ms-request-id')) void reply.header('x-ms-request-id', request.id);
  return reply.status(answer.status).headers(answer.headers).send(answer.body);
}

/**
 * Node's own refusals (headers too large, a malformed request line, a timeout) happen before
 * Fastify has a request: the answer is written on the socket, its plane read from the request
 * line when Node kept it (ARM's envelope otherwise: Node keeps only the last chunk it parsed).
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message = status === 431
    ? 'The request headers are too large.'
    : status === 408 ? 'The request was not received in time.' : 'The request could not be parsed as HTTP.';
  const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined;
  const requestLine = packet?.toString('latin1', 0, Math.min(packet.length, 8192)).split('\r\n', 1)[0] ?? '';
  const url = requestLine.split(' ')[1] ?? '/';
  const id = crypto.randomUUID();
  const code = status === 431 ? 'RequestHeaderFieldsTooLarge' : status === 408 ? 'RequestTimeout' : 'BadRequest';
  const answer = errorAnswer(planeOf(url), new DomainError('invalid', code, message), { now: new Date(), traceId: id, correlationId: id });
  const body = JSON.stringify(answer.body);
  const headers = Object.entries({ ...answer.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'x-ms-request-id': id, connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${headers}\r\n${body}`);
}
