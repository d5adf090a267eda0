import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathUnder } from '../../lambdas/evidence/key-path';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { assessObject, checkEnvelope, type EnvelopeCheck } from '../package/checks';
import type { FetchedObject, ManifestObject } from '../package/manifest';

/**
 * Checks every fetched object from the bytes in the package: envelopes first, because an envelope records
 * the digest of each of its sources, which the sources are then checked against. Sorted by key.
 */
export async function assessAll(
  root: string,
  fetched: readonly FetchedObject[],
  keys: ReadonlyMap<string, KeyObject>,
): Promise<ManifestObject[]> {
  const byKey = new Map(fetched.map((f) => [f.key, f]));
  const bodyOf = async (f: FetchedObject) => {
    const path = pathUnder(root, f.key);
    return f.downloadError || !path ? undefined : await readFile(path);
  };
  const envelopeChecks = new Map<string, EnvelopeCheck>();
  const sourceRefs = new Map<string, string>();
  for (const f of fetched) {
    const parsed = parseEvidenceKey(f.key);
    if (!parsed || parsed.source !== undefined) continue;
    const body = await bodyOf(f);
    if (!body) continue;
    const check = checkEnvelope(f.key, body, byKey);
    envelopeChecks.set(f.key, check);
    for (const [k, sha] of check.sourceRefs) sourceRefs.set(k, sha);
  }
  const objects: ManifestObject[] = [];
  for (const f of fetched) {
    objects.push(
      assessObject(
        f,
        await bodyOf(f),
        (id) => keys.get(id),
        sourceRefs.get(f.key),
        envelopeChecks.get(f.key),
      ),
    );
  }
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
