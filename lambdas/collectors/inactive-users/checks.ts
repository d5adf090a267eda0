import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';
import { IAM_MFA_CHECKS } from '../iam-mfa/checks';

/** The checks of `inactive-users`, in the order of its `checks` list. */
export const INACTIVE_USERS_CHECKS = defineChecks({
  'console-password-inactive': {
    title: 'Console passwords are in use',
    description:
      "One finding per IAM user whose console password is enabled, from the IAM credential report. It FAILs when the password was last used more than `inactiveAfterDays` days ago (default 90); a password never used ages from when it was last changed, or else from the user's creation, and one with no date at all counts as inactive. Otherwise it PASSes. A login nobody uses is usually left over from someone who left or changed role; it can still be phished or guessed and its misuse is less likely to be noticed, so auditors expect access that is no longer needed to be removed.",
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'medium',
    remediation:
      'Confirm with the owner whether the console access is still needed; if not, remove the password (`aws iam delete-login-profile --user-name NAME`), or delete the user if the person has left.',
  },
  'access-key-inactive': {
    title: 'Active access keys are in use',
    description:
      "One finding per active access key of an IAM user, from the IAM credential report (inactive keys cannot sign requests and are not judged). It FAILs when the key was last used more than `inactiveAfterDays` days ago (default 90); a key never used ages from its last rotation, or else from the user's creation, and one with no date at all counts as inactive. Otherwise it PASSes. An unused key is a standing secret with no purpose: it may sit in an old script or laptop, and removing it takes away access nobody needs.",
    criteria: ['CC6.2', 'CC6.3'],
    severity: 'medium',
    remediation:
      'Deactivate the key (`aws iam update-access-key --user-name NAME --access-key-id ID --status Inactive`), wait to see that nothing breaks, then delete it with `aws iam delete-access-key`.',
  },
  'root-recently-used': {
    title: 'The root user sits unused',
    description:
      "One finding for the account's root user, from the IAM credential report: it WARNs when root's password or any of its active access keys was used within the last `inactiveAfterDays` days (default 90), and PASSes otherwise, including when root was never used. It is a warning, not a failure, because a few tasks can only be done as root; each recent use should still be explained. Root is not subject to IAM policies, so day-to-day work done as root bypasses role-based, least-privilege access.",
    criteria: ['CC6.3'],
    severity: 'medium',
    remediation:
      'Find the root activity in CloudTrail (userIdentity.type Root), confirm it was a task only root can do and record who did it and why; if nobody can explain it, change the root password, check its MFA and keys, and investigate.',
  },
  'root-access-keys': IAM_MFA_CHECKS['root-access-keys'],
  'no-credentials': {
    title: 'Users without credentials are listed',
    description:
      'An INFO finding for each IAM user that has neither an enabled console password nor an active access key, so cannot sign in or call AWS as themselves; such users are not judged as inactive. They are listed so that a reviewer can see identities left behind after their credentials were removed, which still hold group memberships and policies and could be given a credential again.',
    criteria: ['CC6.2'],
    severity: 'info',
    remediation:
      'Usually nothing to do; if the user is no longer needed, remove it from its groups, detach its policies and delete it (`aws iam delete-user --user-name NAME`).',
  },
});

export type InactiveUsersCheck = keyof typeof INACTIVE_USERS_CHECKS;

/** What `inactive-users` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const INACTIVE_USERS_IDENTITY: CollectorIdentity<InactiveUsersCheck> = {
  id: 'inactive-users',
  title: 'Inactive IAM users and credentials',
  controls: ['CC6.2', 'CC6.3'],
  scope: 'global',
  frequency: 'daily',
  checks: INACTIVE_USERS_CHECKS,
};
