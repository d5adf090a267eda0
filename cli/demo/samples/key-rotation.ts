import type { Answers } from '../offline-clients';
import { SAMPLE_ACCOUNT_ID } from '../sample-account';

const DAY = 86_400_000;

export interface SampleKmsKey {
  readonly id: string;
  readonly region: string;
  readonly manager: 'CUSTOMER' | 'AWS';
  readonly spec: string;
  readonly usage: string;
  readonly description: string;
  readonly createdDaysAgo: number;
  /** Automatic rotation, read only for symmetric keys. */
  readonly rotation: boolean;
}

/**
 * The sample account's KMS keys. The first is the key the `example-corp-artifacts` bucket encrypts with
 * (sample-answers.ts, GetBucketEncryption): the same key, judged here for rotation.
 */
export const SAMPLE_KMS_KEYS: readonly SampleKmsKey[] = [
  {
    id: '0a1b2c3d-0000-4000-8000-000000000001',
    region: 'us-east-1',
    manager: 'CUSTOMER',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: 'example-corp-artifacts bucket key',
    createdDaysAgo: 700,
    rotation: true,
  },
  // PROBLEM: a customer managed key for payment exports without automatic rotation (`kms-key-rotation`).
  {
    id: '0a1b2c3d-0000-4000-8000-000000000002',
    region: 'us-east-1',
    manager: 'CUSTOMER',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: 'payments export key',
    createdDaysAgo: 500,
    rotation: false,
  },
  // Release signing: an asymmetric key, to which automatic rotation does not apply (INFO).
  {
    id: '0a1b2c3d-0000-4000-8000-000000000003',
    region: 'us-east-1',
    manager: 'CUSTOMER',
    spec: 'RSA_2048',
    usage: 'SIGN_VERIFY',
    description: 'release signing key',
    createdDaysAgo: 300,
    rotation: false,
  },
  // The aws/secretsmanager key: AWS managed, rotated by AWS every year, counted but not judged.
  {
    id: '0a1b2c3d-0000-4000-8000-0000000000a1',
    region: 'us-east-1',
    manager: 'AWS',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: 'Default key that protects my Secrets Manager data when no other key is defined',
    createdDaysAgo: 900,
    rotation: true,
  },
];

export interface SampleSecret {
  readonly name: string;
  readonly region: string;
  readonly createdDaysAgo: number;
  /** The rotation schedule; absent: rotation is off. */
  readonly schedule?: string;
  readonly lastRotatedDaysAgo: number | null;
}

export const SAMPLE_SECRETS: readonly SampleSecret[] = [
  // The orders application's database user, rotated every 30 days; last rotated 12 days ago.
  {
    name: 'orders/app-user',
    region: 'us-east-1',
    createdDaysAgo: 400,
    schedule: 'rate(30 days)',
    lastRotatedDaysAgo: 12,
  },
  // PROBLEM: legacy-crm's master password, stored two years ago and never rotated (`secret-rotation`).
  { name: 'legacy-crm/master', region: 'us-east-1', createdDaysAgo: 730, lastRotatedDaysAgo: null },
];

const keyArn = (k: SampleKmsKey) => `arn:aws:kms:${k.region}:${SAMPLE_ACCOUNT_ID}:key/${k.id}`;

/** The sample account's answers for the APIs only `key-rotation` reads (the credential report is shared). */
export function keyRotationAnswers(now: Date, _demoNow: Date): Answers {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const key = (region: string, id: unknown) => {
    const k = SAMPLE_KMS_KEYS.find((x) => x.region === region && (x.id === id || keyArn(x) === id));
    if (!k)
      throw Object.assign(new Error(`Invalid keyId ${String(id)}`), {
        name: 'NotFoundException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    return k;
  };
  return {
    'KMS:ListKeys': (_input, region) => ({
      Keys: SAMPLE_KMS_KEYS.filter((k) => k.region === region).map((k) => ({
        KeyId: k.id,
        KeyArn: keyArn(k),
      })),
      Truncated: false,
    }),
    'KMS:DescribeKey': (input, region) => {
      const k = key(region, input.KeyId);
      return {
        KeyMetadata: {
          AWSAccountId: SAMPLE_ACCOUNT_ID,
          KeyId: k.id,
          Arn: keyArn(k),
          CreationDate: ago(k.createdDaysAgo),
          Enabled: true,
          Description: k.description,
          KeyUsage: k.usage,
          KeyState: 'Enabled',
          Origin: 'AWS_KMS',
          KeyManager: k.manager,
          CustomerMasterKeySpec: k.spec,
          KeySpec: k.spec,
          MultiRegion: false,
          ...(k.usage === 'SIGN_VERIFY' ? { SigningAlgorithms: ['RSASSA_PSS_SHA_256'] } : {}),
          ...(k.spec === 'SYMMETRIC_DEFAULT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } : {}),
        },
      };
    },
    'KMS:GetKeyRotationStatus': (input, region) => {
      const k = key(region, input.KeyId);
      return {
        KeyId: keyArn(k),
        KeyRotationEnabled: k.rotation,
        ...(k.rotation
          ? {
              RotationPeriodInDays: 365,
              // Rotated yearly since creation: the next rotation falls on the next anniversary.
              NextRotationDate: ago(k.createdDaysAgo - 365 * Math.ceil(k.createdDaysAgo / 365)),
            }
          : {}),
      };
    },
    'SecretsManager:ListSecrets': (_input, region) => ({
      SecretList: SAMPLE_SECRETS.filter((s) => s.region === region).map((s) => ({
        ARN: `arn:aws:secretsmanager:${s.region}:${SAMPLE_ACCOUNT_ID}:secret:${s.name}-a1B2c3`,
        Name: s.name,
        CreatedDate: ago(s.createdDaysAgo),
        LastChangedDate: ago(s.lastRotatedDaysAgo ?? s.createdDaysAgo),
        ...(s.schedule
          ? {
              RotationEnabled: true,
              RotationLambdaARN: `arn:aws:lambda:${s.region}:${SAMPLE_ACCOUNT_ID}:function:SecretsManagerRotation`,
              RotationRules: { ScheduleExpression: s.schedule },
              NextRotationDate: ago((s.lastRotatedDaysAgo ?? 0) - 30),
            }
          : {}),
        ...(s.lastRotatedDaysAgo !== null ? { LastRotatedDate: ago(s.lastRotatedDaysAgo) } : {}),
        SecretVersionsToStages: { 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111': ['AWSCURRENT'] },
      })),
    }),
  };
}
