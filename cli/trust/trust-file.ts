import type { KeyObject } from 'node:crypto';
import { publicKeyFrom } from '../../lambdas/evidence/signer';

/**
 * The trust anchor an auditor keeps: one public key per producer, pinned once (with `soc2-evidence pin`,
 * which reads them with the auditor role and checks each key's policy) and given to every later `pull`
 * and `verify` with `--trust`. Evidence signed by any other key, or by another producer's key, fails.
 */
export const TRUST_FILE_KIND = 'soc2-evidence-trust';

export interface TrustFile {
  readonly schemaVersion: 1;
  readonly kind: typeof TRUST_FILE_KIND;
  /** When the keys were pinned, ISO 8601. */
  readonly pinnedAt: string;
  /** Where they came from, in words: `stack soc2-evidence, account 123456789012, us-east-1`. */
  readonly source: string;
  /** Producer id → its signing key's ARN (or local label) and public key (PEM, SPKI). */
  readonly producers: Readonly<Record<string, { readonly keyArn: string; readonly publicKey: string }>>;
}

/** A loaded trust anchor: the public key of each producer, by producer id. */
export interface TrustAnchor {
  readonly source: string;
  readonly producers: ReadonlyMap<string, { readonly keyArn: string; readonly key: KeyObject }>;
  /**
   * Keys given with `--public-key` alone: trusted for every producer (a single-key deployment, or an
   * auditor who chose not to bind keys to producers).
   */
  readonly unbound: readonly KeyObject[];
}

/** Parses a trust file's text; throws an Error naming the first field that is wrong. */
export function parseTrustFile(text: string): TrustFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  const v = value as Partial<TrustFile> | null;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('is not a JSON object');
  if (v.kind !== TRUST_FILE_KIND) throw new Error(`kind must be "${TRUST_FILE_KIND}"`);
  if (v.schemaVersion !== 1) throw new Error('schemaVersion must be 1');
  if (typeof v.source !== 'string') throw new Error('source must be a string');
  if (typeof v.pinnedAt !== 'string') throw new Error('pinnedAt must be a string');
  const producers = v.producers;
  if (!producers || typeof producers !== 'object' || Array.isArray(producers))
    throw new Error('producers must be an object of producer id → { keyArn, publicKey }');
  for (const [id, p] of Object.entries(producers)) {
    const entry = p as { keyArn?: unknown; publicKey?: unknown } | null;
    if (!entry || typeof entry.keyArn !== 'string' || typeof entry.publicKey !== 'string')
      throw new Error(`producers.${id} must be { "keyArn": string, "publicKey": PEM string }`);
  }
  return v as TrustFile;
}

export function anchorOf(file: TrustFile, unbound: readonly KeyObject[] = []): TrustAnchor {
  const producers = new Map<string, { keyArn: string; key: KeyObject }>();
  for (const [id, p] of Object.entries(file.producers)) {
    try {
      producers.set(id, { keyArn: p.keyArn, key: publicKeyFrom(p.publicKey) });
    } catch {
      throw new Error(`producers.${id}.publicKey is not a PEM public key`);
    }
  }
  return { source: file.source, producers, unbound };
}

export function renderTrustFile(file: TrustFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** What the manifest records of the anchor a package was judged against. */
export function trustSummary(anchor: TrustAnchor): {
  source: string;
  producers: Record<string, string>;
  unbound: number;
} {
  return {
    source: anchor.source,
    producers: Object.fromEntries([...anchor.producers].map(([id, p]) => [id, p.keyArn])),
    unbound: anchor.unbound.length,
  };
}

const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

/**
 * The trusted public keys as package files (`keys/<producer>.pem`), for `openssl dgst -verify` by hand.
 * They are copies for convenience: `verify` never trusts them, it takes the anchor from the auditor.
 */
export function trustedKeyFiles(anchor: TrustAnchor): Map<string, string> {
  const files = new Map<string, string>();
  for (const [id, p] of anchor.producers) files.set(`keys/${id}.pem`, pem(p.key));
  anchor.unbound.forEach((k, i) => files.set(`keys/public-key-${i + 1}.pem`, pem(k)));
  return files;
}
