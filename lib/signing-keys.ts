import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { signingKeyAlias } from '../lambdas/evidence/producers';

/**
 * What the account root, and so IAM policies in the account, may do with a signing key: reads, and what
 * CloudFormation needs to create, tag and read the key and its alias (the AWS::KMS::Key create handler calls
 * kms:CreateKey and kms:TagResource, which IAM alone authorises; its read handler kms:DescribeKey,
 * kms:GetKeyPolicy, kms:GetKeyRotationStatus and kms:ListResourceTags; AWS::KMS::Alias's create handler
 * kms:CreateAlias, authorised on the key too). kms:Verify and kms:GetPublicKey are here so that an IAM policy
 * (the auditor role's, the sealer's) can grant them: a key policy must delegate an action to the account for
 * IAM policies to grant it. Nothing here signs or changes the key.
 */
export const ACCOUNT_KEY_ACTIONS = [
  'kms:CreateAlias',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:GetPublicKey',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:Verify',
] as const;

/** What the one producer role may do with its own key, granted to the role itself in the key policy. */
export const SIGNER_KEY_ACTIONS = ['kms:GetPublicKey', 'kms:Sign'] as const;

/**
 * Denied to every principal but the break-glass role, account root included: changing who may sign
 * (PutKeyPolicy), making the key unusable (DisableKey, ScheduleKeyDeletion) or moving its protected alias
 * (UpdateAlias, DeleteAlias). kms:Sign is not in this list: no statement allows it to anyone but the producer
 * role, which is named as a role principal (KMS stores its unique id, so a role re-created with the same name
 * does not inherit it), and grants are denied (NOBODY_KEY_ACTIONS), so no IAM policy can give it. A Deny on
 * kms:Sign excepting the producer could only match on aws:PrincipalArn, which a re-created role would pass:
 * it would add nothing to the missing Allow.
 */
export const BREAK_GLASS_ONLY_KEY_ACTIONS = [
  'kms:DeleteAlias',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:UpdateAlias',
] as const;

/**
 * Denied to every principal, the break-glass role included: a grant gives kms:Sign without a policy change, so
 * without a PutKeyPolicy event. Break-glass could still put a policy that lifts this Deny: that is a
 * PutKeyPolicy, which the tamper watch records.
 */
export const NOBODY_KEY_ACTIONS = ['kms:CreateGrant'] as const;

/**
 * What the break-glass role may do with a signing key: administer it (its state, policy, aliases, tags,
 * rotation setting, deletion, and revoking a grant), never use it. Not kms:Sign, kms:CreateGrant (which would
 * let it sign as the producer without changing the policy), kms:Verify, nor any data action (kms:Decrypt,
 * kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, which a SIGN_VERIFY key refuses anyway). Rotation actions
 * are listed for completeness: KMS does not rotate asymmetric keys.
 */
export const BREAK_GLASS_KEY_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

export interface SigningKeysProps {
  /**
   * The only role that may change, disable or delete a signing key (BREAK_GLASS_KEY_ACTIONS in each key
   * policy: administration, never signing). It must exist
   * when the keys are created: KMS refuses a key policy naming a principal it cannot find.
   * @default - nobody: the keys' policies can never be changed
   */
  readonly breakGlassRoleArn?: string;
}

interface ProducerKey {
  readonly key: kms.Key;
  readonly alias: kms.Alias;
  signer?: iam.IRole;
}

/**
 * One asymmetric key (ECC_NIST_P256, SIGN_VERIFY) per producer: a signature names the function that made
 * it, so no function can make evidence of another kind that verifies (docs/ARCHITECTURE.md, "Chain of
 * custody"). Each key is kept when the stack is deleted (old evidence must stay verifiable), has the alias
 * `alias/<stack>/signing/<producer>`, and the same locked key policy: no CDK default statement (which would
 * give the account root kms:* and so let any IAM policy grant signing), reads for the account, sign for the
 * producer role only, administration (never signing) for the break-glass role, a Deny on changing the key to
 * everyone else, and a Deny on grants to everyone.
 *
 * The policy is locked on purpose, and that has a price: CloudFormation cannot update it either. Replacing a
 * producer's role, changing `breakGlassRoleArn` or the key's description needs the break-glass role to put
 * the new policy by hand (docs/OPERATIONS.md); without a break-glass role, nobody can.
 */
export class SigningKeys extends Construct {
  private readonly byProducer = new Map<string, ProducerKey>();
  private readonly breakGlassRoleArn: string | undefined;

  constructor(scope: Construct, id: string, props: SigningKeysProps = {}) {
    super(scope, id);
    this.breakGlassRoleArn = props.breakGlassRoleArn;
    this.node.addValidation({
      validate: () =>
        [...this.byProducer.entries()]
          .filter(([, p]) => !p.signer)
          .map(([producer]) => `the signing key of producer "${producer}" has no role allowed to sign`),
    });
  }

  /** The producer's key, created on first use. */
  keyFor(producer: string): kms.Key {
    return this.producerKey(producer).key;
  }

  /**
   * Lets `role`, and no other principal, sign with the producer's key: in the key policy (the role as a
   * principal) and in the role's own policy, scoped to that key. A producer has exactly one signing role.
   */
  grantSign(producer: string, role: iam.IRole): kms.Key {
    const p = this.producerKey(producer);
    if (p.signer) throw new Error(`producer "${producer}" already has a signing role`);
    p.signer = role;
    p.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ProducerSigns',
        principals: [role],
        actions: [...SIGNER_KEY_ACTIONS],
        resources: ['*'],
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Sign'], resources: [p.key.keyArn] }));
    return p.key;
  }

  /**
   * Lets `role` read every producer's public key (IAM alone suffices: each key policy delegates
   * kms:GetPublicKey to the account). Call once every key exists: later keys are not covered.
   */
  grantReadPublicKeys(role: iam.IRole, actions: readonly string[] = ['kms:GetPublicKey']): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: this.allKeyArns() }),
    );
  }

  /**
   * Every producer's signing role, in key creation order: the roles whose use by anything but their own function
   * is forgery (the tamper watch records functions created or reconfigured with them, and changes to them).
   * Throws if a producer has no signing role yet: call it once every producer is created.
   */
  signerRoles(): iam.IRole[] {
    return [...this.byProducer.entries()].map(([producer, p]) => {
      if (!p.signer) throw new Error(`producer "${producer}" has no signing role yet`);
      return p.signer;
    });
  }

  /** The producers with a key, in creation order. */
  get producers(): string[] {
    return [...this.byProducer.keys()];
  }

  /** Producer id → key ARN (CloudFormation references), for the PRODUCER_SIGNING_KEYS environment variable. */
  keyArns(): Record<string, string> {
    return Object.fromEntries(
      [...this.byProducer.entries()].map(([producer, p]) => [producer, p.key.keyArn]),
    );
  }

  /** Every key's ARN, for an IAM statement covering all of them. */
  allKeyArns(): string[] {
    return [...this.byProducer.values()].map((p) => p.key.keyArn);
  }

  private producerKey(producer: string): ProducerKey {
    const existing = this.byProducer.get(producer);
    if (existing) return existing;
    const stackName = Stack.of(this).stackName;
    const key = new kms.Key(this, `Key-${producer}`, {
      description: `soc2-evidence: signs the evidence of producer ${producer} (stack ${stackName})`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      // A policy of our own: with one given, the CDK adds no default statement.
      policy: new iam.PolicyDocument({ statements: this.lockedStatements() }),
    });
    // KMS refuses a key policy that would stop the caller (CloudFormation's deployment role) from changing it
    // again, unless this check is skipped. Changing the policy is exactly what nobody but the break-glass role
    // may do, so the check must be skipped: deliberately. Consequence: CloudFormation can never update these
    // policies (see the class comment). An SCP such as Control Tower's CT.KMS.PV.3 refuses the bypass, and
    // with it this stack: deploy it in an account or OU without that control.
    (key.node.defaultChild as kms.CfnKey).bypassPolicyLockoutSafetyCheck = true;
    // Retained with the key: deleting the alias is denied by the key policy, so a stack deletion that tried
    // would fail, and the alias is how an auditor finds the producer's key.
    const alias = new kms.Alias(this, `Alias-${producer}`, {
      aliasName: signingKeyAlias(stackName, producer),
      targetKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const created: ProducerKey = { key, alias };
    this.byProducer.set(producer, created);
    return created;
  }

  private lockedStatements(): iam.PolicyStatement[] {
    const breakGlass = this.breakGlassRoleArn;
    return [
      new iam.PolicyStatement({
        sid: 'AccountReadsAndHousekeeping',
        principals: [new iam.AccountRootPrincipal()],
        actions: [...ACCOUNT_KEY_ACTIONS],
        resources: ['*'],
      }),
      ...(breakGlass
        ? [
            new iam.PolicyStatement({
              sid: 'BreakGlassAdministers',
              principals: [new iam.ArnPrincipal(breakGlass)],
              actions: [...BREAK_GLASS_KEY_ACTIONS],
              resources: ['*'],
            }),
          ]
        : []),
      new iam.PolicyStatement({
        sid: 'OnlyBreakGlassChangesTheKey',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...BREAK_GLASS_ONLY_KEY_ACTIONS],
        resources: ['*'],
        ...(breakGlass ? { conditions: { ArnNotEquals: { 'aws:PrincipalArn': [breakGlass] } } } : {}),
      }),
      new iam.PolicyStatement({
        sid: 'NobodyGrants',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...NOBODY_KEY_ACTIONS],
        resources: ['*'],
      }),
    ];
  }
}

/** The alias prefix of every signing key of a stack: `alias/<stack>/signing/`. */
export function signingKeyAliasPrefix(stackName: string): string {
  return signingKeyAlias(stackName, '');
}
