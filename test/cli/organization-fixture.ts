/**
 * A sealed bucket in organization mode: the hub (HUB) writes an iam-mfa account list every day, each
 * in-scope member writes its iam-mfa envelope, and the real sealer seals every account's day.
 */
import { EvidenceBucket } from '../../cli/demo/evidence-bucket';
import { draftEnvelope } from '../../lambdas/evidence/draft';
import type { ErrorEntry } from '../../lambdas/evidence/envelope';
import { parseEvidenceKey } from '../../lambdas/evidence/keys';
import { SEALER_PRODUCER } from '../../lambdas/evidence/producers';
import { LocalSigner } from '../../lambdas/evidence/signer';
import { writeEvidence } from '../../lambdas/evidence/write-evidence';
import { ACCOUNTS_PRODUCER } from '../../lambdas/organization/contract';
import {
  HUB,
  MEMBER_A,
  MEMBER_B,
  REFUSED_OU,
  writeAccountList,
  type MetAccount,
} from '../evidence/account-list-fixture';
import { RETAIN_UNTIL } from './evidence-bucket-fixture';
import { SEALER_ARN, seal } from './sealed-bucket-fixture';

export { HUB, MEMBER_A, MEMBER_B, REFUSED_OU };
export const MEMBER_C = '333333333333';

/** Per day: who the iam-mfa list met, and which accounts wrote their envelope. */
export interface OrgDay {
  readonly date: string;
  readonly met: readonly MetAccount[];
  readonly wrote: readonly string[];
  /** What the hub could not read that day: the list is PARTIAL with accounts met, ERROR with none. */
  readonly errors?: readonly ErrorEntry[];
}

/** The default period 2026-01-01..04: B suspended on the 3rd, C always excluded; everyone in scope wrote. */
export const ORG_DAYS: readonly OrgDay[] = [
  {
    date: '2026-01-01',
    met: [{ account: MEMBER_A }, { account: MEMBER_B }, { account: MEMBER_C, reason: 'excluded' }],
    wrote: [MEMBER_A, MEMBER_B],
  },
  {
    date: '2026-01-02',
    met: [{ account: MEMBER_A }, { account: MEMBER_B }, { account: MEMBER_C, reason: 'excluded' }],
    wrote: [MEMBER_A, MEMBER_B],
  },
  {
    date: '2026-01-03',
    met: [
      { account: MEMBER_A },
      { account: MEMBER_B, reason: 'suspended' },
      { account: MEMBER_C, reason: 'excluded' },
    ],
    wrote: [MEMBER_A],
  },
  {
    date: '2026-01-04',
    met: [{ account: MEMBER_A }, { account: MEMBER_B }, { account: MEMBER_C, reason: 'excluded' }],
    wrote: [MEMBER_A, MEMBER_B],
  },
];

const KEY = (producer: string) =>
  `arn:aws:kms:us-east-1:123456789012:key/${producer}-0000-0000-0000-000000000000`;

export async function organizationBucket(days: readonly OrgDay[] = ORG_DAYS) {
  const signers = new Map([
    ['iam-mfa', LocalSigner.generate(KEY('iam-mfa'))],
    [ACCOUNTS_PRODUCER, LocalSigner.generate(KEY(ACCOUNTS_PRODUCER))],
    [SEALER_PRODUCER, LocalSigner.generate(SEALER_ARN)],
  ]);
  const clock = { at: new Date('2026-01-01T06:00:05Z') };
  const bucket = new EvidenceBucket({
    signer: (key) =>
      signers.get(key.startsWith('digests/') ? SEALER_PRODUCER : (parseEvidenceKey(key)?.collector ?? '')),
    retention: { mode: 'COMPLIANCE', until: RETAIN_UNTIL },
    now: () => clock.at,
  });
  for (const day of days) {
    clock.at = new Date(`${day.date}T05:59:59Z`);
    await writeAccountList(bucket, 'iam-mfa', day.date, day.met, day.errors ? { errors: day.errors } : {});
    clock.at = new Date(`${day.date}T06:00:05Z`);
    for (const account of day.wrote) await memberRun(bucket, account, day.date);
  }
  const last = days.at(-1)!.date;
  const sealAt = new Date(Date.parse(`${last}T00:30:00Z`) + 86_400_000).toISOString();
  await seal(bucket, clock, sealAt, signers.get(SEALER_PRODUCER)!);
  return { bucket, signers, clock };
}

/** One member account's iam-mfa run (PASS), as the fanned-out collector writes it under its own account. */
export async function memberRun(store: EvidenceBucket, account: string, date: string) {
  const runId = `run-${account}-${date}`;
  return writeEvidence(
    store,
    draftEnvelope({
      collector: 'iam-mfa',
      controls: ['CC6.1', 'CC6.6'],
      account,
      region: 'global',
      collectedAt: new Date(`${date}T06:00:03.000Z`),
      schedule: { expression: 'cron(0 6 * * ? *)', timeZone: 'UTC' },
      policy: {},
      findings: [
        { resource: `arn:aws:iam::${account}:user/alice`, check: 'console-mfa', status: 'PASS', detail: {} },
      ],
      errors: [],
      runId,
    }),
    [],
    runId,
  );
}
