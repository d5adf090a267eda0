import { messageOf } from '../aws/aws-error';
import { canonicalJson } from './canonical-json';
import { DIGEST_SCHEMA_VERSION, parseDigestKey, type Digest } from './digest';

/**
 * Whether a digest object is well formed where it is stored: canonical JSON (so its SHA-256, which the next
 * digest links to, can be recomputed by anyone who parses it), the digest format, and the day and account of
 * its key. `pull` judges every digest it downloads with this; a digest that fails proves nothing.
 */
export type DigestVerdict = 'ok' | 'invalid-json' | 'not-canonical' | 'not-a-digest' | 'key-mismatch';

export interface DigestCheck {
  readonly result: DigestVerdict;
  /** The parsed digest when its format holds (even if not canonical or under another key). */
  readonly digest?: Digest;
  readonly problems: readonly string[];
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** The first field of `value` that is not the digest format, in words; undefined when it is a digest. */
function formatProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const d = value as Partial<Record<keyof Digest, unknown>>;
  if (d.kind !== 'soc2-evidence-digest') return 'kind is not "soc2-evidence-digest"';
  if (d.schemaVersion !== DIGEST_SCHEMA_VERSION) return `schemaVersion is not ${DIGEST_SCHEMA_VERSION}`;
  if (!isString(d.account) || !isString(d.date) || !isString(d.sealedAt))
    return 'account, date and sealedAt must be strings';
  if (!Array.isArray(d.objects)) return 'objects is not a list';
  for (const [i, o] of d.objects.entries()) {
    const e = o as Record<string, unknown> | null;
    if (!e || !isString(e.key) || !isString(e.sha256) || !isString(e.lastModified))
      return `objects[${i}] lacks key, sha256 or lastModified`;
    if (e.signature !== undefined && !isString(e.signature)) return `objects[${i}].signature is not a string`;
  }
  if (!Array.isArray(d.otherVersions)) return 'otherVersions is not a list';
  const p = d.previous as Record<string, unknown> | null | undefined;
  if (p !== null && (!p || !isString(p.key) || !isString(p.sha256) || !isString(p.date)))
    return 'previous must be null or { key, sha256, date }';
  return undefined;
}

export function checkDigest(key: string, body: Uint8Array): DigestCheck {
  const text = Buffer.from(body).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { result: 'invalid-json', problems: [`the digest is not valid JSON: ${messageOf(err)}`] };
  }
  const notDigest = formatProblem(value);
  if (notDigest) return { result: 'not-a-digest', problems: [`not a digest: ${notDigest}`] };
  const digest = value as Digest;
  if (canonicalJson(digest) !== text)
    return {
      result: 'not-canonical',
      digest,
      problems: ['the digest is not its own canonical JSON: it was re-serialised or edited'],
    };
  const at = parseDigestKey(key);
  if (!at || at.date !== digest.date || at.account !== digest.account)
    return {
      result: 'key-mismatch',
      digest,
      problems: [
        `the digest seals account ${digest.account} on ${digest.date}, but it is stored under ${key}`,
      ],
    };
  return { result: 'ok', digest, problems: [] };
}
