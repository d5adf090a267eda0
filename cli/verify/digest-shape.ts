import { canonicalJson } from '../../lambdas/evidence/canonical-json';
import { DIGEST_SCHEMA_VERSION, parseDigestKey, type Digest } from '../../lambdas/evidence/digest';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const HEX64 = /^[0-9a-f]{64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isTime = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** The first thing that keeps `value` from being a Digest, or undefined. */
function shapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value.schemaVersion !== DIGEST_SCHEMA_VERSION) return `schemaVersion is not ${DIGEST_SCHEMA_VERSION}`;
  if (value.kind !== 'soc2-evidence-digest') return 'kind is not "soc2-evidence-digest"';
  if (typeof value.account !== 'string') return 'account is not a string';
  if (typeof value.date !== 'string' || !DATE.test(value.date)) return 'date is not YYYY-MM-DD';
  if (!isTime(value.sealedAt)) return 'sealedAt is not a time';
  if (!Array.isArray(value.objects)) return 'objects is not an array';
  for (const [i, e] of value.objects.entries()) {
    if (!isObject(e)) return `objects[${i}] is not an object`;
    if (typeof e.key !== 'string') return `objects[${i}].key is not a string`;
    if (typeof e.sha256 !== 'string' || !HEX64.test(e.sha256)) return `objects[${i}].sha256 is not a SHA-256`;
    if (typeof e.bytes !== 'number' || !Number.isSafeInteger(e.bytes) || e.bytes < 0)
      return `objects[${i}].bytes is not a size`;
    if (!isTime(e.lastModified)) return `objects[${i}].lastModified is not a time`;
    if (e.late !== undefined && e.late !== true) return `objects[${i}].late is not true`;
  }
  if (!Array.isArray(value.otherVersions)) return 'otherVersions is not an array';
  for (const [i, v] of value.otherVersions.entries()) {
    if (!isObject(v) || typeof v.key !== 'string' || typeof v.versionId !== 'string')
      return `otherVersions[${i}] is not { key, versionId, deleteMarker }`;
  }
  const p = value.previous;
  if (p !== null) {
    if (!isObject(p)) return 'previous is neither null nor an object';
    if (typeof p.key !== 'string' || typeof p.sha256 !== 'string' || typeof p.date !== 'string')
      return 'previous is not { key, sha256, date }';
  }
  return undefined;
}

export interface ReadDigest {
  /** Set when the bytes are a Digest in shape (even if not canonical or not bound to the key). */
  readonly digest?: Digest;
  readonly problems: readonly string[];
}

/**
 * Reads a digest's bytes: a Digest in shape, its own canonical JSON (as the sealer writes and signs it), and
 * of the account and day its key names.
 */
export function readDigest(key: string, body: Uint8Array): ReadDigest {
  const text = Buffer.from(body).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problems: ['not a digest: not valid JSON'] };
  }
  const shape = shapeProblem(value);
  if (shape) return { problems: [`not a digest: ${shape}`] };
  const digest = value as Digest;
  const problems: string[] = [];
  if (canonicalJson(digest) !== text)
    problems.push('not the canonical JSON of its digest: it was re-serialised or edited');
  const named = parseDigestKey(key);
  if (named && (named.account !== digest.account || named.date !== digest.date))
    problems.push(
      `the digest is of account ${digest.account} on ${digest.date}, but its key says ${named.account} on ${named.date}`,
    );
  return { digest, problems };
}
