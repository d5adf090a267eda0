import { readFile } from 'node:fs/promises';
import type { ProducerKeys } from '../../lambdas/evidence/signature-check';
import { pathUnder } from '../../lambdas/evidence/key-path';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { assessObject, checkEnvelope, type EnvelopeCheck } from '../package/checks';
import { extractFindings, type PackageFindings } from '../package/findings';
import type { FetchedObject, ManifestObject } from '../package/manifest';

/**
 * Checks every fetched object from the bytes in the package: envelopes first, because an envelope records
 * the digest of each of its sources, which the sources are then checked against. Objects sorted by key;
 * beside them, the FAIL and WARN findings of the envelopes that passed every check (for index.html).
 */
export async function assessAll(
  root: string,
  fetched: readonly FetchedObject[],
  keys: ProducerKeys,
): Promise<{ objects: ManifestObject[]; findings: PackageFindings }> {
  const byKey = new Map(fetched.map((f) => [f.key, f]));
  const bodyOf = async (f: FetchedObject) => {
    const path = pathUnder(root, f.key);
    return f.downloadError || !path ? undefined : await readFile(path);
  };
  const envelopeChecks = new Map<string, EnvelopeCheck>();
  const sourceRefs = new Map<string, string>();
  // Envelope bytes read in the first pass are kept for the second, so each file is read once.
  const envelopeBodies = new Map<string, Buffer>();
  for (const f of fetched) {
    const parsed = parseEvidenceKey(f.key);
    if (!parsed || parsed.source !== undefined) continue;
    const body = await bodyOf(f);
    if (!body) continue;
    envelopeBodies.set(f.key, body);
    const check = checkEnvelope(f.key, body, byKey);
    envelopeChecks.set(f.key, check);
    for (const [k, sha] of check.sourceRefs) sourceRefs.set(k, sha);
  }
  const objects: ManifestObject[] = [];
  for (const f of fetched) {
    objects.push(
      assessObject(
        f,
        envelopeBodies.get(f.key) ?? (await bodyOf(f)),
        keys,
        sourceRefs.get(f.key),
        envelopeChecks.get(f.key),
      ),
    );
  }
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const parsed = new Map([...envelopeChecks].map(([key, check]) => [key, check.envelope]));
  return { objects, findings: extractFindings(objects, parsed) };
}
