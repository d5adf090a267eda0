import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `console-signins`, in the order of its `checks` list. */
export const CONSOLE_SIGNINS_CHECKS = defineChecks({
  'signin-mfa': {
    title: 'Console sign-ins use MFA',
    description:
      'One finding per principal and region for the AWS console sign-ins (ConsoleLogin events in CloudTrail event history) of the last 24 hours. For IAM users and root it FAILs when any successful sign-in was made without MFA, WARNs when CloudTrail did not record whether MFA was used, and PASSes otherwise. It is INFO when the principal had only failed sign-ins, and for federated sign-ins (SAML, IAM Identity Center, assumed roles), whose MFA is enforced by the identity provider and not visible in CloudTrail. Where `iam-mfa` shows MFA is configured, this shows it was actually used.',
    criteria: ['CC7.2'],
    severity: 'high',
    remediation:
      'Ask the user about the sign-in and enable MFA on the user (IAM console > Users > Security credentials); add a policy that denies actions unless aws:MultiFactorAuthPresent is true.',
  },
  'trail-logging': {
    title: 'A CloudTrail trail is logging in each region',
    description:
      "One finding per region read (the configured regions plus the partition's global-events region, us-east-1 in the commercial partition). It PASSes when at least one trail that covers the region, including a multi-region or organization trail homed elsewhere, reports that it is logging, and FAILs when no trail exists or every trail is stopped. It is INFO when no trail is known to be logging because a trail's status could not be read (that read is an error entry). It checks only that logging is on, not which events the trail records. Without a trail there is no lasting record to investigate anomalies, and empty sign-in evidence could be mistaken for a quiet day.",
    criteria: ['CC7.2'],
    severity: 'high',
    remediation:
      'Create a multi-region trail, or start the stopped one: `aws cloudtrail start-logging --name TRAIL`.',
  },
  'root-signin': {
    title: 'Nobody signs in as root',
    description:
      'One finding for every root console sign-in in the last 24 hours: a successful one FAILs, whether or not MFA was used, and a failed attempt WARNs, since someone tried the most powerful credential of the account. The finding records the time, source IP, MFA use and event id so the sign-in can be traced. Root should be used only for the few tasks that require it, and each use should be explained.',
    criteria: ['CC7.2'],
    severity: 'high',
    remediation:
      'Confirm with the root credential holder who signed in, from where and why, and record it; if nobody can account for it, change the root password, check its MFA device and access keys, and review CloudTrail for what the session did.',
  },
  'repeated-signin-failures': {
    title: 'No source IP repeatedly fails to sign in',
    description:
      'A WARN for each source IP address with more failed console sign-ins in one region in the last 24 hours than `failedSigninThreshold` (default 5), listing the user names tried. Nothing is reported below the threshold. Repeated failures from one address can be password guessing or credential stuffing, an anomaly CC7.2 expects to be noticed and looked into.',
    criteria: ['CC7.2'],
    severity: 'medium',
    remediation:
      'Check whether the address is known (a user with a forgotten password) or hostile; if hostile, make sure the targeted users have MFA and strong passwords, and consider blocking the address.',
  },
});

export type ConsoleSigninsCheck = keyof typeof CONSOLE_SIGNINS_CHECKS;

/** What `console-signins` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const CONSOLE_SIGNINS_IDENTITY: CollectorIdentity<ConsoleSigninsCheck> = {
  id: 'console-signins',
  title: 'AWS console sign-ins',
  controls: ['CC7.2'],
  scope: 'regional',
  frequency: 'daily',
  checks: CONSOLE_SIGNINS_CHECKS,
};
