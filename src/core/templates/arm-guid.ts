/**
 * ARM's deterministic `guid(...)`: an RFC 4122 version-5 (SHA-1, name-based) UUID in the namespace
 * 11fb06fb-712d-4ddd-98c7-e71bbd588830 over the UTF-8 bytes of the arguments. Several arguments
 * are joined with '-' before hashing: that is the joiner of ARM's own expression engine as
 * reimplemented by third parties (and the one `uniqueString` uses); spec §5.5 records it as open.
 * Verified vectors: guid('test') = d6a5baf1-8b9b-542a-8525-2982f1f98a0c.
 */
import { createHash } from 'node:crypto';

const ARM_NAMESPACE = Buffer.from('11fb06fb712d4ddd98c7e71bbd588830', 'hex');

/** The value of `guid(parts...)` in an ARM template. */
export function armGuid(parts: readonly string[]): string {
  const digest = createHash('sha1').update(ARM_NAMESPACE).update(Buffer.from(parts.join('-'), 'utf8')).digest();
  const b = digest.subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50; // version 5
  b[8] = ((b[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
