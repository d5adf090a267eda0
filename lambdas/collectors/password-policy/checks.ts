import { defineChecks } from '../check-catalogue';

/** The checks of `password-policy`, in the order of its `checks` list. */
export const PASSWORD_POLICY_CHECKS = defineChecks({
  'password-policy': {
    title: 'SCAFFOLD: password-policy',
    description: 'SCAFFOLD: to be written with the collector.',
    criteria: ['CC6.1'],
    severity: 'medium',
    remediation: 'SCAFFOLD',
  },
});

export type PasswordPolicyCheck = keyof typeof PASSWORD_POLICY_CHECKS;
