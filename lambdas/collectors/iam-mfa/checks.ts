import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `iam-mfa`, in the order of its `checks` list. */
export const IAM_MFA_CHECKS = defineChecks({
  'console-mfa': {
    title: 'Console users have MFA',
    description:
      'One finding per IAM user whose console password is enabled in the IAM credential report. It PASSes when the report shows an active MFA device for the user and FAILs when it does not; users without a console password are not judged. A password alone is one stolen or guessed secret away from a full console session, so auditors expect every human console login to need a second factor.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'high',
    remediation:
      'Have the user assign an MFA device (IAM console > Users > the user > Security credentials > Assign MFA device). If the user does not need the console, remove the password instead: `aws iam delete-login-profile --user-name NAME`.',
  },
  'root-mfa': {
    title: 'The root user has MFA',
    description:
      "One finding for the account's root user, from the IAM credential report: PASS when root has an active MFA device, FAIL when it has none. The finding also records whether the device is a virtual (authenticator app) device or a hardware token or security key, or unknown when the virtual device list could not be read; the kind is recorded, not judged. Root can do anything in the account, including closing it and changing its billing and contact details, and cannot be restricted by IAM policies, so its sign-in must be protected by a second factor.",
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'critical',
    remediation:
      'Sign in as root, open Security credentials from the account menu and assign an MFA device; prefer a hardware key or FIDO security key stored in a safe place, with a second device registered as a backup.',
  },
  // Shared with `inactive-users`, which imports this entry: one judgement (root-access-keys.ts) and one
  // declaration for both collectors. Its criteria therefore span both collectors' controls: CC6.1 is an
  // iam-mfa control, CC6.2 and CC6.3 are inactive-users controls.
  'root-access-keys': {
    title: 'The root user has no access keys',
    description:
      "One finding for the account's root user, from the IAM credential report. It FAILs when root has an active access key, WARNs when root has only inactive keys (anyone who can sign in as root can re-activate them, so they should be deleted rather than parked), and PASSes when no key slot is in use. Root access keys give unrestricted programmatic access to the account that no IAM policy can narrow, and they are long-lived secrets that tend to end up in scripts and configuration files. Both `iam-mfa` and `inactive-users` report this same finding.",
    criteria: ['CC6.1', 'CC6.2', 'CC6.3'],
    severity: 'critical',
    remediation:
      'Sign in as root, open Security credentials from the account menu and delete every root access key, active or inactive; move whatever used the key to an IAM role or a least-privilege IAM identity.',
  },
});

export type IamMfaCheck = keyof typeof IAM_MFA_CHECKS;

/** What `iam-mfa` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const IAM_MFA_IDENTITY: CollectorIdentity<IamMfaCheck> = {
  id: 'iam-mfa',
  title: 'IAM MFA status',
  controls: ['CC6.1', 'CC6.6'],
  scope: 'global',
  frequency: 'daily',
  checks: IAM_MFA_CHECKS,
};
