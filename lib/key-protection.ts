import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Disabling or deleting a key makes Object Lock meaningless: locked evidence encrypted with it can no longer
 * be read, and signatures made with it can no longer be checked against a published public key. Only the
 * break-glass role (if any) may do either; everyone else, account administrators included, is denied in the
 * key policy itself.
 */
export const KEY_DESTROYING_ACTIONS = ['kms:DisableKey', 'kms:ScheduleKeyDeletion'] as const;

export function denyKeyDestruction(key: kms.Key, breakGlassRoleArn?: string): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyKeyDestruction',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...KEY_DESTROYING_ACTIONS],
      resources: ['*'],
      ...(breakGlassRoleArn
        ? { conditions: { ArnNotEquals: { 'aws:PrincipalArn': [breakGlassRoleArn] } } }
        : {}),
    }),
  );
}
