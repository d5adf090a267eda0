/**
 * Whether an envelope may count as a run: the watchdog counts only evidence an auditor's `verify` would
 * accept on the same points, so an administrator cannot close a gap by writing, editing or copying an
 * envelope. Judged with the same code as `pull` and `verify` (lambdas/evidence/envelope-check.ts and
 * signature-check.ts).
 */
import { producerOfKey } from '../collectors/kinds';
import { runOutcome, type RunStatus } from '../evidence/envelope';
import { checkEnvelope } from '../evidence/envelope-check';
import { judgeSignature, type ProducerKeys, type SignatureVerdict } from '../evidence/signature-check';

const STATUSES: readonly RunStatus[] = ['PASS', 'FAIL', 'PARTIAL', 'ERROR'];

export type EnvelopeJudgement =
  | {
      readonly counted: true;
      /** As `runOutcome` reads the envelope: an old PARTIAL with failed checks is FAIL. */
      readonly status: RunStatus;
      /** False when the run recorded an error entry (or is PARTIAL or ERROR): it judged part of its scope. */
      readonly complete: boolean;
      /** `undefined` when signatures were not judged (no producer keys were given). */
      readonly signature?: SignatureVerdict;
    }
  | {
      readonly counted: false;
      readonly problems: readonly string[];
      readonly signature?: SignatureVerdict;
      readonly signedBy?: string;
    };

const SIGNATURE_PROBLEM: Record<Exclude<SignatureVerdict, 'valid'>, (producer: string) => string> = {
  unsigned: () => 'the envelope carries no signature (x-amz-meta-signature): no deployed function wrote it',
  invalid: (p) => `the signature does not verify with the public key of producer ${p}`,
  'wrong-producer': (p) => `the signature was made by another producer's key, not ${p}'s`,
  'no-public-key': (p) => `no public key for producer ${p}: its signature cannot be judged`,
};

/**
 * Judges one envelope from its bytes and its `signature` metadata. Sources are not read here (the watchdog
 * reads envelopes only), so only the envelope's own form, its key binding and its signature decide.
 */
export function judgeEnvelope(
  key: string,
  body: Uint8Array,
  signature: string | undefined,
  keys: ProducerKeys | undefined,
): EnvelopeJudgement {
  const check = checkEnvelope(key, body, new Map());
  const problems =
    check.result === 'sources-mismatch'
      ? []
      : check.problems.filter((p) => !p.endsWith('named by the envelope is missing'));
  const status = check.envelope?.summary?.status;
  if (check.envelope && (!status || !STATUSES.includes(status)))
    problems.push('the envelope has no summary.status');
  let judged: ReturnType<typeof judgeSignature> | undefined;
  if (keys) {
    // The kind the key names: a copied envelope was already refused above by its key binding.
    const producer = producerOfKey(key);
    judged = judgeSignature(body, signature, producer, keys);
    if (judged.verdict !== 'valid') problems.push(SIGNATURE_PROBLEM[judged.verdict](producer ?? 'unknown'));
  }
  if (problems.length > 0 || !status)
    return {
      counted: false,
      problems,
      ...(judged ? { signature: judged.verdict } : {}),
      ...(judged?.signedBy ? { signedBy: judged.signedBy } : {}),
    };
  const outcome = runOutcome(check.envelope?.summary ?? {});
  return {
    counted: true,
    status: outcome.status,
    complete: outcome.complete,
    ...(judged ? { signature: judged.verdict } : {}),
  };
}
