import type { KeyObject } from 'node:crypto';
import { verifySignature } from './signer';

/**
 * The public keys a reader trusts, by producer (lambdas/evidence/producers.ts). `unbound` keys are trusted
 * for every producer: a key given without saying whose it is (`--public-key`, or a single-key deployment).
 */
export interface ProducerKeys {
  readonly producers: ReadonlyMap<string, { readonly key: KeyObject }>;
  readonly unbound: readonly KeyObject[];
}

/**
 * - `valid`: made by the key of the producer the evidence belongs to (or an unbound trusted key);
 * - `wrong-producer`: made by another producer's trusted key, so one function wrote another's evidence
 *   (for a kind only a person writes, by any producer's key: no function writes it);
 * - `no-public-key`: no trusted key for that producer, so it cannot be judged;
 * - `invalid`: no trusted key made it; `unsigned`: it carries no signature.
 */
export type SignatureVerdict = 'valid' | 'invalid' | 'unsigned' | 'wrong-producer' | 'no-public-key';

export interface SignatureJudgement {
  readonly verdict: SignatureVerdict;
  /** The producer whose key made the signature, when a pinned key did. */
  readonly signedBy?: string;
}

/**
 * Who must have signed an object: a producer id; `PERSON_ONLY` for a known kind that only a person writes
 * with their own credentials (the reviewer's attestation), which no function's key may sign; `undefined`
 * for an object outside the layout (any trusted key is accepted, and `signedBy` says whose).
 */
export const PERSON_ONLY = null;
export type ExpectedSigner = string | typeof PERSON_ONLY | undefined;

/**
 * Judges a signature against the trusted keys, never against the key the object's metadata names: that
 * name is written by whoever wrote the object. `producer` is who must have signed it (ExpectedSigner).
 * Pinned keys are tried before unbound ones, so a key pinned for one producer is never taken for another
 * because it was also given unbound (`--public-key` beside `--trust`).
 */
export function judgeSignature(
  body: Uint8Array,
  signature: string | undefined,
  producer: ExpectedSigner,
  keys: ProducerKeys,
): SignatureJudgement {
  if (!signature) return { verdict: 'unsigned' };
  const expected = typeof producer === 'string' ? keys.producers.get(producer) : undefined;
  if (expected && verifySignature(body, signature, expected.key))
    return { verdict: 'valid', signedBy: producer! };
  for (const [id, p] of keys.producers) {
    if (id === producer || !verifySignature(body, signature, p.key)) continue;
    return producer === undefined
      ? { verdict: 'valid', signedBy: id }
      : { verdict: 'wrong-producer', signedBy: id };
  }
  if (keys.unbound.some((k) => verifySignature(body, signature, k)))
    // An unbound key is some producer's: never a person's, who cannot sign.
    return producer === PERSON_ONLY ? { verdict: 'wrong-producer' } : { verdict: 'valid' };
  if (typeof producer === 'string' && !expected && keys.unbound.length === 0)
    return { verdict: 'no-public-key' };
  return { verdict: 'invalid' };
}
