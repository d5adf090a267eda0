import type { Finding, FindingStatus } from '../../evidence/envelope';
import { holdsKey, type CredentialUser } from '../../readers/credential-report/parse';

/**
 * Root's access keys, judged once for every collector that reports them (`iam-mfa` and `inactive-users`
 * both emit `root-access-keys`; two verdicts for one key would contradict each other in the same package).
 * A slot counts as present when its key is active or has a rotation date: an inactive key keeps its
 * `last_rotated`, and `N/A` there means the slot is empty.
 */
export function rootAccessKeysFinding(root: CredentialUser): Finding<'root-access-keys'> {
  const active = root.accessKeys.filter((k) => k.active);
  const inactive = root.accessKeys.filter((k) => !k.active && holdsKey(k));
  let status: FindingStatus;
  let reason: string;
  if (active.length > 0) {
    status = 'FAIL';
    reason = 'root has an active access key';
  } else if (inactive.length > 0) {
    // Anyone holding root can re-activate an inactive key: it should be deleted, not parked.
    status = 'WARN';
    reason = 'root has an inactive access key that can be re-activated: delete it';
  } else {
    status = 'PASS';
    reason = 'root has no access key';
  }
  return {
    resource: root.arn,
    check: 'root-access-keys',
    status,
    detail: {
      activeKeys: active.map((k) => `access_key_${k.slot}`),
      inactiveKeys: inactive.map((k) => `access_key_${k.slot}`),
      reason,
    },
  };
}
