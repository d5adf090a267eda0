import { defineChecks } from '../collectors/check-catalogue';

/**
 * CC7.2 (anomalies are monitored and analysed): a change to what keeps the evidence honest is such an
 * anomaly, and it alarms. CC8.1 (changes are authorised and controlled): each recorded change is one the
 * team must be able to show was authorised.
 */
export const TAMPER_WATCH_CONTROLS = ['CC7.2', 'CC8.1'] as const;

/** The tamper watch's checks: one finding per CloudTrail event that names a protected resource. */
export const TAMPER_WATCH_CHECKS = defineChecks({
  'protected-resource-changed': {
    title: 'A protected resource of the evidence pipeline was changed',
    description:
      'One FAIL finding per change CloudTrail recorded to a resource that keeps the evidence trustworthy: the evidence bucket (its policy, versioning, Object Lock, logging), the signing keys (key policy, disabling, scheduled deletion, aliases), the collector, sealer and watchdog functions, their schedules, the alarms and the trail itself. The finding names the resource, who made the change (identity type, ARN, principal id), from where (source IP, user agent), when, and the request parameters that name the change; the CloudTrail event is kept verbatim beside it. Administrators of the audited account can make such changes; they cannot make them unseen, because the event is written as signed evidence the moment it arrives.',
    criteria: ['CC7.2', 'CC8.1'],
    severity: 'high',
    remediation:
      'Find the change request or ticket that authorised the change and record it for the auditor; if there is none, treat it as a security incident: revert the change, rotate the credentials that made it and review what else they did.',
  },
  'protected-resource-change-denied': {
    title: 'A change to a protected resource was attempted and refused',
    description:
      'One WARN finding per change to a protected resource that CloudTrail recorded with an error code (AccessDenied, or another refusal): the change did not happen, but someone tried, and an attempt is evidence too. The finding names the resource, the identity that tried, from where and when, and the error AWS returned; the CloudTrail event is kept verbatim beside it.',
    criteria: ['CC7.2'],
    severity: 'medium',
    remediation:
      'Find out who made the attempt and why; an attempt that no one can explain is a security incident: review what else those credentials did and rotate them.',
  },
});

export type TamperWatchCheck = keyof typeof TAMPER_WATCH_CHECKS;
