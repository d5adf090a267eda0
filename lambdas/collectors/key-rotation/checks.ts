import { defineChecks } from '../check-catalogue';

/** The checks of `key-rotation`, in the order of its `checks` list. */
export const KEY_ROTATION_CHECKS = defineChecks({
  'access-key-age': {
    title: 'SCAFFOLD: access-key-age',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'kms-key-rotation': {
    title: 'SCAFFOLD: kms-key-rotation',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
  'secret-rotation': {
    title: 'SCAFFOLD: secret-rotation',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
});

export type KeyRotationCheck = keyof typeof KEY_ROTATION_CHECKS;
