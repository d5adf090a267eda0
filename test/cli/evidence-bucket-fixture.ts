import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
// The same mixin @smithy/util-stream exports; @smithy/core is what this SDK version installs.
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { hexToBase64 } from '../../lambdas/evidence/canonical-json';
import { SCHEMA_VERSION, summarise, type Envelope, type Finding } from '../../lambdas/evidence/envelope';
import {
  LocalSigner,
  SIGNATURE_METADATA,
  SIGNING_KEY_METADATA,
  type Signer,
} from '../../lambdas/evidence/signer';
import type { EvidenceObject, EvidenceStore, StoredObject } from '../../lambdas/evidence/store';
import { EvidenceExistsError } from '../../lambdas/evidence/store';
import { writeEvidence } from '../../lambdas/evidence/write-evidence';
import { PRODUCER } from '../../lambdas/producer';
import { expectValidEnvelope } from '../helpers/envelope-schema';

export const ACCOUNT = '123456789012';
export const BUCKET = 'evidence-bucket-example';
export const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

export interface StoredInBucket {
  body: Buffer;
  contentType: string;
  sha256: string;
  signature?: string;
  signingKey?: string;
  retention?: { mode: 'COMPLIANCE' | 'GOVERNANCE'; until: Date };
  versionId: string;
  /** Other versions of the key, as an overwrite or a delete leaves them (newest first). */
  otherVersions?: { versionId: string; deleteMarker: boolean; isLatest: boolean }[];
}

/** What the S3Store would have put in the bucket, kept in memory with the same metadata. */
export class MemoryBucket implements EvidenceStore {
  readonly objects = new Map<string, StoredInBucket>();
  readonly description = 'memory';
  private version = 0;

  constructor(private readonly signer: Signer) {}

  async put(object: EvidenceObject): Promise<StoredObject> {
    if (this.objects.has(object.key)) throw new EvidenceExistsError(object.key);
    const signed = await this.signer.sign(object.body, object.sha256);
    this.objects.set(object.key, {
      body: Buffer.from(object.body),
      contentType: object.contentType,
      sha256: object.sha256,
      signature: signed.signature,
      signingKey: signed.keyId,
      retention: { mode: 'COMPLIANCE', until: new Date('2027-03-01T00:00:00Z') },
      versionId: `v${++this.version}`,
    });
    return { key: object.key, sha256: object.sha256, location: `memory:${object.key}` };
  }
}

const CSV =
  'user,arn,mfa_active\n<root_account>,arn:aws:iam::123456789012:root,true\nalice,arn:aws:iam::123456789012:user/alice,false\n';

/** One daily iam-mfa run, written with the real writeEvidence, its envelope checked against the schema. */
export async function writeDay(
  store: EvidenceStore,
  date: string,
  runId = `run-${date}`,
  failedRun = false,
): Promise<Envelope> {
  const findings: Finding[] = failedRun
    ? []
    : [
        {
          resource: 'arn:aws:iam::123456789012:user/alice',
          check: 'console-mfa',
          status: 'FAIL',
          detail: {},
        },
      ];
  const errors = failedRun
    ? [{ region: 'global', api: 'iam:GetCredentialReport', code: 'AccessDenied', message: 'denied' }]
    : [];
  const written = await writeEvidence(
    store,
    {
      schemaVersion: SCHEMA_VERSION,
      collector: 'iam-mfa',
      controls: ['CC6.1', 'CC6.6'],
      account: ACCOUNT,
      region: 'global',
      collectedAt: `${date}T06:00:03.120Z`,
      schedule: { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' },
      policy: {},
      summary: summarise(findings, errors),
      findings,
      errors,
      producer: { ...PRODUCER, runId, invocationId: 'test' },
    },
    [
      {
        name: 'credential-report.csv',
        api: 'iam:GetCredentialReport',
        contentType: 'text/csv',
        body: Buffer.from(CSV),
      },
    ],
    runId,
  );
  expectValidEnvelope(written.envelope);
  return written.envelope;
}

export function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export async function monthOfEvidence(signer = LocalSigner.generate(KEY_ARN), skip: readonly string[] = []) {
  const bucket = new MemoryBucket(signer);
  for (const d of dates('2026-01-01', '2026-01-31')) if (!skip.includes(d)) await writeDay(bucket, d);
  return { bucket, signer };
}

/**
 * Serves `bucket` through a mocked S3Client: ListObjectsV2 and ListObjectVersions in pages of `pageSize`,
 * GetObject (of the stored version only) with checksums.
 */
export function serveBucket(bucket: MemoryBucket, pageSize = 3) {
  const s3 = mockClient(S3Client);
  s3.on(ListObjectVersionsCommand).callsFake(
    (input: { Prefix?: string; KeyMarker?: string; VersionIdMarker?: string }) => {
      const entries = [...bucket.objects.keys()]
        .filter((k) => k.startsWith(input.Prefix ?? ''))
        .sort()
        .flatMap((Key) => {
          const o = bucket.objects.get(Key)!;
          const others = o.otherVersions ?? [];
          const stored = {
            Key,
            VersionId: o.versionId,
            deleteMarker: false,
            IsLatest: !others.some((v) => v.isLatest),
            Size: o.body.length,
            ETag: `"${o.sha256.slice(0, 32)}"`,
          };
          const rest = others.map((v) => ({
            Key,
            VersionId: v.versionId,
            deleteMarker: v.deleteMarker,
            IsLatest: v.isLatest,
            Size: v.deleteMarker ? undefined : o.body.length,
          }));
          // S3 lists a key's versions newest first.
          return [...rest.filter((v) => v.IsLatest), stored, ...rest.filter((v) => !v.IsLatest)];
        });
      const start = input.KeyMarker
        ? entries.findIndex((e) => e.Key === input.KeyMarker && e.VersionId === input.VersionIdMarker) + 1
        : 0;
      const page = entries.slice(start, start + pageSize);
      const more = start + pageSize < entries.length;
      const last = page[page.length - 1];
      const strip = ({ deleteMarker: _d, ...e }: (typeof entries)[number]) => e;
      return {
        Versions: page.filter((e) => !e.deleteMarker).map(strip),
        DeleteMarkers: page
          .filter((e) => e.deleteMarker)
          .map(({ Key, VersionId, IsLatest }) => ({ Key, VersionId, IsLatest })),
        IsTruncated: more,
        ...(more && last ? { NextKeyMarker: last.Key, NextVersionIdMarker: last.VersionId } : {}),
      };
    },
  );
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; ContinuationToken?: string }) => {
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(input.Prefix ?? '')).sort();
    const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
    const page = keys.slice(start, start + pageSize);
    const more = start + pageSize < keys.length;
    return {
      Contents: page.map((Key) => ({
        Key,
        Size: bucket.objects.get(Key)!.body.length,
        ETag: `"${bucket.objects.get(Key)!.sha256.slice(0, 32)}"`,
      })),
      IsTruncated: more,
      ...(more ? { NextContinuationToken: String(start + pageSize) } : {}),
    };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId?: string; ChecksumMode?: string }) => {
    const stored = bucket.objects.get(input.Key);
    const o = input.VersionId && stored?.versionId !== input.VersionId ? undefined : stored;
    if (!o) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return {
      Body: sdkStreamMixin(Readable.from([o.body])),
      ContentLength: o.body.length,
      ETag: `"${o.sha256.slice(0, 32)}"`,
      VersionId: o.versionId,
      ...(input.ChecksumMode === 'ENABLED' ? { ChecksumSHA256: hexToBase64(o.sha256) } : {}),
      Metadata: {
        sha256: o.sha256,
        ...(o.signature ? { [SIGNATURE_METADATA]: o.signature } : {}),
        ...(o.signingKey ? { [SIGNING_KEY_METADATA]: o.signingKey } : {}),
      },
      ...(o.retention
        ? { ObjectLockMode: o.retention.mode, ObjectLockRetainUntilDate: o.retention.until }
        : {}),
    };
  });
  return s3;
}
