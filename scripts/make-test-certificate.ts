// Creates the self-signed certificate the test servers serve, before any test process starts, so
// the runner can hand it to every test process as NODE_EXTRA_CA_CERTS (Node reads that only at start).
import { ensureTlsCertificate } from '../src/http/tls.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: make-test-certificate.ts DIR');
const tls = await ensureTlsCertificate({ dataDir: dir, hostName: 'localhost' });
process.stdout.write(JSON.stringify({ certPath: tls.certPath, keyPath: tls.keyPath }));
