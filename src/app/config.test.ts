import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig([], {});
    assert.match(c.dataDir, /\.lantern$/);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.httpPort, 8080);
    assert.equal(c.httpsPort, 8443);
    assert.equal(c.publicUrl, 'https://localhost:8443');
    assert.deepEqual(c.throttle, { reads: 12000, writes: 1200, deletes: 15000 });
    assert.equal(c.allowPrivateLeadEndpoints, false);
  });

  it('lets flags override environment variables', () => {
    const c = loadConfig(['--http-port', '9000', '--data-dir=/tmp/x'], { LANTERN_HTTP_PORT: '7000', LANTERN_DATA_DIR: '/tmp/y', DATABASE_URL: 'postgres://u@h/db' });
    assert.equal(c.httpPort, 9000);
    assert.equal(c.dataDir, '/tmp/x');
    assert.equal(c.databaseUrl, 'postgres://u@h/db');
  });

  it('lists every bad value, naming the variable or flag and the rule', () => {
    assert.throws(
      () => loadConfig(['--https-port', '70000', '--bogus', 'x'], { LANTERN_HTTP_PORT: 'eighty', DATABASE_URL: 'mysql://u:secret@h/db', LANTERN_LOG_LEVEL: 'loud', LANTERN_TLS_CERT: '/c.pem', LANTERN_THROTTLE_WRITES: '0', LANTERN_ALLOW_PRIVATE_LEAD_ENDPOINTS: 'yes' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const text = error.problems.join('\n');
        assert.match(text, /LANTERN_HTTP_PORT must be a whole number from 0 to 65535 \(got 'eighty'\)/);
        assert.match(text, /--https-port must be a whole number from 0 to 65535 \(got '70000'\)/);
        assert.match(text, /unknown option --bogus/);
        assert.match(text, /DATABASE_URL must be a PostgreSQL URL/);
        assert.doesNotMatch(text, /secret/, 'credentials in a bad URL are not echoed');
        assert.match(text, /LANTERN_LOG_LEVEL must be one of/);
        assert.match(text, /LANTERN_TLS_CERT and LANTERN_TLS_KEY must be given together/);
        assert.match(text, /LANTERN_THROTTLE_WRITES must be a whole number of at least 1/);
        assert.match(text, /LANTERN_ALLOW_PRIVATE_LEAD_ENDPOINTS must be true or false \(got 'yes'\)/);
        return true;
      },
    );
  });

  it('refuses a public URL that is not http(s)', () => {
    assert.throws(() => loadConfig(['--public-url', 'ftp://x'], {}), /--public-url must be an absolute http\(s\) URL/);
  });
});
