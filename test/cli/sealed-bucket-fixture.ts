import { writeFileSync } from 'node:fs';
import type { Answers } from '../../cli/demo/offline-clients';
import { join } from 'node:path';
import { EvidenceBucket } from '../../cli/demo/evidence-bucket';
import { producerOfKey } from '../../cli/package/checks';
import { renderTrustFile, TRUST_FILE_KIND } from '../../cli/trust/trust-file';
import { s3Reader } from '../../lambdas/evidence/read-store';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { sealDays } from '../../lambdas/sealer/seal';
import {
  ACCOUNT,
  BUCKET,
  dates,
  KEY_ARN,
  RETAIN_UNTIL,
  serveBucket,
  writeDay,
} from './evidence-bucket-fixture';

export const SEALER_ARN = 'arn:aws:kms:us-east-1:123456789012:key/sealer-0000-0000-0000-000000000000';

/**
 * The bucket as the stack leaves it, with one key per producer (iam-mfa's and the sealer's) and a clock, so
 * every object carries S3's LastModified and the real sealer can seal it.
 */
export function producerBucket() {
  const signers = new Map([
    ['iam-mfa', LocalSigner.generate(KEY_ARN)],
    [SEALER_PRODUCER, LocalSigner.generate(SEALER_ARN)],
  ]);
  const clock = { at: new Date('2026-01-01T06:00:05Z') };
  const bucket = new EvidenceBucket({
    signer: (key) => signers.get(producerOfKey(key) ?? ''),
    retention: { mode: 'COMPLIANCE', until: RETAIN_UNTIL },
    now: () => clock.at,
  });
  return { bucket, clock, signers };
}

/** iam-mfa's daily run on each date, written at 06:00:05 that day. */
export async function runDays(
  bucket: EvidenceBucket,
  clock: { at: Date },
  from: string,
  to: string,
  skip: readonly string[] = [],
) {
  for (const d of dates(from, to)) {
    if (skip.includes(d)) continue;
    clock.at = new Date(`${d}T06:00:05Z`);
    await writeDay(bucket, d);
  }
}

/** The real sealer run at `now` (00:30Z after the last day to seal), writing into the bucket. */
export async function seal(bucket: EvidenceBucket, clock: { at: Date }, now: string, sealer: LocalSigner) {
  clock.at = new Date(now);
  const result = await sealDays({
    reader: s3Reader(serveBucket(bucket).s3, BUCKET),
    store: bucket,
    account: ACCOUNT,
    now: clock.at,
    runId: `seal-${now}`,
    publicKey: sealer.publicKey,
  });
  if (result.problems.length) throw new Error(result.problems.join('; '));
  return result;
}

/** A trust file pinning each signer's key for its producer, as `pin` writes it. */
export function writeTrustFile(dir: string, signers: ReadonlyMap<string, LocalSigner>): string {
  const path = join(dir, 'trust.json');
  writeFileSync(
    path,
    renderTrustFile({
      schemaVersion: 1,
      kind: TRUST_FILE_KIND,
      pinnedAt: '2026-01-01T00:00:00.000Z',
      source: 'test keys',
      producers: Object.fromEntries(
        [...signers].map(([id, s]) => [id, { keyArn: s.keyId, publicKey: s.publicKeyPem() }]),
      ),
    }),
  );
  return path;
}

/**
 * `served` with `hidden` left out of every ListObjectVersions page: a bucket as an attacker serves it to
 * pull (e.g. without some digests), everything else as S3 answers it.
 */
export function withoutKeys(served: Answers, hidden: ReadonlySet<string>): Answers {
  const list = served['S3:ListObjectVersions']!;
  return {
    ...served,
    'S3:ListObjectVersions': async (input, region) => {
      const page = (await list(input, region)) as { Versions?: { Key?: string }[] };
      return { ...page, Versions: (page.Versions ?? []).filter((v) => !hidden.has(v.Key ?? '')) };
    },
  };
}
