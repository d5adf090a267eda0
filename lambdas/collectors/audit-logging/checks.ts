import { defineChecks } from '../check-catalogue';

/** The checks of `audit-logging`, in the order of its `checks` list. */
export const AUDIT_LOGGING_CHECKS = defineChecks({
  'cloudtrail-multi-region': {
    title: 'SCAFFOLD: cloudtrail-multi-region',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'config-recorder': {
    title: 'SCAFFOLD: config-recorder',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'log-group-retention': {
    title: 'SCAFFOLD: log-group-retention',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'vpc-flow-logs': {
    title: 'SCAFFOLD: vpc-flow-logs',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'load-balancer-access-logs': {
    title: 'SCAFFOLD: load-balancer-access-logs',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC2.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
});

export type AuditLoggingCheck = keyof typeof AUDIT_LOGGING_CHECKS;
