import type { KMSClient } from '@aws-sdk/client-kms';
import type { KeyObject } from 'node:crypto';
import { messageOf, resourceError } from '../aws/aws-error';
import type { ErrorEntry } from '../evidence/envelope';
import type { ProducerKeys } from '../evidence/signature-check';
import { fetchKmsPublicKey } from '../evidence/signer';

/** Reads ENV.producerKeys: a JSON object of producer id → signing key ARN. Throws naming what is wrong. */
export function parseProducerKeyArns(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`producer signing keys are not JSON: ${messageOf(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('producer signing keys must be a JSON object of producer id → key ARN');
  for (const [producer, arn] of Object.entries(parsed))
    if (typeof arn !== 'string' || arn === '')
      throw new Error(
        `the signing key of producer ${producer} must be a key ARN, got ${JSON.stringify(arn)}`,
      );
  return parsed as Record<string, string>;
}

/**
 * The public key of each producer in `needed`, fetched once per run (kms:GetPublicKey). A key that cannot
 * be fetched is an error entry: that producer's envelopes then cannot be judged, so they do not count.
 */
export async function loadProducerKeys(
  kms: KMSClient,
  arns: Readonly<Record<string, string>>,
  needed: Iterable<string>,
): Promise<{ keys: ProducerKeys; errors: ErrorEntry[] }> {
  const producers = new Map<string, { key: KeyObject }>();
  const errors: ErrorEntry[] = [];
  for (const producer of [...new Set(needed)].sort()) {
    const arn = arns[producer];
    if (!arn) continue; // judged as no-public-key, and reported per envelope
    try {
      producers.set(producer, { key: await fetchKmsPublicKey(kms, arn) });
    } catch (err) {
      errors.push(resourceError(err, 'global', 'kms:GetPublicKey', arn));
    }
  }
  return { keys: { producers, unbound: [] }, errors };
}
