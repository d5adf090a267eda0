import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { denyKeyDestruction } from './key-protection';

/**
 * Administrative actions the account root (and so IAM policies in the account) may be granted on the key.
 * Deliberately no kms:Sign: CDK's default key policy gives the root `kms:*`, which would let any IAM
 * policy in the account grant signing and so forge evidence. Signing is granted in this key policy to the
 * collector roles by name, and to nobody else. kms:PutKeyPolicy stays (KMS refuses a policy that locks
 * out its own administrators); changing the policy leaves a PutKeyPolicy record in CloudTrail.
 */
export const SIGNING_KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:GetKeyPolicy',
  'kms:GetPublicKey',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/**
 * The asymmetric key (ECC_NIST_P256, SIGN_VERIFY) that signs every evidence object's SHA-256: proof that a
 * collector wrote it. The public key is available with `aws kms get-public-key`, so anyone can verify
 * with openssl. Kept when the stack is deleted: old evidence must stay verifiable.
 */
export interface SigningKeyProps {
  /** The only role that may disable or schedule deletion of the key. @default - nobody */
  readonly breakGlassRoleArn?: string;
}

export class SigningKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: SigningKeyProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'soc2-evidence: signs the SHA-256 of every evidence object (collectors only)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountAdministersButCannotSign',
            principals: [new iam.AccountRootPrincipal()],
            actions: [...SIGNING_KEY_ADMIN_ACTIONS],
            resources: ['*'],
          }),
        ],
      }),
    });
    denyKeyDestruction(this.key, props.breakGlassRoleArn);
  }

  get keyArn(): string {
    return this.key.keyArn;
  }
}

/**
 * Lets `role` sign with `key`: in the key policy (which alone can grant it, the root statement excludes
 * kms:Sign) and in the role's policy, scoped to this key.
 */
export function grantSign(key: kms.IKey, role: iam.IRole): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [role],
      actions: ['kms:Sign'],
      resources: ['*'],
    }),
  );
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Sign'], resources: [key.keyArn] }));
}
