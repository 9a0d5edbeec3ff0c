/**
 * The HTTPS certificate. `@azure/identity` refuses an authority that is not https, so Lantern
 * always serves TLS: with the operator's PEM files when given, otherwise with a self-signed
 * certificate generated into `{dataDir}/tls/` on first start (clients trust it through
 * `NODE_EXTRA_CA_CERTS={certPath}`). A generated certificate is replaced when it nears expiry or
 * does not cover the configured host name.
 */
import { X509Certificate, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';

export interface TlsOptions {
  /** Lantern's data directory; the generated pair lives in `{dataDir}/tls/`. */
  readonly dataDir: string;
  /** The host name clients use (besides localhost, 127.0.0.1 and ::1). */
  readonly hostName?: string;
  /** Operator-supplied PEM files; both or neither. */
  readonly certPath?: string;
  readonly keyPath?: string;
  /** For tests; defaults to the wall clock. */
  readonly now?: Date;
}

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** True when this call created the certificate. */
  readonly generated: boolean;
}

const VALIDITY_YEARS = 5;
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API;
// the polyfill is loaded first, and x509 only when a certificate must be generated.
async function loadX509(): Promise<typeof X509> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  // Node's WebCrypto is the standard one; the cast bridges @types/node's and the DOM's declarations.
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  return x509;
}

function hostsOf(hostName: string | undefined): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  if (hostName) (isIP(hostName) ? ips : dns).add(hostName.toLowerCase());
  return { dns: [...dns], ips: [...ips] };
}

function covers(cert: X509Certificate, hostName: string | undefined, now: Date): boolean {
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
  if (!hostName) return true;
  return isIP(hostName) ? cert.checkIP(hostName) !== undefined : cert.checkHost(hostName) !== undefined;
}

async function generate(hostName: string | undefined, now: Date): Promise<{ cert: string; key: string }> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(SIGNING, true, ['sign', 'verify']);
  const { dns, ips } = hostsOf(hostName);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${hostName && !isIP(hostName) ? hostName : 'localhost'}, O=Lantern (self-signed)`,
    keys,
    signingAlgorithm: SIGNING,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    extensions: [
      // CA:true lets the certificate stand as its own trust anchor in NODE_EXTRA_CA_CERTS and OS stores.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...dns.map((value) => ({ type: 'dns' as const, value })), ...ips.map((value) => ({ type: 'ip' as const, value }))]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: certificate.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

// Written beside the target and renamed over it, so a crash never leaves half a PEM behind.
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode); // writeFile's mode passes through the umask; chmod sets it exactly
  await rename(temporary, path);
}

/** Loads the operator's certificate or ensures the generated one; the private key file is mode 0600. */
export async function ensureTlsCertificate(options: TlsOptions): Promise<TlsMaterial> {
  const now = options.now ?? new Date();
  if (options.certPath !== undefined || options.keyPath !== undefined) {
    if (options.certPath === undefined || options.keyPath === undefined) {
      throw new Error('TLS: give both the certificate and the private key path, or neither (Lantern then generates a self-signed pair).');
    }
    const [cert, key] = await Promise.all([readFile(options.certPath, 'utf8'), readFile(options.keyPath, 'utf8')]);
    if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`TLS: ${options.certPath} holds no PEM certificate.`);
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new Error(`TLS: ${options.keyPath} holds no PEM private key.`);
    return { cert, key, certPath: options.certPath, keyPath: options.keyPath, generated: false };
  }

  const dir = join(options.dataDir, 'tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const [existingCert, existingKey] = await Promise.all([readIfPresent(certPath), readIfPresent(keyPath)]);
  if (existingCert !== undefined && existingKey !== undefined && covers(new X509Certificate(existingCert), options.hostName, now)) {
    return { cert: existingCert, key: existingKey, certPath, keyPath, generated: false };
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { cert, key } = await generate(options.hostName, now);
  await writeAtomically(keyPath, key, 0o600);
  await writeAtomically(certPath, cert, 0o644);
  return { cert, key, certPath, keyPath, generated: true };
}
