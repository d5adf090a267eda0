import { defineChecks } from '../check-catalogue';

/** The checks of `public-access`, in the order of its `checks` list. */
export const PUBLIC_ACCESS_CHECKS = defineChecks({
  's3-account-public-access-block': {
    title: 'SCAFFOLD: s3-account-public-access-block',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  's3-bucket-public': {
    title: 'SCAFFOLD: s3-bucket-public',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'rds-public-instance': {
    title: 'SCAFFOLD: rds-public-instance',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'rds-public-snapshot': {
    title: 'SCAFFOLD: rds-public-snapshot',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'ebs-public-snapshot': {
    title: 'SCAFFOLD: ebs-public-snapshot',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'ami-public': {
    title: 'SCAFFOLD: ami-public',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1', 'CC6.6'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
});

export type PublicAccessCheck = keyof typeof PUBLIC_ACCESS_CHECKS;
