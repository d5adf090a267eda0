import { classicLoadBalancerAnswers } from './samples/classic-load-balancers';
import { iamPrivilegeAnswers, samplePrivilegePolicies, samplePrivilegeRoles } from './samples/iam-privilege';
import { passwordPolicyAnswers } from './samples/password-policy';
import { keyRotationAnswers } from './samples/key-rotation';
import { publicAccessAnswers } from './samples/public-access';
import { threatDetectionAnswers } from './samples/threat-detection';
import { auditLoggingAnswers } from './samples/audit-logging';
import { vulnerabilitiesAnswers } from './samples/vulnerabilities';
import { resilienceAnswers } from './samples/resilience';
import type { RoleDetail } from '@aws-sdk/client-iam';
import type { Answers } from './offline-clients';
import {
  SAMPLE_ACCOUNT_ID,
  SAMPLE_BACKUP_JOBS,
  SAMPLE_BUCKETS,
  SAMPLE_DATABASES,
  SAMPLE_EBS,
  SAMPLE_LISTENERS,
  SAMPLE_ROLES,
  SAMPLE_ROOT,
  SAMPLE_SSL_POLICIES,
  SAMPLE_SECURITY_GROUPS,
  SAMPLE_SIGNINS,
  SAMPLE_USERS,
  type Lapse,
  type SampleAccessKey,
} from './sample-account';

const DAY = 86_400_000;

/**
 * Builds the answers the sample account gives at `now`, API by API, in the SDK's output shapes. `demoNow` is
 * the demo's today when it replays an earlier day (`now`): the account's `Lapse`s are counted back from it.
 * Left out, `now` is today, and the answers are the account's state of today.
 */
export function sampleAnswers(now: Date, demoNow: Date = now): Answers {
  const daysBeforeToday = Math.round((demoNow.getTime() - now.getTime()) / DAY);
  const lapsed = (lapse: Lapse | undefined): boolean =>
    lapse !== undefined &&
    daysBeforeToday <= lapse.sinceDaysAgo &&
    daysBeforeToday > (lapse.untilDaysAgo ?? -1);
  const mfaOf = (x: { mfa: 'virtual' | 'hardware' | null; mfaLapse?: Lapse }) =>
    lapsed(x.mfaLapse) ? null : x.mfa;
  /** When a virtual device was enabled: as its owner's MFA lapse ended, or long ago. */
  const registered = (lapse: Lapse | undefined): Date =>
    lapse?.untilDaysAgo !== undefined && daysBeforeToday <= lapse.untilDaysAgo
      ? new Date(demoNow.getTime() - lapse.untilDaysAgo * DAY)
      : new Date(now.getTime() - 100 * DAY);
  const at = (daysAgo: number | null | undefined): string =>
    daysAgo === null || daysAgo === undefined
      ? 'N/A'
      : new Date(now.getTime() - daysAgo * DAY).toISOString().replace('.000Z', '+00:00');
  const keyCells = (keys: readonly SampleAccessKey[], slot: 0 | 1): string[] => {
    const k = keys[slot];
    if (!k) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    const used = k.lastUsedDaysAgo !== null;
    return [
      String(k.active),
      at(k.rotatedDaysAgo),
      used ? at(k.lastUsedDaysAgo) : 'N/A',
      used ? 'us-east-1' : 'N/A',
      used ? (k.lastUsedService ?? 'sts') : 'N/A',
    ];
  };
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const rootRow = [
    '<root_account>',
    `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:root`,
    at(2000),
    'not_supported',
    at(SAMPLE_ROOT.lastSignInDaysAgo),
    'not_supported',
    'not_supported',
    String(mfaOf(SAMPLE_ROOT) !== null),
    ...keyCells(SAMPLE_ROOT.accessKeys, 0),
    ...keyCells(SAMPLE_ROOT.accessKeys, 1),
    'false',
    'N/A',
    'false',
    'N/A',
  ];
  const userRows = SAMPLE_USERS.map((u) => [
    u.name,
    `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/${u.name}`,
    at(u.createdDaysAgo),
    String(Boolean(u.console)),
    u.console
      ? u.console.lastUsedDaysAgo === null
        ? 'no_information'
        : at(u.console.lastUsedDaysAgo)
      : 'N/A',
    u.console ? at(u.console.changedDaysAgo) : 'N/A',
    'N/A',
    String(mfaOf(u) !== null),
    ...keyCells(u.accessKeys, 0),
    ...keyCells(u.accessKeys, 1),
    'false',
    'N/A',
    'false',
    'N/A',
  ]);
  const csv = [header, rootRow.join(','), ...userRows.map((r) => r.join(','))].join('\n') + '\n';
  const reportTime = new Date(now.getTime() - 20 * 60_000);
  const virtual = [
    ...(mfaOf(SAMPLE_ROOT) === 'virtual'
      ? [
          {
            name: '',
            arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:root`,
            serial: 'root-account-mfa-device',
            enabled: registered(SAMPLE_ROOT.mfaLapse),
          },
        ]
      : []),
    ...SAMPLE_USERS.filter((u) => mfaOf(u) === 'virtual').map((u) => ({
      name: u.name,
      arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/${u.name}`,
      serial: u.name,
      enabled: registered(u.mfaLapse),
    })),
  ];

  const ec2Answers = networkAnswers();
  return {
    ...ec2Answers,
    ...signinAnswers(now),
    ...databaseAnswers(now),
    ...storageAnswers(),
    ...loadBalancerAnswers(),
    ...backupAnswers(now),
    ...classicLoadBalancerAnswers(),
    ...iamPrivilegeAnswers(now, demoNow),
    ...passwordPolicyAnswers(now, demoNow),
    ...keyRotationAnswers(now, demoNow),
    ...publicAccessAnswers(now, demoNow),
    ...threatDetectionAnswers(now, demoNow),
    ...auditLoggingAnswers(now, demoNow),
    ...vulnerabilitiesAnswers(now, demoNow),
    ...resilienceAnswers(now, demoNow),
    'STS:GetCallerIdentity': () => ({
      Account: SAMPLE_ACCOUNT_ID,
      Arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/alice`,
      UserId: 'AIDAEXAMPLE',
    }),
    'IAM:GenerateCredentialReport': () => ({ State: 'COMPLETE' }),
    'IAM:GetCredentialReport': () => ({
      Content: Buffer.from(csv),
      ReportFormat: 'text/csv',
      GeneratedTime: reportTime,
    }),
    // The access review's population: the sample users with their groups; Admins holds AdministratorAccess.
    'IAM:GetAccountAuthorizationDetails': () => ({
      IsTruncated: false,
      UserDetailList: SAMPLE_USERS.map((u) => ({
        UserName: u.name,
        Arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/${u.name}`,
        CreateDate: new Date(now.getTime() - u.createdDaysAgo * DAY),
        GroupList: [...u.groups],
      })),
      GroupDetailList: [...new Set(SAMPLE_USERS.flatMap((u) => u.groups))].map((g) => ({
        GroupName: g,
        Arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:group/${g}`,
        AttachedManagedPolicies:
          g === 'Admins'
            ? [
                {
                  PolicyName: 'AdministratorAccess',
                  PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
                },
              ]
            : [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      })),
      RoleDetailList: SAMPLE_ROLES.map((r): RoleDetail => ({
        RoleName: r.name,
        Arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role/${r.name}`,
        CreateDate: new Date(now.getTime() - 300 * DAY),
        ...(r.lastUsedDaysAgo === null
          ? {}
          : {
              RoleLastUsed: {
                LastUsedDate: new Date(now.getTime() - r.lastUsedDaysAgo * DAY),
                Region: 'us-east-1',
              },
            }),
        // IAM returns policy documents URL-encoded.
        AssumeRolePolicyDocument: encodeURIComponent(
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              r.trust === 'saml'
                ? {
                    Effect: 'Allow',
                    Principal: { Federated: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:saml-provider/ExampleIdP` },
                    Action: 'sts:AssumeRoleWithSAML',
                  }
                : {
                    Effect: 'Allow',
                    Principal: { AWS: `arn:aws:iam::${r.trust}:root` },
                    Action: 'sts:AssumeRole',
                  },
            ],
          }),
        ),
        AttachedManagedPolicies: r.policies.map((name) => ({
          PolicyName: name,
          PolicyArn: `arn:aws:iam::aws:policy/${name}`,
        })),
        RolePolicyList: [],
        // iam-privilege's workload roles and customer managed policy: cli/demo/samples/iam-privilege.ts.
      })).concat(samplePrivilegeRoles(now)),
      Policies: samplePrivilegePolicies(now),
    }),
    'IAM:ListVirtualMFADevices': () => ({
      IsTruncated: false,
      VirtualMFADevices: virtual.map((v) => ({
        SerialNumber: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:mfa/${v.serial}`,
        User: {
          UserName: v.name,
          Arn: v.arn,
          UserId: 'AIDAEXAMPLE',
          Path: '/',
          CreateDate: new Date(now.getTime() - 100 * DAY),
        },
        EnableDate: v.enabled,
      })),
    }),
  };
}

function networkAnswers(): Answers {
  const isCidr = (source: string) => source.includes('/');
  return {
    'EC2:DescribeSecurityGroups': (_input, region) => ({
      SecurityGroups: SAMPLE_SECURITY_GROUPS.filter((g) => g.region === region).map((g) => ({
        GroupId: g.id,
        GroupName: g.name,
        OwnerId: SAMPLE_ACCOUNT_ID,
        VpcId: 'vpc-0a1b2c3d4e5f60000',
        IpPermissions: g.inbound.map((r) => ({
          IpProtocol: r.protocol,
          ...(r.protocol === '-1' ? {} : { FromPort: r.from, ToPort: r.to }),
          IpRanges: isCidr(r.source) && !r.source.includes(':') ? [{ CidrIp: r.source }] : [],
          Ipv6Ranges: isCidr(r.source) && r.source.includes(':') ? [{ CidrIpv6: r.source }] : [],
          UserIdGroupPairs: isCidr(r.source) ? [] : [{ GroupId: r.source, UserId: SAMPLE_ACCOUNT_ID }],
          PrefixListIds: [],
        })),
      })),
    }),
    'EC2:DescribeNetworkInterfaces': (_input, region) => ({
      NetworkInterfaces: SAMPLE_SECURITY_GROUPS.filter((g) => g.region === region).flatMap((g, i) =>
        g.attachedTo.map((kind, j) => ({
          NetworkInterfaceId: `eni-0a1b2c3d4e5f${String(i * 10 + j).padStart(5, '0')}`,
          Groups: [{ GroupId: g.id, GroupName: g.name }],
          ...(kind === 'load-balancer'
            ? {
                InterfaceType: 'interface',
                RequesterId: 'amazon-elb',
                Description: 'ELB app/web/50dc6c495c0c9188',
              }
            : kind === 'database'
              ? { InterfaceType: 'interface', RequesterId: 'amazon-rds', Description: 'RDSNetworkInterface' }
              : {
                  InterfaceType: 'interface',
                  Attachment: { InstanceId: `i-0a1b2c3d4e5f${String(i).padStart(5, '0')}` },
                }),
        })),
      ),
    }),
  };
}

function signinAnswers(now: Date): Answers {
  const trailArn = `arn:aws:cloudtrail:us-east-1:${SAMPLE_ACCOUNT_ID}:trail/organization-trail`;
  return {
    'CloudTrail:DescribeTrails': () => ({
      trailList: [
        {
          Name: 'organization-trail',
          TrailARN: trailArn,
          HomeRegion: 'us-east-1',
          IsMultiRegionTrail: true,
          // Read by audit-logging, with the trail's event selectors (samples/audit-logging.ts).
          IsOrganizationTrail: true,
          LogFileValidationEnabled: true,
          S3BucketName: 'example-cloudtrail-logs',
        },
      ],
    }),
    'CloudTrail:GetTrailStatus': () => ({ IsLogging: true }),
    // Console sign-ins to the global endpoint are recorded in us-east-1.
    'CloudTrail:LookupEvents': (_input, region) => ({
      Events:
        region !== 'us-east-1'
          ? []
          : SAMPLE_SIGNINS.map((s, i) => {
              const time = new Date(now.getTime() - s.hoursAgo * 3_600_000);
              const eventId = `0a1b2c3d-0000-4000-8000-${String(i).padStart(12, '0')}`;
              return {
                EventId: eventId,
                EventName: 'ConsoleLogin',
                EventTime: time,
                Username: s.user,
                CloudTrailEvent: JSON.stringify({
                  eventVersion: '1.09',
                  userIdentity: {
                    type: 'IAMUser',
                    accountId: SAMPLE_ACCOUNT_ID,
                    userName: s.user,
                    ...(s.success ? { arn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:user/${s.user}` } : {}),
                  },
                  eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
                  eventSource: 'signin.amazonaws.com',
                  eventName: 'ConsoleLogin',
                  awsRegion: 'us-east-1',
                  sourceIPAddress: s.sourceIp,
                  userAgent: 'Mozilla/5.0',
                  responseElements: { ConsoleLogin: s.success ? 'Success' : 'Failure' },
                  additionalEventData: { MFAUsed: s.mfa ? 'Yes' : 'No', MobileVersion: 'No' },
                  eventID: eventId,
                  eventType: 'AwsConsoleSignIn',
                  ...(s.success ? {} : { errorMessage: 'Failed authentication' }),
                }),
              };
            }),
    }),
  };
}

/** An SDK-shaped service error, as the answering middleware's caller would see it from AWS. */
function awsError(name: string, message: string, status = 404): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

function databaseAnswers(now: Date): Answers {
  const arn = (region: string, kind: 'db' | 'cluster', id: string) =>
    `arn:aws:rds:${region}:${SAMPLE_ACCOUNT_ID}:${kind}:${id}`;
  const restorable = (h: number | null) =>
    h === null ? {} : { LatestRestorableTime: new Date(now.getTime() - h * 3_600_000) };
  const group = (id: string) => `${id}-params`;
  const tlsParameter = (engine: string) =>
    engine.includes('mysql') ? 'require_secure_transport' : 'rds.force_ssl';
  return {
    'RDS:DescribeDBInstances': (_input, region) => ({
      DBInstances: SAMPLE_DATABASES.filter((d) => d.region === region).flatMap((d) => {
        const members = d.members ?? [d.id];
        return members.map((id) => ({
          DBInstanceIdentifier: id,
          DBInstanceArn: arn(region, 'db', id),
          Engine: d.engine,
          EngineVersion: d.engine === 'mysql' ? '8.0.39' : '16.4',
          DBInstanceStatus: 'available',
          StorageEncrypted: d.encrypted,
          PubliclyAccessible: d.publiclyAccessible === true,
          DeletionProtection: d.deletionProtection,
          // Aurora members report false: Multi-AZ is the cluster's.
          MultiAZ: d.members ? false : d.multiAz,
          TagList: Object.entries(d.tags).map(([Key, Value]) => ({ Key, Value })),
          ...(d.members
            ? { DBClusterIdentifier: d.id, BackupRetentionPeriod: 1 }
            : { BackupRetentionPeriod: d.backupRetentionDays, ...restorable(d.restorableHoursAgo) }),
          DBParameterGroups: [
            {
              DBParameterGroupName: d.members ? 'default.aurora-postgresql16' : group(d.id),
              ParameterApplyStatus: 'in-sync',
            },
          ],
        }));
      }),
    }),
    'RDS:DescribeDBClusters': (_input, region) => ({
      DBClusters: SAMPLE_DATABASES.filter((d) => d.region === region && d.members).map((d) => ({
        DBClusterIdentifier: d.id,
        DBClusterArn: arn(region, 'cluster', d.id),
        Engine: d.engine,
        EngineVersion: '16.4',
        Status: 'available',
        StorageEncrypted: d.encrypted,
        BackupRetentionPeriod: d.backupRetentionDays,
        DeletionProtection: d.deletionProtection,
        MultiAZ: d.multiAz,
        TagList: Object.entries(d.tags).map(([Key, Value]) => ({ Key, Value })),
        DBClusterParameterGroup: group(d.id),
        DBClusterMembers: (d.members ?? []).map((m, i) => ({
          DBInstanceIdentifier: m,
          IsClusterWriter: i === 0,
        })),
        ...restorable(d.restorableHoursAgo),
      })),
    }),
    'RDS:DescribeDBParameters': (input) => {
      const d = SAMPLE_DATABASES.find((x) => group(x.id) === input.DBParameterGroupName);
      const name = d ? tlsParameter(d.engine) : 'rds.force_ssl';
      return {
        Parameters:
          d && d.forceTls !== null
            ? [{ ParameterName: name, ParameterValue: d.forceTls, Source: 'user' }]
            : [{ ParameterName: name, Source: 'engine-default' }],
      };
    },
    'RDS:DescribeDBClusterParameters': (input) => {
      const d = SAMPLE_DATABASES.find((x) => group(x.id) === input.DBClusterParameterGroupName);
      return {
        Parameters:
          d && d.forceTls !== null
            ? [{ ParameterName: 'rds.force_ssl', ParameterValue: d.forceTls, Source: 'user' }]
            : [],
      };
    },
  };
}

function storageAnswers(): Answers {
  const bucket = (name: unknown) => {
    const b = SAMPLE_BUCKETS.find((x) => x.name === name);
    if (!b) throw awsError('NoSuchBucket', 'The specified bucket does not exist');
    return b;
  };
  return {
    'S3:ListBuckets': () => ({
      Buckets: SAMPLE_BUCKETS.map((b) => ({
        Name: b.name,
        BucketRegion: b.region,
        CreationDate: new Date('2024-01-01T00:00:00Z'),
      })),
    }),
    'S3:GetBucketEncryption': (input) => {
      const b = bucket(input.Bucket);
      return {
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: b.encryption,
                ...(b.encryption === 'aws:kms'
                  ? {
                      KMSMasterKeyID: `arn:aws:kms:${b.region}:${SAMPLE_ACCOUNT_ID}:key/0a1b2c3d-0000-4000-8000-000000000001`,
                    }
                  : {}),
              },
              BucketKeyEnabled: b.encryption === 'aws:kms',
            },
          ],
        },
      };
    },
    'S3:GetBucketPolicy': (input) => {
      const b = bucket(input.Bucket);
      if (!b.tlsOnlyPolicy && !b.publicRead)
        throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
      const objects = `arn:aws:s3:::${b.name}/*`;
      return {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            ...(b.tlsOnlyPolicy
              ? [
                  {
                    Sid: 'DenyInsecureTransport',
                    Effect: 'Deny',
                    Principal: '*',
                    Action: 's3:*',
                    Resource: [`arn:aws:s3:::${b.name}`, objects],
                    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                  },
                ]
              : []),
            ...(b.publicRead
              ? [
                  {
                    Sid: 'PublicRead',
                    Effect: 'Allow',
                    Principal: '*',
                    Action: 's3:GetObject',
                    Resource: objects,
                  },
                ]
              : []),
          ],
        }),
      };
    },
    'EC2:GetEbsEncryptionByDefault': (_input, region) => ({
      EbsEncryptionByDefault: SAMPLE_EBS[region]?.encryptionByDefault ?? true,
    }),
    'EC2:DescribeVolumes': (_input, region) => ({
      Volumes: (SAMPLE_EBS[region]?.unencryptedVolumes ?? []).map((id) => ({
        VolumeId: id,
        Encrypted: false,
        Size: 100,
        State: 'in-use',
      })),
    }),
  };
}

function loadBalancerAnswers(): Answers {
  const lbArn = (l: { region: string; type: string; loadBalancer: string }) =>
    `arn:aws:elasticloadbalancing:${l.region}:${SAMPLE_ACCOUNT_ID}:loadbalancer/${l.type === 'application' ? 'app' : 'net'}/${l.loadBalancer}/50dc6c495c0c9188`;
  const listenerArn = (l: (typeof SAMPLE_LISTENERS)[number]) =>
    `${lbArn(l).replace(':loadbalancer/', ':listener/')}/${l.port}`;
  const actions = (l: (typeof SAMPLE_LISTENERS)[number]) =>
    l.protocol === 'HTTP' && l.redirectsToHttps
      ? [
          {
            Type: 'redirect',
            Order: 1,
            RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
          },
        ]
      : [
          {
            Type: 'forward',
            Order: 1,
            TargetGroupArn: `${lbArn(l).replace(':loadbalancer/', ':targetgroup/')}`,
          },
        ];
  return {
    'ElasticLoadBalancingV2:DescribeLoadBalancers': (_input, region) => ({
      LoadBalancers: [
        ...new Map(
          SAMPLE_LISTENERS.filter((l) => l.region === region).map((l) => [l.loadBalancer, l]),
        ).values(),
      ].map((l) => ({
        LoadBalancerArn: lbArn(l),
        LoadBalancerName: l.loadBalancer,
        Type: l.type,
        Scheme: 'internet-facing',
      })),
    }),
    'ElasticLoadBalancingV2:DescribeListeners': (input) => ({
      Listeners: SAMPLE_LISTENERS.filter((l) => lbArn(l) === input.LoadBalancerArn).map((l) => ({
        ListenerArn: listenerArn(l),
        LoadBalancerArn: lbArn(l),
        Port: l.port,
        Protocol: l.protocol,
        ...(l.sslPolicy ? { SslPolicy: l.sslPolicy } : {}),
        DefaultActions: actions(l),
      })),
    }),
    'ElasticLoadBalancingV2:DescribeRules': (input) => ({
      Rules: SAMPLE_LISTENERS.filter((l) => listenerArn(l) === input.ListenerArn).map((l) => ({
        RuleArn: `${listenerArn(l).replace(':listener/', ':listener-rule/')}/default`,
        Priority: 'default',
        IsDefault: true,
        Conditions: [],
        Actions: actions(l),
      })),
    }),
    'ElasticLoadBalancingV2:DescribeSSLPolicies': () => ({
      SslPolicies: Object.entries(SAMPLE_SSL_POLICIES).map(([Name, SslProtocols]) => ({
        Name,
        SslProtocols: [...SslProtocols],
      })),
    }),
  };
}

function backupAnswers(now: Date): Answers {
  return {
    'Backup:ListBackupJobs': (input, region) => {
      const after = input.ByCreatedAfter instanceof Date ? input.ByCreatedAfter.getTime() : 0;
      return {
        BackupJobs: SAMPLE_BACKUP_JOBS.filter((j) => j.region === region)
          .map((j, i) => ({ j, i, created: new Date(now.getTime() - j.hoursAgo * 3_600_000) }))
          .filter(({ created }) => created.getTime() >= after)
          .map(({ j, i, created }) => ({
            BackupJobId: `0a1b2c3d-0000-4000-8000-${String(i).padStart(12, '0')}`,
            BackupVaultName: 'Default',
            ResourceArn: j.resource,
            ResourceType: j.resource.includes(':dynamodb:') ? 'DynamoDB' : 'EFS',
            State: j.state,
            CreationDate: created,
            ...(j.state === 'RUNNING' ? {} : { CompletionDate: new Date(created.getTime() + 20 * 60_000) }),
            ...(j.message ? { StatusMessage: j.message } : {}),
          })),
      };
    },
  };
}
