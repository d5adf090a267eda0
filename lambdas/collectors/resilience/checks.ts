import { defineChecks } from '../check-catalogue';

/** The checks of `resilience`, in the order of its `checks` list. */
export const RESILIENCE_CHECKS = defineChecks({
  'rds-multi-az': {
    title: 'SCAFFOLD: rds-multi-az',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'rds-deletion-protection': {
    title: 'SCAFFOLD: rds-deletion-protection',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'dynamodb-pitr': {
    title: 'SCAFFOLD: dynamodb-pitr',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  's3-versioning': {
    title: 'SCAFFOLD: s3-versioning',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'backup-plan-coverage': {
    title: 'SCAFFOLD: backup-plan-coverage',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'backup-vault-lock': {
    title: 'SCAFFOLD: backup-vault-lock',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
});

export type ResilienceCheck = keyof typeof RESILIENCE_CHECKS;
