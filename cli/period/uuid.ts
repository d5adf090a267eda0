/**
 * Name-based UUIDs (RFC 4122 section 4.3, version 5: SHA-1): the same namespace and name always give the
 * same UUID. The OSCAL export derives every uuid this way from stable names, so rendering a report twice
 * gives the same bytes, which `verify` relies on when it renders the export again and compares.
 */
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The version-5 UUID of `name` (UTF-8) in `namespace` (a UUID in its usual 8-4-4-4-12 hex form). */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID.test(namespace))
    throw new Error(`uuidV5: namespace must be a UUID (8-4-4-4-12 hex digits), got "${namespace}"`);
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
