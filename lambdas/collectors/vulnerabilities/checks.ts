import { defineChecks } from '../check-catalogue';

/** The checks of `vulnerabilities`, in the order of its `checks` list. */
export const VULNERABILITIES_CHECKS = defineChecks({
  'inspector-enabled': {
    title: 'SCAFFOLD: inspector-enabled',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'vulnerability-sla': {
    title: 'SCAFFOLD: vulnerability-sla',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'vulnerability-counts': {
    title: 'SCAFFOLD: vulnerability-counts',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
});

export type VulnerabilitiesCheck = keyof typeof VULNERABILITIES_CHECKS;
