import type { Answers } from '../../cli/demo/offline-clients';
import { REGION_CONCURRENCY } from '../../lambdas/readers/regions';
import { makespan } from '../minimums';
import { ACCOUNT_ID, seededRandom, slice, type PageRule, type SyntheticAccount } from '../synthetic-account';
import type { ControlBench } from './control-bench';

/** KMS ListKeys: Limit 1 to 1000, default 100. Secrets Manager ListSecrets: MaxResults 1 to 100. */
const KMS_PAGE: PageRule = { max: 1000, dflt: 100 };
const SECRETS_PAGE: PageRule = { max: 100, dflt: 100 };
/** AWS managed keys each region holds (aws/s3, aws/rds, aws/ebs, ...): listed and described, never judged. */
const AWS_MANAGED_PER_REGION = 12;
const DAY = 86_400_000;

type KeyKind = 'rotating' | 'not-rotating' | 'asymmetric' | 'pending-deletion';

/** Customer managed keys in the account: one for every 25 buckets, at least 10. */
const customerKeyTotal = (a: SyntheticAccount) => Math.max(10, Math.ceil(a.sizes.buckets / 25));
/** Secrets: one and a half per database (application users and master passwords), at least 10. */
const secretTotal = (a: SyntheticAccount) => Math.max(10, Math.ceil(a.sizes.databases * 1.5));

function keyKind(a: SyntheticAccount, region: string, k: number): KeyKind {
  const r = seededRandom(a.seed * 7_919 + a.regions.indexOf(region) * 1_000_003 + k)();
  return r < 0.75 ? 'rotating' : r < 0.9 ? 'not-rotating' : r < 0.95 ? 'asymmetric' : 'pending-deletion';
}

function regionKeys(a: SyntheticAccount, region: string) {
  return {
    customer: a.countIn(customerKeyTotal(a), region),
    total: a.countIn(customerKeyTotal(a), region) + AWS_MANAGED_PER_REGION,
  };
}

const keyId = (region: string, k: number) =>
  `${String(k).padStart(8, '0')}-0000-4000-8000-${String(REGION_INDEX(region)).padStart(12, '0')}`;
const REGION_INDEX = (region: string) =>
  [...region].reduce((n, c) => n * 31 + c.charCodeAt(0), 7) % 1_000_000;
const parseKey = (id: string) => Number(id.slice(0, 8));

export const keyRotationBench: ControlBench = {
  answers(a): Answers {
    const ago = (days: number) => new Date(a.now.getTime() - days * DAY);
    const arn = (region: string, id: string) => `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${id}`;
    return {
      // Keys 0..AWS_MANAGED_PER_REGION-1 are AWS managed; the customer keys follow.
      'KMS:ListKeys': (input, region) => {
        const { total } = regionKeys(a, region);
        const p = slice('KMS:ListKeys', total, KMS_PAGE, input.Limit, input.Marker);
        const keys = [];
        for (let k = p.from; k < p.to; k++)
          keys.push({ KeyId: keyId(region, k), KeyArn: arn(region, keyId(region, k)) });
        return { Keys: keys, Truncated: p.next !== undefined, ...(p.next ? { NextMarker: p.next } : {}) };
      },
      'KMS:DescribeKey': (input, region) => {
        const id = String(input.KeyId);
        const k = parseKey(id);
        const managed = k < AWS_MANAGED_PER_REGION;
        const kind = managed ? 'rotating' : keyKind(a, region, k);
        return {
          KeyMetadata: {
            AWSAccountId: ACCOUNT_ID,
            KeyId: id,
            Arn: arn(region, id),
            CreationDate: ago(100 + (k % 900)),
            Enabled: kind !== 'pending-deletion',
            KeyUsage: kind === 'asymmetric' ? 'SIGN_VERIFY' : 'ENCRYPT_DECRYPT',
            KeyState: kind === 'pending-deletion' ? 'PendingDeletion' : 'Enabled',
            ...(kind === 'pending-deletion' ? { DeletionDate: ago(-7) } : {}),
            Origin: 'AWS_KMS',
            KeyManager: managed ? 'AWS' : 'CUSTOMER',
            KeySpec: kind === 'asymmetric' ? 'RSA_2048' : 'SYMMETRIC_DEFAULT',
            MultiRegion: false,
          },
        };
      },
      'KMS:GetKeyRotationStatus': (input, region) => {
        const k = parseKey(String(input.KeyId));
        const on = k < AWS_MANAGED_PER_REGION || keyKind(a, region, k) === 'rotating';
        return {
          KeyId: arn(region, String(input.KeyId)),
          KeyRotationEnabled: on,
          ...(on ? { RotationPeriodInDays: 365 } : {}),
        };
      },
      'SecretsManager:ListSecrets': (input, region) => {
        const total = a.countIn(secretTotal(a), region);
        const p = slice('SecretsManager:ListSecrets', total, SECRETS_PAGE, input.MaxResults, input.NextToken);
        const list = [];
        for (let i = p.from; i < p.to; i++) {
          const r = seededRandom(a.seed * 104_729 + a.regions.indexOf(region) * 1_000_003 + i)();
          const rotating = r < 0.8;
          list.push({
            ARN: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:app-${i}-AbCdEf`,
            Name: `app-${i}`,
            CreatedDate: ago(400),
            ...(rotating
              ? {
                  RotationEnabled: true,
                  RotationRules: { AutomaticallyAfterDays: 30 },
                  // One rotating secret in ten is overdue: its rotation function fails.
                  LastRotatedDate: ago(r < 0.08 ? 45 : Math.floor(r * 30)),
                }
              : {}),
          });
        }
        return { SecretList: list, ...(p.next ? { NextToken: p.next } : {}) };
      },
    };
  },

  floor(a, latencyMs, concurrency) {
    const L = latencyMs;
    const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
    const kmsWalls: number[] = [];
    const secretWalls: number[] = [];
    let kmsCalls = 0;
    let secretCalls = 0;
    for (const region of a.regions) {
      const { total } = regionKeys(a, region);
      // DescribeKey for every key; GetKeyRotationStatus after it for enabled symmetric customer keys.
      const perKey: number[] = [];
      for (let k = 0; k < total; k++) {
        const kind = k < AWS_MANAGED_PER_REGION ? 'aws' : keyKind(a, region, k);
        perKey.push(kind === 'rotating' || kind === 'not-rotating' ? 2 * L : L);
      }
      const listPages = pages(total, KMS_PAGE.max);
      kmsCalls += listPages + perKey.reduce((n, d) => n + d / L, 0);
      kmsWalls.push(L * listPages + makespan(perKey, concurrency));
      const sp = pages(a.countIn(secretTotal(a), region), SECRETS_PAGE.max);
      secretCalls += sp;
      secretWalls.push(L * sp);
    }
    return {
      minCalls: 2 + kmsCalls + secretCalls,
      formula: `credential report (2) + per region: ceil(keys / ${KMS_PAGE.max}) ListKeys + DescribeKey per key (${AWS_MANAGED_PER_REGION} AWS managed included) + GetKeyRotationStatus per enabled symmetric customer key + ceil(secrets / ${SECRETS_PAGE.max}) ListSecrets`,
      wallFloorMs: Math.max(
        2 * L,
        makespan(kmsWalls, REGION_CONCURRENCY),
        makespan(secretWalls, REGION_CONCURRENCY),
      ),
    };
  },
};
