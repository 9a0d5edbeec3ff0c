import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTlsCertificate } from './tls.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-tls-'));
  dirs.push(dir);
  return dir;
}

/** An HTTPS handshake to `servername` on a server with the pair, trusting only the certificate. */
async function handshake(pair: { cert: string; key: string }, servername: string): Promise<string> {
  const server = createServer({ cert: pair.cert, key: pair.key }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port, servername, ca: pair.cert }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      }).on('error', reject).end();
    });
  } finally {
    server.close();
  }
}

describe('TLS certificate', () => {
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('generates a self-signed RSA 2048 certificate for five years with the local names, key file 0600', async () => {
    const dir = dataDir();
    const now = new Date('2026-11-21T00:00:00Z');
    const tls = await ensureTlsCertificate({ dataDir: dir, hostName: 'lantern.example', now });
    assert.equal(tls.generated, true);
    assert.equal(tls.certPath, join(dir, 'tls', 'cert.pem'));
    assert.equal(tls.keyPath, join(dir, 'tls', 'key.pem'));
    assert.equal(statSync(tls.keyPath).mode & 0o777, 0o600);
    assert.equal(readFileSync(tls.certPath, 'utf8'), tls.cert);
    const cert = new X509Certificate(tls.cert);
    assert.equal(cert.issuer, cert.subject, 'self-signed');
    assert.ok(cert.verify(cert.publicKey));
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(new Date(cert.validTo).getUTCFullYear(), 2031);
    for (const name of ['DNS:localhost', 'DNS:lantern.example', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']) {
      assert.ok(cert.subjectAltName?.includes(name), `${name} in ${cert.subjectAltName}`);
    }
    assert.equal(await handshake(tls, 'localhost'), 'ok');
  });

  it('reuses the certificate on the next start, and replaces it when the host name is not covered', async () => {
    const dir = dataDir();
    const first = await ensureTlsCertificate({ dataDir: dir });
    const again = await ensureTlsCertificate({ dataDir: dir });
    assert.equal(again.generated, false);
    assert.equal(again.cert, first.cert);
    const renamed = await ensureTlsCertificate({ dataDir: dir, hostName: 'lantern.internal' });
    assert.equal(renamed.generated, true);
    assert.ok(new X509Certificate(renamed.cert).checkHost('lantern.internal'));
  });

  it('replaces a generated certificate that is about to expire', async () => {
    const dir = dataDir();
    const first = await ensureTlsCertificate({ dataDir: dir, now: new Date('2026-01-01T00:00:00Z') });
    const later = await ensureTlsCertificate({ dataDir: dir, now: new Date('2030-12-15T00:00:00Z') });
    assert.equal(later.generated, true);
    assert.notEqual(later.cert, first.cert);
  });

  it("serves the operator's PEM files as they are, and refuses half a pair or files that are not PEM", async () => {
    const source = await ensureTlsCertificate({ dataDir: dataDir() });
    const dir = dataDir();
    const certPath = join(dir, 'operator.crt');
    const keyPath = join(dir, 'operator.key');
    writeFileSync(certPath, source.cert);
    writeFileSync(keyPath, source.key);
    const tls = await ensureTlsCertificate({ dataDir: dir, certPath, keyPath });
    assert.deepEqual(tls, { cert: source.cert, key: source.key, certPath, keyPath, generated: false });
    await assert.rejects(ensureTlsCertificate({ dataDir: dir, certPath }), /both the certificate and the private key/);
    await assert.rejects(ensureTlsCertificate({ dataDir: dir, certPath: keyPath, keyPath }), /holds no PEM certificate/);
    await assert.rejects(ensureTlsCertificate({ dataDir: dir, certPath, keyPath: certPath }), /holds no PEM private key/);
  });
});
