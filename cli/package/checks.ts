import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import type { EnvelopeCheck } from '../../lambdas/evidence/envelope-check';
export { checkEnvelope, type EnvelopeCheck } from '../../lambdas/evidence/envelope-check';
import {
  judgeSignature,
  PERSON_ONLY,
  type ExpectedSigner,
  type ProducerKeys,
  type SignatureJudgement,
} from '../../lambdas/evidence/signature-check';
import { parseDigestKey } from '../../lambdas/evidence/digest';
import type { DigestCheck } from '../../lambdas/evidence/digest-check';
export { checkDigest, type DigestCheck } from '../../lambdas/evidence/digest-check';
import { recordedOutcome, type FetchedObject, type ManifestObject, type ObjectChecks } from './manifest';
import { producerOfKey, unsignedExplanation } from '../../lambdas/collectors/registry';
export { producerOfKey } from '../../lambdas/collectors/registry';

export function base64ToHex(b64: string): string {
  return Buffer.from(b64, 'base64').toString('hex');
}

/** The problem a signature verdict is, in words; undefined when it is valid. */
export function signatureProblem(
  key: string,
  judgement: SignatureJudgement,
  producer: ExpectedSigner,
): string | undefined {
  switch (judgement.verdict) {
    case 'valid':
      return undefined;
    case 'unsigned':
      return unsignedExplanation(parseEvidenceKey(key)?.collector);
    case 'wrong-producer':
      if (producer === PERSON_ONLY)
        return `signed with the key of ${judgement.signedBy ?? 'a producer (a key given unbound)'}, but ${parseEvidenceKey(key)?.collector ?? 'this kind'} is written only by a person, with their own credentials: no function writes it, so a function's key signed what it must not`;
      return `signed with the key of ${judgement.signedBy}, but this is evidence of ${producer}: one function wrote another's evidence`;
    case 'no-public-key':
      return `no trusted key for producer ${producer}: pin it with 'soc2-evidence pin' (or give --public-key)`;
    case 'invalid':
      return producer
        ? `signature does not verify with the trusted key of ${producer} (nor any other trusted key)`
        : 'signature does not verify with any trusted key';
  }
}

/** What other objects of the package say about the one judged. */
export interface ObjectContext {
  /** The SHA-256 an envelope records for this source, when one does. */
  readonly sourceRef?: string;
  /** The envelope's own check, for an envelope. */
  readonly envelopeCheck?: EnvelopeCheck;
  /** The digest's own check, for a digest (`digests/YYYY/MM/DD/<account>.json`). */
  readonly digestCheck?: DigestCheck;
}

/**
 * Judges one object from what was fetched and its bytes. Every disagreement is a problem naming what
 * differs; nothing is corrected. Custody (late or sealed) is judged afterwards, against the digests.
 */
export function assessObject(
  fetched: FetchedObject,
  body: Uint8Array | undefined,
  keys: ProducerKeys,
  context: ObjectContext = {},
): ManifestObject {
  const { sourceRef, envelopeCheck, digestCheck } = context;
  const parsed = parseEvidenceKey(fetched.key);
  const sealedDay = parseDigestKey(fetched.key)?.date;
  const problems: string[] = [];
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

  const producer = producerOfKey(fetched.key);
  const judgement: SignatureJudgement = body
    ? judgeSignature(body, fetched.signature, producer, keys)
    : { verdict: 'invalid' };
  const signature = judgement.verdict;
  const signatureIssue = body ? signatureProblem(fetched.key, judgement, producer) : undefined;
  if (signatureIssue) problems.push(signatureIssue);

  const warnings: string[] = [];
  const retention = retentionCheck(fetched, parsed?.date ?? sealedDay);
  if (retention === 'absent')
    problems.push(
      fetched.objectLock.mode && fetched.objectLock.retainUntil
        ? `Object Lock mode ${fetched.objectLock.mode} is neither COMPLIANCE nor GOVERNANCE`
        : 'the object has no Object Lock retention (needs s3:GetObjectRetention to be seen)',
    );
  else if (retention === 'too-short')
    problems.push(
      `Object Lock retention ends ${fetched.objectLock.retainUntil}, before the day after the evidence was collected (${parsed?.date ?? sealedDay ?? fetched.lastModified}): it protects nothing`,
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
      `the key holds more than one version: ${fetched.versionId ?? 'none'} (downloaded) and ${others}; evidence is written once, so it was overwritten or deleted`,
    );
  }
  // Bytes never read prove nothing either way: the failure (and the versions seen) is all there is to say.
  if (fetched.downloadError || body === undefined)
    problems.splice(
      0,
      problems.length,
      `download failed: ${fetched.downloadError ?? 'no body'}`,
      ...problems.filter((p) => p.startsWith('the key holds more than one version')),
    );

  if (envelopeCheck) problems.push(...envelopeCheck.problems);
  if (digestCheck) problems.push(...digestCheck.problems);
  const envelope = envelopeCheck?.envelope;
  return {
    ...fetched,
    kind: envelopeCheck ? 'envelope' : parsed?.source ? 'source' : sealedDay ? 'digest' : 'other',
    ...(parsed
      ? { collector: parsed.collector, account: parsed.account, region: parsed.region, date: parsed.date }
      : {}),
    ...recordedOutcome(envelope?.summary),
    ...(Array.isArray(envelope?.controls) ? { controls: envelope.controls } : {}),
    ...(envelope?.schedule ? { schedule: envelope.schedule } : {}),
    checks: {
      digest,
      s3Checksum,
      metadataSha256,
      signature,
      ...(envelopeCheck ? { envelope: envelopeCheck.result } : {}),
      ...(digestCheck ? { digestFile: digestCheck.result } : {}),
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
