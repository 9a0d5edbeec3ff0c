/**
 * Outbound requests to publisher-supplied URLs (lead endpoints, storage accounts) must not reach
 * Lantern's own network: the host is resolved once, every address is checked against the private,
 * loopback, link-local and other non-public ranges, and the connection goes to the checked address
 * (so a second DNS answer cannot rebind it). The operator may allow private ranges (tests, labs).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DomainError } from '../../core/errors.js';

const blocked = new BlockList();
const BLOCKED_IPV4 = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const;
for (const [net, prefix] of BLOCKED_IPV4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
  // IPv6 forms that carry an IPv4 address to a translator or tunnel, so reach it from an IPv6 socket:
  // IPv4-compatible (::a.b.c.d, deprecated), SIIT (::ffff:0:a.b.c.d), local-use NAT64, Teredo.
  ['::', 96], ['::ffff:0:0:0', 96], ['64:ff9b:1::', 48], ['2001::', 32],
] as const) blocked.addSubnet(net, prefix, 'ipv6');
// Well-known NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::) reach public IPv4 hosts too, so
// only the blocked IPv4 ranges embedded in them are blocked.
for (const [net, prefix] of BLOCKED_IPV4) {
  const [a = 0, b = 0, c = 0, d = 0] = net.split('.').map(Number);
  const hi = ((a << 8) | b).toString(16);
  const lo = ((c << 8) | d).toString(16);
  blocked.addSubnet(`64:ff9b::${hi}:${lo}`, 96 + prefix, 'ipv6');
  blocked.addSubnet(`2002:${hi}:${lo}::`, 16 + prefix, 'ipv6');
}

/** True when the address is not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return blocked.check(mapped[1], 'ipv4');
  return blocked.check(address, 'ipv6');
}

/** The refusal, naming the host and the address it resolved to. */
function refused(host: string, address: string): DomainError {
  return new DomainError(
    'invalid',
    'invalidRequest',
    `The destination ${host} resolves to ${address}, a private, loopback or link-local address; Lantern only sends leads to public addresses (the operator setting allowPrivateLeadEndpoints lifts this).`,
    { target: 'setup.customerLeads' },
  );
}

/** A `lookup` for http(s).request that refuses non-public addresses unless `allowPrivate`. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 4);
        return;
      }
      const bad = allowPrivate ? undefined : addresses.find((a) => isNonPublicAddress(a.address));
      if (bad !== undefined) {
        callback(refused(hostname, bad.address), '', 4);
        return;
      }
      if (options.all === true) callback(null, addresses);
      else {
        const first = addresses[0];
        if (first === undefined) callback(new Error(`no address for ${hostname}`), '', 4);
        else callback(null, first.address, first.family);
      }
    });
  };
}

export interface GuardedRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly allowPrivate: boolean;
  /** Extra trusted CA certificates (PEM), for endpoints with a private CA. */
  readonly ca?: string | undefined;
  readonly timeoutMs?: number;
}

export interface GuardedResponse {
  readonly status: number;
  readonly body: string;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** One http(s) request through the address guard; IP-literal hosts are checked before connecting. */
export function guardedFetch(url: URL, request: GuardedRequest): Promise<GuardedResponse> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && !request.allowPrivate && isNonPublicAddress(host)) throw refused(host, host);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: request.method,
        headers: { ...(request.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(request.body)) }), ...request.headers },
        lookup: guardedLookup(request.allowPrivate),
        timeout: request.timeoutMs ?? 15_000,
        ...(request.ca === undefined ? {} : { ca: [...rootCertificates, request.ca] }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within ${request.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}
