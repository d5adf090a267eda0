import { defineChecks } from '../check-catalogue';

/** The checks of `threat-detection`, in the order of its `checks` list. */
export const THREAT_DETECTION_CHECKS = defineChecks({
  'guardduty-enabled': {
    title: 'SCAFFOLD: guardduty-enabled',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC7.3'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'guardduty-finding-response': {
    title: 'SCAFFOLD: guardduty-finding-response',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC7.3'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'securityhub-enabled': {
    title: 'SCAFFOLD: securityhub-enabled',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC7.3'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'access-analyzer-enabled': {
    title: 'SCAFFOLD: access-analyzer-enabled',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC7.2', 'CC7.3'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
});

export type ThreatDetectionCheck = keyof typeof THREAT_DETECTION_CHECKS;
