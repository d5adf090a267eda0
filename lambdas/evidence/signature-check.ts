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
 * - `wrong-producer`: made by another producer's trusted key, so one function wrote another's evidence;
 * - `no-public-key`: no trusted key for that producer, so it cannot be judged;
 * - `invalid`: no trusted key made it; `unsigned`: it carries no signature.
 */
export type SignatureVerdict = 'valid' | 'invalid' | 'unsigned' | 'wrong-producer' | 'no-public-key';

export interface SignatureJudgement {
  readonly verdict: SignatureVerdict;
  /** The producer whose key made the signature, when a trusted key did. */
  readonly signedBy?: string;
}

/**
 * Judges a signature against the trusted keys, never against the key the object's metadata names: that
 * name is written by whoever wrote the object. `producer` is who must have signed it (undefined for
 * objects of no known producer: any trusted key is then accepted, and `signedBy` says whose).
 */
export function judgeSignature(
  body: Uint8Array,
  signature: string | undefined,
  producer: string | undefined,
  keys: ProducerKeys,
): SignatureJudgement {
  if (!signature) return { verdict: 'unsigned' };
  const expected = producer === undefined ? undefined : keys.producers.get(producer);
  if (expected && verifySignature(body, signature, expected.key))
    return { verdict: 'valid', signedBy: producer! };
  if (keys.unbound.some((k) => verifySignature(body, signature, k))) return { verdict: 'valid' };
  for (const [id, p] of keys.producers) {
    if (id === producer || !verifySignature(body, signature, p.key)) continue;
    return producer === undefined
      ? { verdict: 'valid', signedBy: id }
      : { verdict: 'wrong-producer', signedBy: id };
  }
  if (producer !== undefined && !expected && keys.unbound.length === 0) return { verdict: 'no-public-key' };
  return { verdict: 'invalid' };
}
