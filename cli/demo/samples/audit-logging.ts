import { SAMPLE_ACCOUNT_ID } from '../sample-account';
import type { Answers } from '../offline-clients';

/**
 * The sample account's answers for the APIs only `audit-logging` reads. Shared with other collectors and
 * answered elsewhere: the trail list and status (sample-answers.ts, console-signins), the ELBv2 load
 * balancers and listeners (sample-account.ts SAMPLE_LISTENERS, tls) and the Classic Load Balancers with
 * their attributes (classic-load-balancers.ts: legacy-web keeps no access logs).
 */

const DAY_MS = 86_400_000;

/** The organization trail's event selectors (sample-answers.ts lists the trail itself). */
const TRAIL_SELECTORS = {
  // PROBLEM: the only trail records management write events only (readOnly = false): reads such as
  // GetSecretValue, ListBuckets or DescribeInstances, the trace of reconnaissance and data access, are lost.
  // Its selectors were written by infrastructure as code, so they carry their own names, not the console's.
  AdvancedEventSelectors: [
    {
      Name: 'org-management-writes',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'readOnly', Equals: ['false'] },
      ],
    },
    {
      Name: 'evidence-bucket-data-events',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::example-soc2-evidence/'] },
      ],
    },
  ],
};

interface SampleRecorder {
  readonly region: string;
  /** The customer-managed recorder; absent: none in this region. */
  readonly customer?: { readonly name: string; readonly recording: boolean };
  readonly serviceLinked: readonly {
    readonly principal: string;
    readonly scope: 'INTERNAL' | 'PAID';
    readonly name: string;
  }[];
}

const SAMPLE_RECORDERS: readonly SampleRecorder[] = [
  { region: 'us-east-1', customer: { name: 'default', recording: true }, serviceLinked: [] },
  // PROBLEM: AWS Config was never set up in eu-west-1; the only recorder there is the service-linked one
  // another service created for itself, with INTERNAL scope: it delivers no configuration items.
  {
    region: 'eu-west-1',
    serviceLinked: [{ principal: 'securityhub.amazonaws.com', scope: 'INTERNAL', name: 'SecurityHub' }],
  },
];

interface SampleLogGroup {
  readonly region: string;
  readonly name: string;
  /** Absent: never expires. */
  readonly retentionInDays?: number;
  readonly logGroupClass?: 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY';
  readonly ageDays: number;
}

const SAMPLE_LOG_GROUPS: readonly SampleLogGroup[] = [
  { region: 'us-east-1', name: '/aws/lambda/soc2-evidence-collector', retentionInDays: 400, ageDays: 200 },
  // PROBLEM: the API's logs are deleted after 30 days, long before the audit period ends.
  { region: 'us-east-1', name: '/aws/lambda/orders-api', retentionInDays: 30, ageDays: 500 },
  // Never expires: passes retention, and is recorded as such.
  { region: 'us-east-1', name: '/aws/vpc/flow-logs', ageDays: 700 },
  {
    region: 'us-east-1',
    name: '/aws/vendedlogs/delivery/web-alb',
    logGroupClass: 'DELIVERY',
    retentionInDays: 1,
    ageDays: 90,
  },
  {
    region: 'eu-west-1',
    name: '/aws/ecs/internal-tools',
    retentionInDays: 731,
    logGroupClass: 'INFREQUENT_ACCESS',
    ageDays: 300,
  },
];

interface SampleVpc {
  readonly region: string;
  readonly id: string;
  readonly name?: string;
  readonly isDefault: boolean;
  readonly cidr: string;
  readonly flowLog?: { readonly trafficType: 'ALL' | 'ACCEPT' | 'REJECT' };
}

const SAMPLE_VPCS: readonly SampleVpc[] = [
  {
    region: 'us-east-1',
    id: 'vpc-0a1b2c3d4e5f60000',
    name: 'production',
    isDefault: false,
    cidr: '10.0.0.0/16',
    flowLog: { trafficType: 'ALL' },
  },
  // PROBLEM: the VPC of the Classic Load Balancers has no flow log.
  {
    region: 'us-east-1',
    id: 'vpc-0example0000000001',
    name: 'legacy',
    isDefault: false,
    cidr: '10.1.0.0/16',
  },
  // The default VPC logs rejected traffic only: WARN.
  {
    region: 'eu-west-1',
    id: 'vpc-0e1f2a3b4c5d60000',
    isDefault: true,
    cidr: '172.31.0.0/16',
    flowLog: { trafficType: 'REJECT' },
  },
];

/** Access logs of the ELBv2 load balancers of sample-account.ts (SAMPLE_LISTENERS), by name. */
const ELBV2_ACCESS_LOGS: Readonly<Record<string, boolean>> = {
  web: true,
  // A Network Load Balancer with a TLS listener: its access logs apply, and are on.
  'partner-api': true,
  // PROBLEM: the internal tools' ALB keeps no access logs.
  'internal-tools': false,
};

function notFound(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

export function auditLoggingAnswers(now: Date, _demoNow: Date): Answers {
  const trailArn = `arn:aws:cloudtrail:us-east-1:${SAMPLE_ACCOUNT_ID}:trail/organization-trail`;
  return {
    'CloudTrail:GetEventSelectors': (input) => {
      if (input.TrailName !== trailArn && input.TrailName !== 'organization-trail')
        throw notFound('TrailNotFoundException', `Unknown trail: ${String(input.TrailName)}`);
      return { TrailARN: trailArn, ...TRAIL_SELECTORS };
    },
    'ConfigService:DescribeConfigurationRecorders': (_input, region) => {
      const r = SAMPLE_RECORDERS.find((x) => x.region === region)?.customer;
      return {
        ConfigurationRecorders: r
          ? [
              {
                arn: `arn:aws:config:${region}:${SAMPLE_ACCOUNT_ID}:configuration-recorder/${r.name}/example`,
                name: r.name,
                roleARN: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
                recordingGroup: {
                  allSupported: true,
                  includeGlobalResourceTypes: true,
                  resourceTypes: [],
                  exclusionByResourceTypes: { resourceTypes: [] },
                  recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' },
                },
                recordingMode: { recordingFrequency: 'CONTINUOUS' },
              },
            ]
          : [],
      };
    },
    'ConfigService:DescribeConfigurationRecorderStatus': (_input, region) => {
      const r = SAMPLE_RECORDERS.find((x) => x.region === region)?.customer;
      return {
        ConfigurationRecordersStatus: r
          ? [
              {
                name: r.name,
                recording: r.recording,
                lastStatus: 'Success',
                lastStartTime: new Date(now.getTime() - 400 * DAY_MS),
                lastStatusChangeTime: new Date(now.getTime() - 3_600_000),
              },
            ]
          : [],
      };
    },
    'ConfigService:ListConfigurationRecorders': (_input, region) => {
      const r = SAMPLE_RECORDERS.find((x) => x.region === region);
      return {
        ConfigurationRecorderSummaries: [
          ...(r?.customer
            ? [
                {
                  arn: `arn:aws:config:${region}:${SAMPLE_ACCOUNT_ID}:configuration-recorder/${r.customer.name}/example`,
                  name: r.customer.name,
                  recordingScope: 'PAID',
                },
              ]
            : []),
          ...(r?.serviceLinked ?? []).map((s) => {
            const name = `AWSConfigurationRecorderFor${s.name}`;
            return {
              arn: `arn:aws:config:${region}:${SAMPLE_ACCOUNT_ID}:configuration-recorder/${name}/example`,
              name,
              servicePrincipal: s.principal,
              recordingScope: s.scope,
            };
          }),
        ],
      };
    },
    'CloudWatchLogs:DescribeLogGroups': (_input, region) => ({
      logGroups: SAMPLE_LOG_GROUPS.filter((g) => g.region === region).map((g) => {
        const arn = `arn:aws:logs:${region}:${SAMPLE_ACCOUNT_ID}:log-group:${g.name}`;
        return {
          logGroupName: g.name,
          creationTime: now.getTime() - g.ageDays * DAY_MS,
          ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
          metricFilterCount: 0,
          arn: `${arn}:*`,
          logGroupArn: arn,
          storedBytes: 0,
          logGroupClass: g.logGroupClass ?? 'STANDARD',
        };
      }),
    }),
    'EC2:DescribeVpcs': (_input, region) => ({
      Vpcs: SAMPLE_VPCS.filter((v) => v.region === region).map((v) => ({
        VpcId: v.id,
        OwnerId: SAMPLE_ACCOUNT_ID,
        State: 'available',
        CidrBlock: v.cidr,
        IsDefault: v.isDefault,
        ...(v.name ? { Tags: [{ Key: 'Name', Value: v.name }] } : {}),
      })),
    }),
    'EC2:DescribeFlowLogs': (_input, region) => ({
      FlowLogs: SAMPLE_VPCS.filter((v) => v.region === region && v.flowLog).map((v, i) => ({
        FlowLogId: `fl-0a1b2c3d4e5f${String(i).padStart(5, '0')}`,
        ResourceId: v.id,
        FlowLogStatus: 'ACTIVE',
        DeliverLogsStatus: 'SUCCESS',
        TrafficType: v.flowLog?.trafficType,
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: '/aws/vpc/flow-logs',
        LogDestination: `arn:aws:logs:${region}:${SAMPLE_ACCOUNT_ID}:log-group:/aws/vpc/flow-logs`,
        CreationTime: new Date(now.getTime() - 300 * DAY_MS),
      })),
    }),
    'ElasticLoadBalancingV2:DescribeLoadBalancerAttributes': (input) => {
      // ARNs as sample-answers.ts builds them: ...:loadbalancer/<app|net>/<name>/<id>
      const name = String(input.LoadBalancerArn).split('/')[2] ?? '';
      const enabled = ELBV2_ACCESS_LOGS[name];
      if (enabled === undefined)
        throw notFound(
          'LoadBalancerNotFoundException',
          `Load balancers '[${String(input.LoadBalancerArn)}]' not found`,
        );
      return {
        Attributes: [
          { Key: 'access_logs.s3.enabled', Value: String(enabled) },
          { Key: 'access_logs.s3.bucket', Value: enabled ? 'example-elb-logs' : '' },
          { Key: 'access_logs.s3.prefix', Value: enabled ? name : '' },
          { Key: 'deletion_protection.enabled', Value: 'true' },
        ],
      };
    },
  };
}
