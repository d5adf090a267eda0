import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../../lambdas/evidence/canonical-json';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { verifySignature } from '../../lambdas/evidence/signer';
import type { FetchedObject, ManifestObject, ObjectChecks } from './manifest';

/** Looks up a signing key's public half; undefined when it is not available. */
export type PublicKeyFor = (keyId: string) => KeyObject | undefined;

export function base64ToHex(b64: string): string {
  return Buffer.from(b64, 'base64').toString('hex');
}

export function checkSignature(
  body: Uint8Array,
  object: Pick<FetchedObject, 'signature' | 'signingKey'>,
  publicKeyFor: PublicKeyFor,
): ObjectChecks['signature'] {
  if (!object.signature) return 'unsigned';
  const key = publicKeyFor(object.signingKey ?? '');
  if (!key) return 'no-public-key';
  return verifySignature(body, object.signature, key) ? 'valid' : 'invalid';
}

export interface EnvelopeCheck {
  readonly result: NonNullable<ObjectChecks['envelope']>;
  readonly envelope?: Envelope;
  readonly problems: string[];
  /** Source key → the digest the envelope records for it. */
  readonly sourceRefs: ReadonlyMap<string, string>;
}

/**
 * An envelope must be its own canonical JSON (so its digest can be recomputed by anyone who parses it),
 * must agree with its key, and every source it names must be present with the recorded digest and size.
 */
export function checkEnvelope(
  key: string,
  body: Uint8Array,
  objects: ReadonlyMap<string, Pick<FetchedObject, 'sha256' | 'bytes' | 'downloadError'>>,
): EnvelopeCheck {
  const text = Buffer.from(body).toString('utf8');
  let envelope: Envelope;
  try {
    envelope = JSON.parse(text) as Envelope;
  } catch (err) {
    return {
      result: 'invalid-json',
      problems: [`not valid JSON: ${(err as Error).message}`],
      sourceRefs: new Map(),
    };
  }
  const problems: string[] = [];
  let result: EnvelopeCheck['result'] = 'ok';
  if (canonicalJson(envelope) !== text) {
    result = 'not-canonical';
    problems.push('the envelope is not its own canonical JSON: it was re-serialised or edited');
  }
  const parsed = parseEvidenceKey(key);
  if (parsed && (envelope.collector !== parsed.collector || envelope.account !== parsed.account)) {
    result = result === 'ok' ? 'sources-mismatch' : result;
    problems.push(
      `the envelope names ${envelope.collector}/${envelope.account} but its key says ${parsed.collector}/${parsed.account}`,
    );
  }
  const sourceRefs = new Map<string, string>();
  for (const ref of Array.isArray(envelope.sources) ? envelope.sources : []) {
    sourceRefs.set(ref.key, ref.sha256);
    const found = objects.get(ref.key);
    if (!found || found.downloadError) {
      problems.push(`source ${ref.key} named by the envelope is missing`);
    } else if (found.sha256 !== ref.sha256 || found.bytes !== ref.bytes) {
      problems.push(
        `source ${ref.key} has SHA-256 ${found.sha256} (${found.bytes} bytes), the envelope records ${ref.sha256} (${ref.bytes} bytes)`,
      );
    } else continue;
    if (result === 'ok') result = 'sources-mismatch';
  }
  return { result, envelope, problems, sourceRefs };
}

/**
 * Judges one object from what was fetched and its bytes. `sourceRef` is the digest an envelope records for
 * it, when one does. Every disagreement is a problem naming what differs; nothing is corrected.
 */
export function assessObject(
  fetched: FetchedObject,
  body: Uint8Array | undefined,
  publicKeyFor: PublicKeyFor,
  sourceRef: string | undefined,
  envelopeCheck: EnvelopeCheck | undefined,
): ManifestObject {
  const parsed = parseEvidenceKey(fetched.key);
  const problems: string[] = [];
  if (fetched.downloadError || body === undefined) {
    problems.push(`download failed: ${fetched.downloadError ?? 'no body'}`);
  }
  const s3Hex = fetched.s3ChecksumSha256 ? base64ToHex(fetched.s3ChecksumSha256) : undefined;
  const s3Checksum = s3Hex === undefined ? 'absent' : s3Hex === fetched.sha256 ? 'ok' : 'mismatch';
  if (s3Checksum === 'mismatch')
    problems.push(`SHA-256 of the bytes ${fetched.sha256} differs from S3's stored checksum ${s3Hex}`);
  const metadataSha256 =
    fetched.metadataSha256 === undefined
      ? 'absent'
      : fetched.metadataSha256 === fetched.sha256
        ? 'ok'
        : 'mismatch';
  if (metadataSha256 === 'mismatch')
    problems.push(
      `SHA-256 of the bytes ${fetched.sha256} differs from x-amz-meta-sha256 ${fetched.metadataSha256}`,
    );
  if (s3Checksum === 'absent' && metadataSha256 === 'absent')
    problems.push('S3 holds no SHA-256 for this object (no checksum, no sha256 metadata)');
  const refOk = sourceRef === undefined || sourceRef === fetched.sha256;
  if (!refOk)
    problems.push(`SHA-256 of the bytes ${fetched.sha256} differs from the envelope's record ${sourceRef}`);
  const digest = s3Checksum !== 'mismatch' && metadataSha256 !== 'mismatch' && refOk ? 'ok' : 'mismatch';

  const signature = body ? checkSignature(body, fetched, publicKeyFor) : 'invalid';
  if (body && signature === 'invalid')
    problems.push(
      `signature does not verify with the public key of ${fetched.signingKey ?? 'its signing key'}`,
    );
  if (signature === 'unsigned') problems.push('the object carries no signature (x-amz-meta-signature)');
  if (signature === 'no-public-key')
    problems.push(`no public key for signing key ${fetched.signingKey}: give --public-key FILE`);

  const retention = fetched.objectLock.mode && fetched.objectLock.retainUntil ? 'ok' : 'absent';
  if (retention === 'absent')
    problems.push('the object has no Object Lock retention (needs s3:GetObjectRetention to be seen)');

  if (envelopeCheck) problems.push(...envelopeCheck.problems);
  const envelope = envelopeCheck?.envelope;
  return {
    ...fetched,
    kind: envelopeCheck ? 'envelope' : parsed?.source ? 'source' : 'other',
    ...(parsed
      ? { collector: parsed.collector, account: parsed.account, region: parsed.region, date: parsed.date }
      : {}),
    ...(envelope?.summary?.status ? { status: envelope.summary.status } : {}),
    ...(Array.isArray(envelope?.controls) ? { controls: envelope.controls } : {}),
    ...(envelope?.schedule ? { schedule: envelope.schedule } : {}),
    checks: {
      digest,
      s3Checksum,
      metadataSha256,
      signature,
      ...(envelopeCheck ? { envelope: envelopeCheck.result } : {}),
      retention,
    },
    problems,
  };
}
