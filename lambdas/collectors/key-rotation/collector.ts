import { canonicalBytes } from '../../evidence/canonical-json';
import type { ErrorEntry, Finding } from '../../evidence/envelope';
import type { RawSource } from '../../evidence/write-evidence';
import type { CredentialReport } from '../../readers/credential-report/parse';
import { gatherCredentialReport, reportAgeMinutes } from '../../readers/credential-report/source';
import { readRegions } from '../../readers/regions';
import type { CollectorSettings } from '../../settings';
import type { Collector } from '../collector';
import { assessAccessKeyAge } from './access-keys';
import { KEY_ROTATION_IDENTITY, type KeyRotationCheck } from './checks';
import { assessKmsKey, MAX_KMS_ROTATION_PERIOD_DAYS, readRegionKms, type RegionKms } from './kms';
import { assessSecret, readRegionSecrets, SECRET_ROTATION_GRACE_DAYS, type RegionSecrets } from './secrets';

export interface KeyRotationFacts {
  /** The credential report (global); absent when it could not be read. */
  readonly report?: CredentialReport;
  readonly reportGeneratedAt?: string;
  /** Regions whose KMS keys could be listed. */
  readonly kms: readonly RegionKms[];
  /** Regions whose secrets could be listed. */
  readonly secrets: readonly RegionSecrets[];
}

export function assessKeyRotation(
  facts: KeyRotationFacts,
  settings: Pick<CollectorSettings, 'maxAccessKeyAgeDays'>,
  now: Date,
): { findings: Finding<KeyRotationCheck>[]; figures: Record<string, number> } {
  const findings: Finding<KeyRotationCheck>[] = [];
  if (facts.report) findings.push(...assessAccessKeyAge(facts.report, settings.maxAccessKeyAgeDays, now));
  for (const r of facts.kms)
    for (const k of r.customerKeys) {
      const f = assessKmsKey(k);
      if (f) findings.push(f);
    }
  for (const r of facts.secrets) for (const s of r.secrets) findings.push(assessSecret(s, now));

  const count = (check: KeyRotationCheck, status?: string) =>
    findings.filter((f) => f.check === check && (!status || f.status === status)).length;
  const keyAges = findings
    .filter((f) => f.check === 'access-key-age')
    .map((f) => f.detail.ageDays)
    .filter((d): d is number => typeof d === 'number');
  const figures: Record<string, number> = {};
  if (facts.report) {
    figures.activeAccessKeys = count('access-key-age');
    figures.accessKeysOverMaxAge = count('access-key-age', 'FAIL');
    if (keyAges.length > 0) figures.oldestAccessKeyDays = keyAges.reduce((a, b) => Math.max(a, b));
  }
  figures.customerManagedKmsKeys = facts.kms.reduce((n, r) => n + r.customerKeys.length, 0);
  figures.awsManagedKmsKeys = facts.kms.reduce((n, r) => n + r.awsManagedKeys, 0);
  figures.kmsKeysRotationOff = count('kms-key-rotation', 'FAIL');
  figures.kmsKeysRotationNotApplicable = count('kms-key-rotation', 'INFO');
  figures.secrets = facts.secrets.reduce((n, r) => n + r.secrets.length, 0);
  figures.secretsFailing = count('secret-rotation', 'FAIL');
  const age = reportAgeMinutes(facts.reportGeneratedAt, now);
  if (age !== undefined) figures.reportAgeMinutes = age;
  return { findings, figures };
}

export const keyRotation: Collector<KeyRotationFacts, KeyRotationCheck> = {
  ...KEY_ROTATION_IDENTITY,
  iamActions: [
    'iam:GenerateCredentialReport',
    'iam:GetCredentialReport',
    'kms:ListKeys',
    'kms:DescribeKey',
    'kms:GetKeyRotationStatus',
    'secretsmanager:ListSecrets',
  ],
  policy: (s) => ({
    maxAccessKeyAgeDays: s.maxAccessKeyAgeDays,
    accessKeyAgeFrom: 'credential report access_key_N_last_rotated (the key creation date); active keys only',
    kmsKeysJudged:
      'KeyManager CUSTOMER; rotation read for SYMMETRIC_DEFAULT keys of origin AWS_KMS in state Enabled or Disabled',
    kmsMaxRotationPeriodDays: MAX_KMS_ROTATION_PERIOD_DAYS,
    kmsDisabledKeyRotationOff: 'WARN',
    kmsRotationNotApplicable: 'INFO (asymmetric, HMAC, imported, custom key store, pending deletion)',
    secretRotationGraceDays: SECRET_ROTATION_GRACE_DAYS,
    secretScheduleNotUnderstood: 'WARN',
    secretReplicas: 'INFO (rotated through the primary)',
  }),

  async gather(ctx) {
    const regions = ctx.settings.regions;
    const [report, kms, secrets] = await Promise.all([
      gatherCredentialReport(ctx),
      readRegions(regions, 'kms:ListKeys', (region) => readRegionKms(ctx, region)),
      readRegions(regions, 'secretsmanager:ListSecrets', (region) => readRegionSecrets(ctx, region)),
    ]);
    const kmsRegions = kms.results.flatMap((r) => (r.value ? [r.value.kms] : []));
    const secretRegions = secrets.results.flatMap((r) => (r.value ? [r.value] : []));
    const errors: ErrorEntry[] = [
      ...report.errors,
      ...kms.errors,
      ...kms.results.flatMap((r) => r.value?.errors ?? []),
      ...secrets.errors,
    ];
    const generatedAt = ctx.now.toISOString();
    const sources: RawSource[] = [
      ...report.sources,
      {
        name: 'kms-keys.json',
        api: 'kms:DescribeKey',
        contentType: 'application/json',
        body: canonicalBytes({ regions: kmsRegions }),
        generatedAt,
      },
      {
        name: 'secrets.json',
        api: 'secretsmanager:ListSecrets',
        contentType: 'application/json',
        body: canonicalBytes({ regions: secretRegions }),
        generatedAt,
      },
    ];
    return {
      facts: {
        ...(report.facts.report ? { report: report.facts.report } : {}),
        ...(report.facts.generatedAt ? { reportGeneratedAt: report.facts.generatedAt } : {}),
        kms: kmsRegions,
        secrets: secretRegions,
      },
      sources,
      errors,
    };
  },

  assess: (facts, settings, now) => assessKeyRotation(facts, settings, now),
};
