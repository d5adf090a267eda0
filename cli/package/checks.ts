import type { KeyObject } from 'node:crypto';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import type { EnvelopeCheck } from '../../lambdas/evidence/envelope-check';
export { checkEnvelope, type EnvelopeCheck } from '../../lambdas/evidence/envelope-check';
import { verifySignature } from '../../lambdas/evidence/signer';
import type { FetchedObject, ManifestObject, ObjectChecks } from './manifest';
import { unsignedExplanation } from '../../lambdas/collectors/registry';

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
  if (signature === 'unsigned') problems.push(unsignedExplanation(parsed?.collector));
  if (signature === 'no-public-key')
    problems.push(`no public key for signing key ${fetched.signingKey}: give --public-key FILE`);

  const warnings: string[] = [];
  const retention = retentionCheck(fetched, parsed?.date);
  if (retention === 'absent')
    problems.push(
      fetched.objectLock.mode && fetched.objectLock.retainUntil
        ? `Object Lock mode ${fetched.objectLock.mode} is neither COMPLIANCE nor GOVERNANCE`
        : 'the object has no Object Lock retention (needs s3:GetObjectRetention to be seen)',
    );
  else if (retention === 'too-short')
    problems.push(
      `Object Lock retention ends ${fetched.objectLock.retainUntil}, before the day after the evidence was collected (${parsed?.date ?? fetched.lastModified}): it protects nothing`,
    );
  else if (retention === 'governance')
    warnings.push(
      'Object Lock mode is GOVERNANCE: a principal with s3:BypassGovernanceRetention can shorten the lock or delete the object',
    );
  if (fetched.otherVersions?.length) {
    const others = fetched.otherVersions
      .map((v) => `${v.versionId}${v.deleteMarker ? ' (delete marker)' : ''}${v.isLatest ? ' (latest)' : ''}`)
      .join(', ');
    problems.push(
      `the key holds more than one version: ${fetched.versionId ?? '?'} (downloaded) and ${others}; evidence is written once, so it was overwritten or deleted`,
    );
  }

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
    ...(warnings.length ? { warnings } : {}),
  };
}

const DAY_MS = 86_400_000;

function retentionCheck(fetched: FetchedObject, keyDate: string | undefined): ObjectChecks['retention'] {
  const { mode, retainUntil } = fetched.objectLock;
  if (!mode || !retainUntil) return 'absent';
  // The key's day (tied to collectedAt for envelopes); S3's own timestamp for anything outside the layout.
  const from = keyDate ? Date.parse(`${keyDate}T00:00:00Z`) : Date.parse(fetched.lastModified ?? '');
  const until = Date.parse(retainUntil);
  if (Number.isNaN(until)) return 'too-short';
  if (!Number.isNaN(from) && until < from + DAY_MS) return 'too-short';
  return mode === 'COMPLIANCE' ? 'ok' : mode === 'GOVERNANCE' ? 'governance' : 'absent';
}
