import type { Answers } from '../offline-clients';

/** The sample account's password policy, as GetAccountPasswordPolicy returns it. */
export const SAMPLE_PASSWORD_POLICY = {
  // PROBLEM: 8 characters (14 required) and no reuse prevention (24 required): `password-policy` FAILs.
  MinimumPasswordLength: 8,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  ExpirePasswords: true,
  MaxPasswordAge: 90,
  HardExpiry: false,
};

/** The sample account's answers for the APIs only `password-policy` reads (the credential report is shared). */
export function passwordPolicyAnswers(_now: Date, _demoNow: Date): Answers {
  return {
    'IAM:GetAccountPasswordPolicy': () => ({ PasswordPolicy: { ...SAMPLE_PASSWORD_POLICY } }),
  };
}
