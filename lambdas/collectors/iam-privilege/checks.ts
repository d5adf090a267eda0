import { defineChecks } from '../check-catalogue';

/** The checks of `iam-privilege`, in the order of its `checks` list. */
export const IAM_PRIVILEGE_CHECKS = defineChecks({
  'admin-privileges': {
    title: 'SCAFFOLD: admin-privileges',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1', 'CC6.3'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'privilege-escalation': {
    title: 'SCAFFOLD: privilege-escalation',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1', 'CC6.3'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
});

export type IamPrivilegeCheck = keyof typeof IAM_PRIVILEGE_CHECKS;
