/**
 * The identity plane's secrets key: 32 random bytes in `{dataDir}/identity-secrets.key` (made on
 * first start, readable by the owner only), which seals users' authenticator secrets in the
 * database. A database copied without this file holds no usable TOTP secret; back the file up with
 * the database, and give every Lantern process that shares one PostgreSQL database the same file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const KEY_BYTES = 32;

/** Reads the key, making it first when the data directory has none. */
export function loadSecretsKey(dataDir: string): Buffer {
  const file = join(dataDir, 'identity-secrets.key');
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${file} must hold ${KEY_BYTES} bytes in base64; it holds ${key.length}.`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  // 'wx': two processes starting at once do not overwrite each other's key; the loser reads the winner's.
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSecretsKey(dataDir);
    throw error;
  }
  return key;
}
