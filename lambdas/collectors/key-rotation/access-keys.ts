import type { Finding } from '../../evidence/envelope';
import { iso } from '../../evidence/iso-date';
import { isDate, type CredentialReport, type CredentialUser } from '../../readers/credential-report/parse';
import type { KeyRotationCheck } from './checks';

const DAY_MS = 86_400_000;

/**
 * Pure: one finding per active access key. `access_key_N_last_rotated` is when the key was created: IAM
 * cannot rotate a key in place, so a new key gets a new slot date. Root's keys are judged too: iam-mfa
 * fails their existence, this says how old they are. The resource is the owner's ARN with the key's slot
 * (`<arn>/access_key_1` or `/access_key_2`, as the report names them), so a user's two keys are two
 * (check, resource) pairs from one run to the next.
 */
export function assessAccessKeyAge(
  report: CredentialReport,
  maxAgeDays: number,
  now: Date,
): Finding<KeyRotationCheck>[] {
  const owners: CredentialUser[] = [...(report.root ? [report.root] : []), ...report.users];
  const findings: Finding<KeyRotationCheck>[] = [];
  for (const u of owners) {
    for (const key of u.accessKeys) {
      if (!key.active) continue;
      const base = { user: u.user, accessKey: `access_key_${key.slot}`, maxAgeDays };
      if (!isDate(key.lastRotated)) {
        findings.push({
          resource: `${u.arn}/access_key_${key.slot}`,
          check: 'access-key-age',
          status: 'WARN',
          detail: {
            ...base,
            issued: key.lastRotated,
            ageDays: null,
            reason: `the credential report gives no creation date for this active key (${key.lastRotated})`,
          },
        });
        continue;
      }
      const ageMs = now.getTime() - key.lastRotated.getTime();
      const ageDays = Math.floor(ageMs / DAY_MS);
      const old = ageMs > maxAgeDays * DAY_MS;
      findings.push({
        resource: `${u.arn}/access_key_${key.slot}`,
        check: 'access-key-age',
        status: old ? 'FAIL' : 'PASS',
        detail: {
          ...base,
          issued: iso(key.lastRotated),
          ageDays,
          lastUsed: isDate(key.lastUsed) ? iso(key.lastUsed) : null,
          reason: old
            ? `created ${ageDays} days ago, older than the ${maxAgeDays} days allowed`
            : `created ${ageDays} days ago, within the ${maxAgeDays} days allowed`,
        },
      });
    }
  }
  return findings;
}
