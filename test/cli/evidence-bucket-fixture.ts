import { S3Client } from '@aws-sdk/client-s3';
import { bucketAnswers } from '../../cli/demo/bucket-answers';
import { EvidenceBucket } from '../../cli/demo/evidence-bucket';
import { OfflineClientFactory, type Answers } from '../../cli/demo/offline-clients';
import { draftEnvelope } from '../../lambdas/evidence/draft';
import type { Envelope, Finding } from '../../lambdas/evidence/envelope';
import { LocalSigner, type Signer } from '../../lambdas/evidence/signer';
import type { EvidenceStore } from '../../lambdas/evidence/store';
import { writeEvidence } from '../../lambdas/evidence/write-evidence';
import { expectValidEnvelope } from '../helpers/envelope-schema';

export const ACCOUNT = '123456789012';
export const BUCKET = 'evidence-bucket-example';
export const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const RETAIN_UNTIL = new Date('2027-03-01T00:00:00Z');

/** The bucket as the stack leaves it: signed by `signer`, COMPLIANCE retention until RETAIN_UNTIL. */
export function memoryBucket(signer: Signer): EvidenceBucket {
  return new EvidenceBucket({ signer, retention: { mode: 'COMPLIANCE', until: RETAIN_UNTIL } });
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
    draftEnvelope({
      collector: 'iam-mfa',
      controls: ['CC6.1', 'CC6.6'],
      account: ACCOUNT,
      region: 'global',
      collectedAt: new Date(`${date}T06:00:03.120Z`),
      schedule: { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' },
      policy: {},
      findings,
      errors,
      runId,
      invocationId: 'test',
    }),
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
  const bucket = memoryBucket(signer);
  for (const d of dates('2026-01-01', '2026-01-31')) if (!skip.includes(d)) await writeDay(bucket, d);
  return { bucket, signer };
}

export interface SentCall {
  readonly api: string;
  readonly input: Record<string, unknown>;
}

export interface ServedBucket {
  /** A real S3Client whose calls `answers` serve in-process, below the SDK's retry and pagination. */
  readonly s3: S3Client;
  /** Every call that reached the answers, in order, as `S3:GetObject` and its input. */
  readonly calls: SentCall[];
  /** Every API the client sent, answered or not (counted before an answer is looked up). */
  sentApis(): string[];
}

/** Serves `answers` to a real S3Client, recording each call so tests can check what pull asked for. */
export function serveAnswers(answers: Answers): ServedBucket {
  const calls: SentCall[] = [];
  const recorded: Answers = Object.fromEntries(
    Object.entries(answers).map(([api, answer]) => [
      api,
      (input: Record<string, unknown>, region: string) => {
        calls.push({ api, input });
        return answer(input, region);
      },
    ]),
  );
  const factory = new OfflineClientFactory(recorded);
  return { s3: factory.get(S3Client, 'us-east-1'), calls, sentApis: () => [...factory.stats.byApi.keys()] };
}

/**
 * Serves `bucket` with the same adapter as the demo and the benchmark, ListObjectVersions in pages of
 * `pageSize` entries; `answers` may replace some answers (e.g. a GetObject that is refused).
 */
export function serveBucket(
  bucket: EvidenceBucket,
  options: { pageSize?: number; answers?: (served: Answers) => Answers } = {},
): ServedBucket {
  const served = bucketAnswers(bucket, { pageSize: options.pageSize ?? 3 });
  return serveAnswers(options.answers ? options.answers(served) : served);
}

/** An error as the SDK throws it for a refused call. */
export function accessDenied(): Error {
  return Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $fault: 'client' });
}
