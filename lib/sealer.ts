import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DIGEST_PREFIX } from '../lambdas/evidence/digest';
import { EVIDENCE_PREFIX } from '../lambdas/evidence/keys';
import { SEALER_CRON, SEALER_PRODUCER } from '../lambdas/evidence/producers';
import { ENV } from '../lambdas/runtime/runtime-env';
import { deadManAlarm, functionFailedAlarm } from './alarm';
import { DIGESTS_RESOURCE_REGEX, type EvidenceBucket } from './evidence-bucket';
import { addScheduledFunction } from './scheduled-function';
import type { SigningKeys } from './signing-keys';

/** The function's thin handler (replaced by the sealer implementation; the stack only names it). */
export const SEALER_ENTRY = path.join(__dirname, '..', 'lambdas', 'handlers', 'sealer.ts');

export interface SealerProps {
  readonly evidence: EvidenceBucket;
  readonly alarmTopic: sns.ITopic;
  /** The sealer signs digests with its own key, and reads that key's public half (nothing of the others). */
  readonly signingKeys: SigningKeys;
  /** Receives scheduler deliveries that failed after their retries (its alarm already exists). */
  readonly scheduleDeadLetterQueue?: sqs.IQueue;
}

/**
 * The daily sealer (lambdas/handlers/sealer.ts): once a UTC day has ended, it lists every evidence object of
 * that day and writes `digests/YYYY/MM/DD/<account>.json` (key, version, SHA-256, S3 LastModified, producer,
 * the previous digest's hash), signed with its own key: the chain of custody an auditor verifies. It runs in
 * UTC whatever the configured time zone, since evidence keys are dated in UTC. Its role holds exactly what
 * the handler sends: it lists the versions under `evidence/` and `digests/` (ListObjectVersions, never
 * ListObjectsV2), reads objects there by version id only (GetObject with VersionId: s3:GetObjectVersion, so
 * no s3:GetObject), writes new digests only, signs with its own key and reads that key's public half (to
 * check the digest each chain continues from).
 */
export class Sealer extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly schedule: scheduler.Schedule;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: SealerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { bucket } = props.evidence;
    const signingKey = props.signingKeys.keyFor(SEALER_PRODUCER);

    const scheduled = addScheduledFunction(this, {
      functionName: `${stack.stackName}-sealer`,
      entry: SEALER_ENTRY,
      description: 'soc2-evidence: daily sealer, signs the digest of every evidence object of the UTC day',
      roleDescription:
        'soc2-evidence sealer: lists and reads evidence/ and digests/, writes digests, signs with its own key',
      memorySize: 512,
      timeout: Duration.minutes(10),
      environment: {
        [ENV.bucket]: bucket.bucketName,
        [ENV.signingKeyArn]: signingKey.keyArn,
      },
      schedule: {
        cron: SEALER_CRON,
        timeZone: 'UTC',
        description: 'soc2-evidence sealer (daily, UTC)',
        collectorId: SEALER_PRODUCER,
        ...(props.scheduleDeadLetterQueue ? { deadLetterQueue: props.scheduleDeadLetterQueue } : {}),
      },
    });
    this.function = scheduled.function;
    this.role = scheduled.role;
    this.schedule = scheduled.schedule;

    // lambdas/evidence/read-store.ts: listVersions and listFolders send ListObjectVersions
    // (s3:ListBucketVersions), read(key, versionId) sends GetObject with a VersionId (s3:GetObjectVersion);
    // the sealer always reads the version it listed, never the current one (test/least-privilege.test.ts).
    const prefixes = [`${EVIDENCE_PREFIX}*`, `${DIGEST_PREFIX}*`];
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucketVersions'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObjectVersion'],
        resources: prefixes.map((p) => bucket.arnForObjects(p)),
      }),
    );
    props.evidence.grantWriteDigests(this.role);
    props.signingKeys.grantSign(SEALER_PRODUCER, this.role);
    // Its own key's public half only: the handler fetches ENV.signingKeyArn's, no other producer's.
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [signingKey.keyArn] }),
    );

    this.alarms.push(
      functionFailedAlarm(this, this.function, {
        alarmName: `${stack.stackName}-sealer-failed`,
        alarmDescription:
          "The sealer threw: a day's digest may be missing, which breaks the chain an auditor verifies until it is written. See docs/OPERATIONS.md.",
        topic: props.alarmTopic,
      }),
      deadManAlarm(this, 'HeartbeatAlarm', SEALER_PRODUCER, {
        alarmName: `${stack.stackName}-sealer-heartbeat-missing`,
        alarmDescription:
          'The sealer has not finished a run for more than a day (no Heartbeat metric): days are going unsealed. Check its schedule, its function and its log. See docs/OPERATIONS.md.',
        topic: props.alarmTopic,
      }),
    );

    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Evidence and digest keys carry their date and are not known in advance: the sealer reads objects under evidence/ and digests/ of one bucket and writes only under digests/.',
          appliesTo: [
            { regex: '/^Resource::<.*Bucket.*\\.Arn>\\/evidence\\/\\*$/g' },
            { regex: DIGESTS_RESOURCE_REGEX },
          ],
        },
      ],
      true,
    );
    NagSuppressions.addStackSuppressions(stack, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'EventBridge Scheduler may invoke only the sealer function, including its versions (ARN:*).',
        appliesTo: [{ regex: '/^Resource::<SealerFunction[0-9A-F]*\\.Arn>:\\*$/g' }],
      },
    ]);
  }
}
