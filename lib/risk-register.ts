import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  RISK_ACCEPTANCE_KIND,
  RISK_REGISTER_PRODUCER,
  riskRegisterFunctionName,
} from '../lambdas/evidence/risk-acceptance';
import { ENV } from '../lambdas/runtime/runtime-env';
import { functionFailedAlarm } from './alarm';
import { EVIDENCE_KIND_RESOURCE_REGEX, type EvidenceBucket } from './evidence-bucket';
import { addStackFunction } from './scheduled-function';
import type { SigningKeys } from './signing-keys';

/** The function's thin handler. */
export const RISK_REGISTER_ENTRY = path.join(__dirname, '..', 'lambdas', 'handlers', 'risk-register.ts');

/** The function's fixed name, which `soc2-evidence exception accept|revoke --stack <stack>` invokes. */
export { riskRegisterFunctionName };

export interface RiskRegisterProps {
  readonly evidence: EvidenceBucket;
  readonly alarmTopic: sns.ITopic;
  readonly signingKeys: SigningKeys;
}

/**
 * The risk register: an unscheduled function, invoked synchronously by `soc2-evidence exception
 * accept|revoke --stack`, that writes one signed `risk-acceptance` envelope per accepted or revoked risk,
 * naming the caller as AWS STS proves it (lambdas/risk-register/identity.ts). Anyone allowed
 * lambda:InvokeFunction on it can record a decision, but only in their own name and on the day they record
 * it. Its role may only write its own kind and sign with its own key, from this function's code only.
 */
export class RiskRegister extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: RiskRegisterProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const signingKey = props.signingKeys.keyFor(RISK_REGISTER_PRODUCER);
    const fn = addStackFunction(this, {
      functionName: riskRegisterFunctionName(stackName),
      entry: RISK_REGISTER_ENTRY,
      description:
        'soc2-evidence: risk register, records accepted and revoked risks with the caller proven by STS (CC3.2, CC9.1)',
      roleDescription: 'soc2-evidence risk register: writes risk-acceptance evidence, signs with its own key',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: {
        [ENV.bucket]: props.evidence.bucket.bucketName,
        [ENV.signingKeyArn]: signingKey.keyArn,
      },
    });
    this.function = fn.function;
    this.role = fn.role;
    props.evidence.grantWriteEvidence(this.role, [RISK_ACCEPTANCE_KIND]);
    props.signingKeys.grantSign(RISK_REGISTER_PRODUCER, this.role);
    // The CLI invokes it synchronously; an asynchronous invocation that failed was refused (or could not
    // reach STS) and is not retried: the person runs the command again.
    this.function.configureAsyncInvoke({ retryAttempts: 0 });

    this.alarms.push(
      functionFailedAlarm(this, this.function, {
        alarmName: `${stackName}-risk-register-failed`,
        alarmDescription:
          'The risk-register function refused or failed to record a risk decision: a request the CLI would not have sent (another account, a proof not bound to the decision) or an evidence write that failed. Its log names the reason. See docs/OPERATIONS.md, "Accepted risks".',
        topic: props.alarmTopic,
      }),
    );

    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Risk-acceptance evidence keys carry their date and run id, unknown in advance: the role writes only its own kind under evidence/YYYY/MM/DD/ of one bucket.',
          appliesTo: [{ regex: EVIDENCE_KIND_RESOURCE_REGEX }],
        },
      ],
      true,
    );
  }
}
