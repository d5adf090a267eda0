import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `key-rotation`, in the order of its `checks` list. */
export const KEY_ROTATION_CHECKS = defineChecks({
  'access-key-age': {
    title: 'Active access keys are rotated',
    description:
      "One finding per active access key of an IAM user (and of root, should it have one), from the IAM credential report's `access_key_N_last_rotated`, the key's creation date (a key cannot be rotated in place: rotating means creating a new key and deleting the old). It FAILs when the key is older than `maxAccessKeyAgeDays` (default 90) and PASSes otherwise; it WARNs when the report gives no date for an active key. Inactive keys cannot sign requests and are not judged, and whether a key is used at all is inactive-users' question. A long-lived key has had longer to be copied into scripts, laptops, build logs and repositories, and a leaked key works until it is deleted.",
    criteria: ['CC6.1'],
    severity: 'medium',
    remediation:
      'Create a second key (`aws iam create-access-key --user-name NAME`), move every consumer to it, deactivate the old one (`aws iam update-access-key --status Inactive`) and delete it; better, replace the user with a role and temporary credentials.',
  },
  'kms-key-rotation': {
    title: 'Customer managed KMS keys rotate automatically',
    description:
      'One finding per customer managed KMS key in the configured regions (AWS managed keys always rotate yearly and are only counted). For symmetric encryption keys with KMS-generated material it PASSes when automatic rotation is on and FAILs when it is off; it WARNs when rotation is on but its period is longer than 365 days, or when a disabled key has rotation off (it cannot be used today, and cannot have rotation turned on until it is re-enabled). It is INFO, with the reason, for keys automatic rotation does not apply to: asymmetric and HMAC keys, imported key material, keys in a custom key store, keys pending deletion, and keys in a transient state. Rotation limits how much data one key material protects and how long a copy of it stays useful.',
    criteria: ['CC6.1'],
    severity: 'medium',
    remediation:
      'Turn rotation on: `aws kms enable-key-rotation --key-id KEY_ID --rotation-period-in-days 365` (for a multi-Region key, on its primary key).',
  },
  'secret-rotation': {
    title: 'Secrets Manager secrets rotate on schedule',
    description:
      'One finding per Secrets Manager secret in the configured regions (secrets pending deletion are not listed). It FAILs when rotation is not enabled, and when it is enabled but the secret was last rotated (or, never rotated, created) longer ago than its schedule allows plus a grace of 2 days (a rotation window can open late on its day and stays open up to 24 hours): for `AutomaticallyAfterDays` and `rate()` schedules the interval, for `cron()` schedules the latest day the expression fired. It PASSes when the last rotation is within schedule. It WARNs when rotation is enabled but the schedule cannot be interpreted, and is INFO for a replica, which Secrets Manager rotates through its primary secret. A secret that never changes stays valid wherever it was ever copied, so a leak is never closed by time.',
    criteria: ['CC6.1'],
    severity: 'medium',
    remediation:
      'Turn rotation on with a rotation function or a managed rotation: `aws secretsmanager rotate-secret --secret-id NAME --rotation-lambda-arn FUNCTION_ARN --rotation-rules ScheduleExpression="rate(30 days)"`; for an overdue secret, read the rotation function\'s logs and fix the failing step.',
  },
});

export type KeyRotationCheck = keyof typeof KEY_ROTATION_CHECKS;

/** What `key-rotation` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const KEY_ROTATION_IDENTITY: CollectorIdentity<KeyRotationCheck> = {
  id: 'key-rotation',
  title: 'Key rotation: IAM access keys, KMS keys and Secrets Manager secrets',
  controls: ['CC6.1'],
  scope: 'regional',
  frequency: 'weekly',
  checks: KEY_ROTATION_CHECKS,
};
