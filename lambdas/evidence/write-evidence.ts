import { canonicalBytes, sha256Hex } from './canonical-json';
import type { Envelope, SourceRef } from './envelope';
import { envelopeKey, sourceKey, type EvidenceKeyParts } from './keys';
import type { EvidenceStore, StoredObject } from './store';

/** A raw source as read from AWS (e.g. the credential report CSV), kept verbatim beside its envelope. */
export interface RawSource {
  /** File-like name, lowercase: `credential-report.csv`. */
  readonly name: string;
  /** The API it came from, `service:Action`. */
  readonly api: string;
  readonly contentType: string;
  readonly body: Uint8Array;
  readonly generatedAt?: string;
}

/** A raw source read as JSON, kept in canonical form (what most collectors keep beside their envelope). */
export function jsonSource(name: string, api: string, value: unknown, generatedAt: Date): RawSource {
  return {
    name,
    api,
    contentType: 'application/json',
    body: canonicalBytes(value),
    generatedAt: generatedAt.toISOString(),
  };
}

/**
 * A source whose bytes are made from `render` each time `body` is read, and kept by nobody: writeEvidence
 * reads it once, writes it and lets it go. For a large source made from what the run holds anyway (the
 * access review's population, rendered from its facts), so its bytes are never held beside the other sources.
 * `render` must give the same bytes every time: it reads facts nobody changes.
 */
export function deferredSource(source: Omit<RawSource, 'body'>, render: () => Uint8Array): RawSource {
  return Object.defineProperty({ ...source }, 'body', { get: render, enumerable: true }) as RawSource;
}

export interface WrittenEvidence {
  /** The envelope as written, with its sources. */
  readonly envelope: Envelope;
  readonly envelopeObject: StoredObject;
  readonly sourceObjects: readonly StoredObject[];
}

/**
 * Writes the raw sources first, then the envelope that names them with their digests, so an envelope never
 * points at a source that is not there. Any refused write throws: the caller must fail the run.
 */
export async function writeEvidence(
  store: EvidenceStore,
  draft: Omit<Envelope, 'sources'>,
  rawSources: readonly RawSource[],
  runId: string,
): Promise<WrittenEvidence> {
  const parts: EvidenceKeyParts = {
    collectedAt: new Date(draft.collectedAt),
    collector: draft.collector,
    account: draft.account,
    region: draft.region,
    runId,
  };
  const refs: SourceRef[] = [];
  const stored: StoredObject[] = [];
  for (const source of rawSources) {
    // Read once: a deferred source makes its bytes on each read (deferredSource).
    const body = source.body;
    const sha256 = sha256Hex(body);
    const key = sourceKey(parts, source.name);
    stored.push(await store.put({ key, body, contentType: source.contentType, sha256 }));
    refs.push({
      name: source.name,
      api: source.api,
      key,
      sha256,
      bytes: body.byteLength,
      contentType: source.contentType,
      ...(source.generatedAt ? { generatedAt: source.generatedAt } : {}),
    });
  }
  const envelope: Envelope = { ...draft, sources: refs };
  const body = canonicalBytes(envelope);
  const written = await store.put({
    key: envelopeKey(parts),
    body,
    contentType: 'application/json',
    sha256: sha256Hex(body),
  });
  return { envelope, envelopeObject: written, sourceObjects: stored };
}
