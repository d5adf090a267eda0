import type { ControlBench } from './control-bench';

/**
 * `password-policy` against the synthetic account: one account setting, read with one call, and the
 * credential report the account already serves (synthetic-account.ts) for its console users.
 */
export const passwordPolicyBench: ControlBench = {
  answers: (account) => ({
    // The seed decides whether the large account keeps the policy short of the minimums, so both paths
    // are exercised across seeds; the call count is the same either way.
    'IAM:GetAccountPasswordPolicy': () => ({
      PasswordPolicy: {
        MinimumPasswordLength: account.seed % 2 === 0 ? 14 : 12,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        PasswordReusePrevention: 24,
        AllowUsersToChangePassword: true,
        ExpirePasswords: false,
      },
    }),
  }),
  // GetAccountPasswordPolicy runs beside the report's Generate then Get, so the wall is the report's two.
  floor: (_account, latencyMs) => ({
    minCalls: 3,
    formula: 'GetAccountPasswordPolicy + GenerateCredentialReport + GetCredentialReport',
    wallFloorMs: 2 * latencyMs,
  }),
};
