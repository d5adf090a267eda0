import { readFile } from 'node:fs/promises';
import type { Digest } from '../../lambdas/evidence/digest';
import type { Envelope } from '../../lambdas/evidence/envelope';
import type { ProducerKeys } from '../../lambdas/evidence/signature-check';
import { pathUnder } from '../../lambdas/evidence/key-path';
import { parseDigestKey } from '../../lambdas/evidence/digest';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import {
  assessObject,
  checkDigest,
  checkEnvelope,
  type DigestCheck,
  type EnvelopeCheck,
} from '../package/checks';
import { extractFindings, type PackageFindings } from '../package/findings';
import type { FetchedObject, ManifestObject } from '../package/manifest';
import { judgeCustody } from './custody';

export interface Assessed {
  readonly objects: ManifestObject[];
  readonly findings: PackageFindings;
  /** Each envelope's parsed body, by key (undefined when it did not parse): the period report reads it. */
  readonly parsed: ReadonlyMap<string, Envelope | undefined>;
}

/**
 * Checks every fetched object from the bytes in the package (`root`, or bytes already read, by key): envelopes and digests first, because an
 * envelope records the digest of each of its sources, which the sources are then checked against, and a
 * day's digest says which of the day's objects were written on time. Objects sorted by key; beside them,
 * the FAIL and WARN findings of the envelopes that passed every check (for index.html).
 */
export async function assessAll(
  root: string | ReadonlyMap<string, Buffer>,
  fetched: readonly FetchedObject[],
  keys: ProducerKeys,
): Promise<Assessed> {
  const byKey = new Map(fetched.map((f) => [f.key, f]));
  const bodyOf = async (f: FetchedObject) => {
    if (f.downloadError) return undefined;
    if (typeof root !== 'string') return root.get(f.key);
    const path = pathUnder(root, f.key);
    return path ? await readFile(path) : undefined;
  };
  const envelopeChecks = new Map<string, EnvelopeCheck>();
  const digestChecks = new Map<string, DigestCheck>();
  const sourceRefs = new Map<string, string>();
  // Bytes read in the first pass are kept for the second, so each file is read once.
  const firstBodies = new Map<string, Buffer>();
  for (const f of fetched) {
    const parsed = parseEvidenceKey(f.key);
    const isEnvelope = parsed && parsed.source === undefined;
    if (!isEnvelope && !parseDigestKey(f.key)) continue;
    const body = await bodyOf(f);
    if (!body) continue;
    firstBodies.set(f.key, body);
    if (!isEnvelope) {
      digestChecks.set(f.key, checkDigest(f.key, body));
      continue;
    }
    const check = checkEnvelope(f.key, body, byKey);
    envelopeChecks.set(f.key, check);
    for (const [k, sha] of check.sourceRefs) sourceRefs.set(k, sha);
  }
  const assessed: ManifestObject[] = [];
  for (const f of fetched) {
    const sourceRef = sourceRefs.get(f.key);
    const envelopeCheck = envelopeChecks.get(f.key);
    const digestCheck = digestChecks.get(f.key);
    assessed.push(
      assessObject(f, firstBodies.get(f.key) ?? (await bodyOf(f)), keys, {
        ...(sourceRef !== undefined ? { sourceRef } : {}),
        ...(envelopeCheck ? { envelopeCheck } : {}),
        ...(digestCheck ? { digestCheck } : {}),
      }),
    );
  }
  const digests = new Map<string, Digest>();
  for (const [key, check] of digestChecks) if (check.digest) digests.set(key, check.digest);
  const objects = judgeCustody(assessed, digests);
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const parsed = new Map([...envelopeChecks].map(([key, check]) => [key, check.envelope]));
  return { objects, findings: extractFindings(objects, parsed), parsed };
}
