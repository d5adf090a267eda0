import { controlAnswers } from './synthetic/index';
import type { Answer, Answers } from '../cli/demo/offline-clients';

/**
 * A large synthetic AWS account for the benchmark. Every resource is a pure function of (seed, kind, index),
 * so the account is deterministic for a seed, costs no memory until a page of it is asked for, and any page
 * can be produced without generating the ones before it. Answers use the SDK output shapes of
 * cli/demo/sample-answers.ts and paginate the way AWS does, so API call counts mean something.
 */

export const ACCOUNT_ID = '123456789012';

/** Regions used in order; `--regions N` takes the first N. */
export const REGION_POOL = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-2',
  'us-west-2',
  'eu-central-1',
  'ap-northeast-1',
  'ca-central-1',
  'eu-west-2',
  'ap-south-1',
  'sa-east-1',
  'us-east-2',
  'us-west-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-northeast-2',
  'eu-west-3',
  'ap-northeast-3',
] as const;

export interface AccountSizes {
  readonly users: number;
  readonly buckets: number;
  /** Standalone RDS instances; Aurora cluster members come on top. */
  readonly databases: number;
  readonly auroraClusters: number;
  readonly loadBalancers: number;
  readonly backupJobs: number;
  readonly regions: number;
  readonly securityGroups: number;
  readonly signinEvents: number;
}

export const DEFAULT_SIZES: AccountSizes = {
  users: 10_000,
  buckets: 5_000,
  databases: 1_000,
  auroraClusters: 200,
  loadBalancers: 500,
  backupJobs: 20_000,
  regions: 3,
  securityGroups: 2_000,
  signinEvents: 5_000,
};

/** Documented page sizes: `max` is the largest an API accepts, `dflt` what it returns when none is given
 * (`all`: no pagination unless asked, as EC2 Describe* and S3 ListBuckets do). */
export interface PageRule {
  readonly max: number;
  readonly dflt: number | 'all';
}

export const PAGE: Readonly<Record<string, PageRule>> = {
  iam: { max: 1000, dflt: 100 },
  ec2: { max: 1000, dflt: 'all' },
  ec2Volumes: { max: 500, dflt: 'all' },
  s3ListBuckets: { max: 10_000, dflt: 'all' },
  s3ListObjects: { max: 1000, dflt: 1000 },
  rds: { max: 100, dflt: 100 },
  elb: { max: 400, dflt: 400 },
  backup: { max: 1000, dflt: 1000 },
  lookupEvents: { max: 50, dflt: 50 },
};

// ---- deterministic randomness -------------------------------------------------------------------------

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough to spread a synthetic account. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends string>(r: number, weights: readonly (readonly [T, number])[]): T {
  let acc = 0;
  for (const [value, w] of weights) {
    acc += w;
    if (r < acc) return value;
  }
  return weights[weights.length - 1]![0];
}

const pad = (n: number, width = 5) => String(n).padStart(width, '0');
const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---- pagination ----------------------------------------------------------------------------------------

export class InvalidTokenError extends Error {
  constructor(api: string, token: unknown) {
    super(`${api}: invalid pagination token ${JSON.stringify(token)}`);
    this.name = 'InvalidNextToken';
  }
}

function awsError(name: string, message: string, status = 404): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

/** One page of `total` items: the offset travels in an opaque token naming the API, as AWS's do. */
export function slice(
  api: string,
  total: number,
  rule: PageRule,
  requested: unknown,
  token: unknown,
): { from: number; to: number; next?: string } {
  let from = 0;
  if (token !== undefined && token !== null && token !== '') {
    const m = typeof token === 'string' ? /^(.+)#(\d+)$/.exec(token) : null;
    if (!m || m[1] !== api) throw new InvalidTokenError(api, token);
    from = Number(m[2]);
  }
  const size =
    typeof requested === 'number' && requested > 0
      ? Math.min(requested, rule.max)
      : rule.dflt === 'all'
        ? Number.MAX_SAFE_INTEGER
        : rule.dflt;
  const to = Math.min(total, from + size);
  return { from, to, ...(to < total ? { next: `${api}#${to}` } : {}) };
}

function range<T>(from: number, to: number, item: (i: number) => T): T[] {
  const out: T[] = [];
  for (let i = from; i < to; i++) out.push(item(i));
  return out;
}

// ---- the account ---------------------------------------------------------------------------------------

export type UserKind = 'console-mfa' | 'console' | 'api' | 'none';

export interface SynthUser {
  readonly index: number;
  readonly name: string;
  readonly kind: UserKind;
  readonly mfa: 'virtual' | 'hardware' | null;
  readonly keys: number;
  readonly keyActive: readonly boolean[];
  readonly inactive: boolean;
  readonly createdDaysAgo: number;
  readonly lastUsedDaysAgo: number | null;
  readonly groups: readonly number[];
}

export interface SynthDatabase {
  readonly region: string;
  readonly id: string;
  readonly engine: string;
  readonly parameterGroup: string;
  readonly retention: number;
  readonly restorableHoursAgo: number | null;
  readonly encrypted: boolean;
  readonly replicaOf?: string;
  readonly clusterId?: string;
}

export interface SynthListener {
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP';
  readonly redirectsToHttps: boolean;
  readonly sslPolicy?: string;
}

export const SSL_POLICIES: Readonly<Record<string, readonly string[]>> = {
  'ELBSecurityPolicy-TLS13-1-2-2021-06': ['TLSv1.2', 'TLSv1.3'],
  'ELBSecurityPolicy-TLS13-1-3-2021-06': ['TLSv1.3'],
  'ELBSecurityPolicy-2016-08': ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
  'ELBSecurityPolicy-FS-1-2-Res-2020-10': ['TLSv1.2'],
  'ELBSecurityPolicy-TLS-1-1-2017-01': ['TLSv1.1', 'TLSv1.2'],
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04': ['TLSv1.2', 'TLSv1.3'],
};

export interface SynthClassicListener {
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS' | 'SSL' | 'TCP';
  /** HTTPS and SSL: the predefined policy the load balancer's own negotiation policy references. */
  readonly reference?: string;
}

/** The Protocol-* attributes each predefined Classic policy the synthetic account uses enables. */
export const CLASSIC_POLICY_PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  'ELBSecurityPolicy-2016-08': ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
  'ELBSecurityPolicy-TLS-1-2-2017-01': ['TLSv1.2'],
};

/** Classic Load Balancers: one for every ten ELBv2 load balancers, the remains of older stacks. */
export const classicTotal = (sizes: AccountSizes) => Math.ceil(sizes.loadBalancers / 10);

const ENGINES = ['postgres', 'mysql', 'mariadb', 'sqlserver-se'] as const;
const UNENCRYPTED_VOLUMES_PER_REGION = 20;
/** Restore jobs AWS Backup lists per region: two years of monthly restore tests. */
export const RESTORE_JOBS_PER_REGION = 24;

export class SyntheticAccount {
  readonly regions: readonly string[];
  /** Groups users belong to; group 0 is `Admins` with AdministratorAccess. */
  readonly groupCount: number;
  readonly roleCount: number;
  readonly localPolicyCount: number;
  readonly parameterGroupsPerRegion: number;
  readonly interfaces: number;

  constructor(
    readonly seed: number,
    readonly sizes: AccountSizes,
    readonly now: Date,
  ) {
    if (sizes.regions > REGION_POOL.length)
      throw new RangeError(`at most ${REGION_POOL.length} regions, got ${sizes.regions}`);
    this.regions = REGION_POOL.slice(0, sizes.regions);
    this.groupCount = Math.max(5, Math.ceil(sizes.users / 200));
    this.roleCount = Math.max(10, Math.ceil(sizes.users / 50));
    this.localPolicyCount = Math.max(5, Math.ceil(sizes.users / 500));
    // Databases share parameter groups, as they do in real accounts: about ten per group.
    this.parameterGroupsPerRegion = Math.max(1, Math.ceil(sizes.databases / sizes.regions / 10));
    this.interfaces = Math.round(sizes.securityGroups * 1.5);
  }

  private random(kind: string, i: number): () => number {
    return seededRandom(hash32(`${this.seed}|${kind}|${i}`));
  }

  /** Items are spread round-robin over the regions: item k of region r is global index k·R + r. */
  countIn(total: number, region: string): number {
    const r = this.regions.indexOf(region);
    if (r < 0) return 0;
    const R = this.regions.length;
    return Math.max(0, Math.floor((total - r + R - 1) / R));
  }

  private globalIndex(k: number, region: string): number {
    return k * this.regions.length + this.regions.indexOf(region);
  }

  // -- IAM --

  user(i: number): SynthUser {
    const rnd = this.random('user', i);
    const kind = pick<UserKind>(rnd(), [
      ['console-mfa', 0.45],
      ['console', 0.1],
      ['api', 0.35],
      ['none', 0.1],
    ]);
    const console = kind === 'console-mfa' || kind === 'console';
    const mfa = kind === 'console-mfa' ? (rnd() < 0.85 ? 'virtual' : 'hardware') : null;
    const keys = kind === 'api' ? (rnd() < 0.75 ? 1 : 2) : console && rnd() < 0.3 ? 1 : 0;
    const keyActive = range(0, keys, () => rnd() < 0.9);
    const inactive = rnd() < 0.15;
    const createdDaysAgo = 30 + Math.floor(rnd() * 1500);
    const lastUsedDaysAgo = inactive
      ? rnd() < 0.3
        ? null
        : 100 + Math.floor(rnd() * 300)
      : Math.floor(rnd() * 30);
    const groupTotal = 1 + Math.floor(rnd() * 3);
    const groups = [
      ...new Set(
        range(0, groupTotal, () => (rnd() < 0.02 ? 0 : 1 + Math.floor(rnd() * (this.groupCount - 1)))),
      ),
    ];
    return {
      index: i,
      name: `user-${pad(i)}`,
      kind,
      mfa,
      keys,
      keyActive,
      inactive,
      createdDaysAgo,
      lastUsedDaysAgo,
      groups,
    };
  }

  userIndex(name: unknown): number {
    const m = typeof name === 'string' ? /^user-(\d+)$/.exec(name) : null;
    const i = m ? Number(m[1]) : -1;
    if (i < 0 || i >= this.sizes.users)
      throw awsError('NoSuchEntity', `The user with name ${String(name)} cannot be found.`);
    return i;
  }

  /** Indexes of users with a virtual MFA device, plus root (-1), in ListVirtualMFADevices order. */
  private virtualMfaCache?: number[];
  virtualMfaUsers(): number[] {
    this.virtualMfaCache ??= [
      -1,
      ...range(0, this.sizes.users, (i) => i).filter((i) => this.user(i).mfa === 'virtual'),
    ];
    return this.virtualMfaCache;
  }

  private iso(daysAgo: number): string {
    return new Date(this.now.getTime() - daysAgo * DAY).toISOString().replace('.000Z', '+00:00');
  }

  credentialReport(): string {
    const header =
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    const lines = [
      header,
      [
        '<root_account>',
        `arn:aws:iam::${ACCOUNT_ID}:root`,
        this.iso(2000),
        'not_supported',
        this.iso(200),
        'not_supported',
        'not_supported',
        'true',
        'false,N/A,N/A,N/A,N/A',
        'false,N/A,N/A,N/A,N/A',
        'false,N/A,false,N/A',
      ].join(','),
    ];
    for (let i = 0; i < this.sizes.users; i++) {
      const u = this.user(i);
      const console = u.kind === 'console' || u.kind === 'console-mfa';
      const used = u.lastUsedDaysAgo === null ? null : this.iso(u.lastUsedDaysAgo);
      const key = (slot: number) =>
        slot < u.keys
          ? [
              String(u.keyActive[slot]),
              this.iso(Math.min(u.createdDaysAgo, 20 + slot * 40)),
              used ?? 'N/A',
              used ? 'us-east-1' : 'N/A',
              used ? 's3' : 'N/A',
            ].join(',')
          : 'false,N/A,N/A,N/A,N/A';
      lines.push(
        [
          u.name,
          `arn:aws:iam::${ACCOUNT_ID}:user/${u.name}`,
          this.iso(u.createdDaysAgo),
          String(console),
          console ? (used ?? 'no_information') : 'N/A',
          console ? this.iso(Math.min(u.createdDaysAgo, 60)) : 'N/A',
          'N/A',
          String(u.mfa !== null),
          key(0),
          key(1),
          'false,N/A,false,N/A',
        ].join(','),
      );
    }
    return lines.join('\n') + '\n';
  }

  /** GetAccountAuthorizationDetails lists users, then groups, roles and local policies; MaxItems counts
   * entries of every kind together. */
  authorizationItems(): number {
    return this.sizes.users + this.groupCount + this.roleCount + this.localPolicyCount;
  }

  private authorizationItem(i: number): { kind: string; value: Record<string, unknown> } {
    const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT_ID}:${kind}/${name}`;
    const created = (days: number) => new Date(this.now.getTime() - days * DAY);
    if (i < this.sizes.users) {
      const u = this.user(i);
      return {
        kind: 'user',
        value: {
          UserName: u.name,
          UserId: `AIDA${pad(i, 16)}`,
          Path: '/',
          Arn: arn('user', u.name),
          CreateDate: created(u.createdDaysAgo),
          GroupList: u.groups.map((g) => this.groupName(g)),
          AttachedManagedPolicies: [],
          UserPolicyList: [],
        },
      };
    }
    i -= this.sizes.users;
    if (i < this.groupCount) {
      const name = this.groupName(i);
      return {
        kind: 'group',
        value: {
          GroupName: name,
          GroupId: `AGPA${pad(i, 16)}`,
          Path: '/',
          Arn: arn('group', name),
          CreateDate: created(1000),
          AttachedManagedPolicies:
            i === 0
              ? [
                  {
                    PolicyName: 'AdministratorAccess',
                    PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
                  },
                ]
              : [
                  {
                    PolicyName: `team-policy-${pad(i % this.localPolicyCount, 3)}`,
                    PolicyArn: arn('policy', `team-policy-${pad(i % this.localPolicyCount, 3)}`),
                  },
                ],
          GroupPolicyList: [],
        },
      };
    }
    i -= this.groupCount;
    if (i < this.roleCount) {
      const rnd = this.random('role', i);
      const r = rnd();
      const principal =
        r < 0.1
          ? { Federated: `arn:aws:iam::${ACCOUNT_ID}:saml-provider/ExampleIdP` }
          : r < 0.2
            ? { AWS: 'arn:aws:iam::210987654321:root' }
            : { Service: 'lambda.amazonaws.com' };
      const trust = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
      };
      const name = `role-${pad(i, 4)}`;
      return {
        kind: 'role',
        value: {
          RoleName: name,
          RoleId: `AROA${pad(i, 16)}`,
          Path: '/',
          Arn: arn('role', name),
          CreateDate: created(500),
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
          AttachedManagedPolicies:
            i % 50 === 0
              ? [
                  {
                    PolicyName: 'AdministratorAccess',
                    PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
                  },
                ]
              : [],
          RolePolicyList: [],
          InstanceProfileList: [],
        },
      };
    }
    i -= this.roleCount;
    const name = `team-policy-${pad(i, 3)}`;
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }],
    };
    return {
      kind: 'policy',
      value: {
        PolicyName: name,
        PolicyId: `ANPA${pad(i, 16)}`,
        Arn: arn('policy', name),
        Path: '/',
        DefaultVersionId: 'v1',
        AttachmentCount: 1,
        IsAttachable: true,
        CreateDate: created(800),
        PolicyVersionList: [
          { Document: encodeURIComponent(JSON.stringify(doc)), VersionId: 'v1', IsDefaultVersion: true },
        ],
      },
    };
  }

  private groupName(g: number): string {
    return g === 0 ? 'Admins' : `team-${pad(g, 3)}`;
  }

  accessKeyId(user: number, slot: number): string {
    return `AKIA${pad(user * 2 + slot, 16)}`;
  }

  // -- EC2 --

  securityGroup(i: number): Record<string, unknown> {
    const rnd = this.random('sg', i);
    const region = this.regions[i % this.regions.length]!;
    const world = pick(rnd(), [
      ['none', 0.9],
      ['web', 0.05],
      ['admin', 0.03],
      ['other', 0.02],
    ] as const);
    const rules: Record<string, unknown>[] = [];
    const internal = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < internal; j++) {
      const port = [5432, 3306, 6379, 8080][j % 4]!;
      rules.push({
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        IpRanges: [{ CidrIp: '10.0.0.0/8' }],
        Ipv6Ranges: [],
        UserIdGroupPairs:
          j === 0
            ? [{ GroupId: `sg-${pad((i + 1) % this.sizes.securityGroups, 17)}`, UserId: ACCOUNT_ID }]
            : [],
        PrefixListIds: [],
      });
    }
    const open = (from: number, to: number) => ({
      IpProtocol: 'tcp',
      FromPort: from,
      ToPort: to,
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
      UserIdGroupPairs: [],
      PrefixListIds: [],
    });
    if (world === 'web') rules.push(open(443, 443), open(80, 80));
    if (world === 'admin') rules.push(open(22, 22));
    if (world === 'other') rules.push(open(8443, 8443));
    return {
      GroupId: `sg-${pad(i, 17)}`,
      GroupName: `sg-${region}-${pad(i)}`,
      Description: 'synthetic',
      OwnerId: ACCOUNT_ID,
      VpcId: `vpc-${pad(i % 7, 17)}`,
      IpPermissions: rules,
      IpPermissionsEgress: [],
    };
  }

  /** Interface i sits in region i mod R and carries one security group of that region. */
  networkInterface(i: number): Record<string, unknown> {
    const rnd = this.random('eni', i);
    const region = this.regions[i % this.regions.length]!;
    // Groups in the top 15% of each region's index range are left unattached.
    const groupsHere = this.countIn(this.sizes.securityGroups, region);
    const attachable = Math.max(1, Math.floor(groupsHere * 0.85));
    const group = this.globalIndex(Math.floor(rnd() * attachable), region);
    const kind = pick(rnd(), [
      ['instance', 0.7],
      ['load-balancer', 0.2],
      ['database', 0.1],
    ] as const);
    const base = {
      NetworkInterfaceId: `eni-${pad(i, 17)}`,
      AvailabilityZone: `${region}a`,
      PrivateIpAddress: '10.0.0.10',
      Groups: [{ GroupId: `sg-${pad(group, 17)}`, GroupName: `sg-${region}-${pad(group)}` }],
    };
    if (kind === 'load-balancer')
      return {
        ...base,
        InterfaceType: 'interface',
        RequesterId: 'amazon-elb',
        Description: `ELB app/lb-${pad(i)}/50dc6c495c0c9188`,
      };
    if (kind === 'database')
      return {
        ...base,
        InterfaceType: 'interface',
        RequesterId: 'amazon-rds',
        Description: 'RDSNetworkInterface',
      };
    return { ...base, InterfaceType: 'interface', Attachment: { InstanceId: `i-${pad(i, 17)}` } };
  }

  // -- S3 --

  bucket(i: number): { name: string; region: string; encryption: string; policy: 'tls' | 'other' | 'none' } {
    const rnd = this.random('bucket', i);
    return {
      name: `example-bucket-${pad(i)}`,
      region: this.regions[i % this.regions.length]!,
      encryption: pick(rnd(), [
        ['AES256', 0.7],
        ['aws:kms', 0.29],
        ['aws:kms:dsse', 0.01],
      ] as const),
      policy: pick(rnd(), [
        ['tls', 0.4],
        ['other', 0.2],
        ['none', 0.4],
      ] as const),
    };
  }

  bucketIndex(name: unknown): number {
    const m = typeof name === 'string' ? /^example-bucket-(\d+)$/.exec(name) : null;
    const i = m ? Number(m[1]) : -1;
    if (i < 0 || i >= this.sizes.buckets)
      throw awsError('NoSuchBucket', 'The specified bucket does not exist');
    return i;
  }

  // -- RDS --

  parameterGroup(region: string, g: number): { name: string; engine: string; forceTls: string | null } {
    const rnd = this.random(`pg-${region}`, g);
    const engine = ENGINES[g % ENGINES.length]!;
    const r = rnd();
    return {
      name: `${engine}-params-${pad(g, 3)}`,
      engine,
      forceTls: r < 0.6 ? '1' : r < 0.8 ? '0' : null,
    };
  }

  clusterParameterGroup(region: string, g: number): { name: string; forceTls: string | null } {
    const r = this.random(`cpg-${region}`, g)();
    return { name: `aurora-cluster-params-${pad(g, 3)}`, forceTls: r < 0.7 ? '1' : r < 0.85 ? '0' : null };
  }

  clusterParameterGroupsPerRegion(): number {
    return Math.max(1, Math.ceil(this.sizes.auroraClusters / this.regions.length / 10));
  }

  /** DescribeDBInstances of a region: the standalone instances, then two members per Aurora cluster. */
  instancesIn(region: string): number {
    return this.countIn(this.sizes.databases, region) + 2 * this.countIn(this.sizes.auroraClusters, region);
  }

  instance(region: string, k: number): SynthDatabase {
    const standalone = this.countIn(this.sizes.databases, region);
    if (k >= standalone) {
      const m = k - standalone;
      const c = this.cluster(region, Math.floor(m / 2));
      return {
        ...c,
        id: `${c.id}-${m % 2 === 0 ? 'writer' : 'reader'}`,
        clusterId: c.id,
        parameterGroup: 'default.aurora-postgresql16',
      };
    }
    const i = this.globalIndex(k, region);
    const rnd = this.random('db', i);
    const group = this.parameterGroup(region, Math.floor(rnd() * this.parameterGroupsPerRegion));
    const replica = rnd() < 0.03;
    const noBackups = !replica && rnd() < 0.05;
    const stale = rnd() < 0.03;
    return {
      region,
      id: `db-${pad(i)}`,
      engine: group.engine,
      parameterGroup: group.name,
      retention: replica || noBackups ? 0 : 7,
      restorableHoursAgo: replica || noBackups ? null : stale ? 30 + rnd() * 100 : rnd() * 0.5,
      encrypted: rnd() < 0.95,
      ...(replica ? { replicaOf: `db-${pad(Math.max(0, i - this.regions.length))}` } : {}),
    };
  }

  cluster(region: string, k: number): SynthDatabase & { clusterGroup: string } {
    const i = this.globalIndex(k, region);
    const rnd = this.random('cluster', i);
    const group = this.clusterParameterGroup(
      region,
      Math.floor(rnd() * this.clusterParameterGroupsPerRegion()),
    );
    return {
      region,
      id: `aurora-${pad(i)}`,
      engine: 'aurora-postgresql',
      parameterGroup: group.name,
      clusterGroup: group.name,
      retention: 7,
      restorableHoursAgo: rnd() < 0.03 ? 40 : rnd() * 0.3,
      encrypted: rnd() < 0.97,
    };
  }

  // -- ELB --

  loadBalancer(i: number): {
    name: string;
    region: string;
    type: 'application' | 'network';
    arn: string;
    listeners: SynthListener[];
  } {
    const rnd = this.random('lb', i);
    const region = this.regions[i % this.regions.length]!;
    const type = rnd() < 0.7 ? 'application' : 'network';
    const name = `lb-${pad(i)}`;
    const policy = rnd() < 0.8 ? 'ELBSecurityPolicy-TLS13-1-2-2021-06' : 'ELBSecurityPolicy-2016-08';
    const listeners: SynthListener[] =
      type === 'application'
        ? [
            { port: 80, protocol: 'HTTP', redirectsToHttps: rnd() < 0.85 },
            { port: 443, protocol: 'HTTPS', redirectsToHttps: false, sslPolicy: policy },
          ]
        : [
            { port: 443, protocol: 'TLS', redirectsToHttps: false, sslPolicy: policy },
            { port: 5432, protocol: 'TCP', redirectsToHttps: false },
          ];
    return {
      name,
      region,
      type,
      arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT_ID}:loadbalancer/${type === 'application' ? 'app' : 'net'}/${name}/50dc6c495c0c9188`,
      listeners,
    };
  }

  private loadBalancerByArn(arn: unknown): number {
    const m = typeof arn === 'string' ? /\/lb-(\d+)\//.exec(arn) : null;
    const i = m ? Number(m[1]) : -1;
    if (i < 0 || i >= this.sizes.loadBalancers)
      throw awsError('LoadBalancerNotFound', `${String(arn)} not found`, 400);
    return i;
  }

  /** Classic Load Balancer k of a region (k < countIn(classicTotal(sizes), region)). */
  classicLoadBalancer(region: string, k: number): { name: string; listeners: SynthClassicListener[] } {
    const rnd = this.random(`classic:${region}`, k);
    const x = rnd();
    const reference = rnd() < 0.6 ? 'ELBSecurityPolicy-TLS-1-2-2017-01' : 'ELBSecurityPolicy-2016-08';
    const listeners: SynthClassicListener[] =
      x < 0.5
        ? [
            { port: 443, protocol: 'HTTPS', reference },
            { port: 80, protocol: 'HTTP' },
          ]
        : x < 0.8
          ? [{ port: 443, protocol: 'SSL', reference }]
          : [
              { port: 5432, protocol: 'TCP' },
              { port: 80, protocol: 'HTTP' },
            ];
    return { name: `classic-${region}-${String(k).padStart(4, '0')}`, listeners };
  }

  private classicByName(region: string, name: unknown): ReturnType<SyntheticAccount['classicLoadBalancer']> {
    const m = typeof name === 'string' ? /-(\d+)$/.exec(name) : null;
    const k = m ? Number(m[1]) : -1;
    const lb =
      k >= 0 && k < this.countIn(classicTotal(this.sizes), region)
        ? this.classicLoadBalancer(region, k)
        : undefined;
    if (!lb || lb.name !== name)
      throw awsError('LoadBalancerNotFound', `There is no ACTIVE Load Balancer named '${String(name)}'`, 400);
    return lb;
  }

  // -- Backup --

  /** Backup job k of a region; k ascending is newest first, spread evenly over the last 6.9 days. */
  backupJob(region: string, k: number): Record<string, unknown> {
    const total = this.countIn(this.sizes.backupJobs, region);
    const i = this.globalIndex(k, region);
    const rnd = this.random('job', i);
    const created = new Date(this.now.getTime() - ((k + 0.5) / Math.max(1, total)) * 6.9 * DAY);
    const state = pick(rnd(), [
      ['COMPLETED', 0.93],
      ['FAILED', 0.03],
      ['ABORTED', 0.01],
      ['EXPIRED', 0.01],
      ['PARTIAL', 0.01],
      ['RUNNING', 0.01],
    ] as const);
    const resource = Math.floor(rnd() * Math.max(1, Math.ceil(total / 7)));
    return {
      BackupJobId: `0a1b2c3d-0000-4000-8000-${pad(i, 12)}`,
      BackupVaultName: 'Default',
      ResourceArn: `arn:aws:elasticfilesystem:${region}:${ACCOUNT_ID}:file-system/fs-${pad(resource, 17)}`,
      ResourceType: 'EFS',
      State: state,
      CreationDate: created,
      ...(state === 'RUNNING' ? {} : { CompletionDate: new Date(created.getTime() + 20 * 60_000) }),
      ...(state === 'COMPLETED' || state === 'RUNNING' ? {} : { StatusMessage: 'synthetic failure' }),
    };
  }

  /** AWS Backup protected resources of a region: every file system the backup jobs name (ceil(jobs / 7)). */
  protectedResourcesIn(region: string): number {
    const jobs = this.countIn(this.sizes.backupJobs, region);
    return jobs > 0 ? Math.ceil(jobs / 7) : 0;
  }

  /** Restore job k of a region, newest first: a monthly restore test of an EFS file system over two years. */
  restoreJob(region: string, k: number): Record<string, unknown> {
    const i = this.globalIndex(k, region);
    const created = new Date(this.now.getTime() - (k * 30 + 3) * DAY);
    const failed = this.random('restore', i)() < 0.1;
    return {
      AccountId: ACCOUNT_ID,
      RestoreJobId: `0a1b2c3d-0000-4000-9000-${pad(i, 12)}`,
      ResourceType: 'EFS',
      SourceResourceArn: `arn:aws:elasticfilesystem:${region}:${ACCOUNT_ID}:file-system/fs-${pad(k % Math.max(1, this.protectedResourcesIn(region)), 17)}`,
      Status: failed ? 'FAILED' : 'COMPLETED',
      CreationDate: created,
      CompletionDate: new Date(created.getTime() + 40 * 60_000),
      CreatedBy: {
        RestoreTestingPlanArn: `arn:aws:backup:${region}:${ACCOUNT_ID}:restore-testing-plan:monthly-0a1b2c3d`,
      },
      ...(failed ? { StatusMessage: 'synthetic failure' } : { ValidationStatus: 'SUCCESSFUL' }),
    };
  }

  // -- CloudTrail --

  /** 80% of console sign-ins go to the global endpoint and are recorded in us-east-1 (region 0). */
  signinsIn(region: string): number {
    const r = this.regions.indexOf(region);
    if (r < 0) return 0;
    const total = this.sizes.signinEvents;
    if (this.regions.length === 1) return total;
    const home = Math.round(total * 0.8);
    if (r === 0) return home;
    const rest = total - home;
    const R = this.regions.length - 1;
    return Math.floor((rest - (r - 1) + R - 1) / R);
  }

  signin(region: string, k: number): Record<string, unknown> {
    const i = hash32(`${region}|${k}`);
    const rnd = this.random(`signin-${region}`, k);
    const total = this.signinsIn(region);
    const time = new Date(this.now.getTime() - ((k + 0.5) / Math.max(1, total)) * 23 * HOUR);
    const who = pick(rnd(), [
      ['user', 0.88],
      ['federated', 0.1],
      ['root', 0.02],
    ] as const);
    const success = rnd() < 0.9;
    const mfa = rnd() < 0.85;
    const user = `user-${pad(Math.floor(rnd() * this.sizes.users))}`;
    const eventId = `0a1b2c3d-${pad(this.regions.indexOf(region), 4)}-4000-8000-${pad(k, 12)}`;
    const sourceIp = success ? `192.0.2.${1 + (i % 250)}` : `198.51.100.${1 + Math.floor(rnd() * 20)}`;
    const identity =
      who === 'root'
        ? {
            type: 'Root',
            principalId: ACCOUNT_ID,
            arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
            accountId: ACCOUNT_ID,
          }
        : who === 'federated'
          ? {
              type: 'AssumedRole',
              accountId: ACCOUNT_ID,
              arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/SSO-ReadOnly/${user}@example.com`,
            }
          : {
              type: 'IAMUser',
              accountId: ACCOUNT_ID,
              userName: user,
              ...(success ? { arn: `arn:aws:iam::${ACCOUNT_ID}:user/${user}` } : {}),
            };
    return {
      EventId: eventId,
      EventName: 'ConsoleLogin',
      EventTime: time,
      EventSource: 'signin.amazonaws.com',
      Username: who === 'root' ? 'root' : user,
      CloudTrailEvent: JSON.stringify({
        eventVersion: '1.09',
        userIdentity: identity,
        eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        awsRegion: region,
        sourceIPAddress: sourceIp,
        userAgent: 'Mozilla/5.0',
        responseElements: { ConsoleLogin: success ? 'Success' : 'Failure' },
        additionalEventData: { MFAUsed: mfa ? 'Yes' : 'No', MobileVersion: 'No' },
        eventID: eventId,
        eventType: 'AwsConsoleSignIn',
        ...(success ? {} : { errorMessage: 'Failed authentication' }),
      }),
    };
  }

  // -- answers ---------------------------------------------------------------------------------------------

  answers(): Answers {
    return {
      ...this.iamAnswers(),
      ...this.ec2Answers(),
      ...this.s3Answers(),
      ...this.rdsAnswers(),
      ...this.elbAnswers(),
      ...this.classicElbAnswers(),
      ...this.backupAnswers(),
      ...this.cloudTrailAnswers(),
      ...controlAnswers(this),
    };
  }

  private iamAnswers(): Record<string, Answer> {
    let csv: Buffer | undefined;
    const reportTime = new Date(this.now.getTime() - 20 * 60_000);
    const users = (from: number, to: number) => range(from, to, (i) => this.user(i));
    return {
      'IAM:GenerateCredentialReport': () => ({ State: 'COMPLETE' }),
      'IAM:GetCredentialReport': () => {
        csv ??= Buffer.from(this.credentialReport());
        return { Content: csv, ReportFormat: 'text/csv', GeneratedTime: reportTime };
      },
      'IAM:ListVirtualMFADevices': (input) => {
        const list = this.virtualMfaUsers();
        const p = slice('IAM:ListVirtualMFADevices', list.length, PAGE.iam!, input.MaxItems, input.Marker);
        return {
          VirtualMFADevices: list.slice(p.from, p.to).map((i) => {
            const name = i < 0 ? 'root-account-mfa-device' : `user-${pad(i)}`;
            return {
              SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/${name}`,
              EnableDate: new Date(this.now.getTime() - 100 * DAY),
              User:
                i < 0
                  ? {
                      UserName: '',
                      Arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
                      UserId: ACCOUNT_ID,
                      Path: '/',
                      CreateDate: new Date(this.now.getTime() - 2000 * DAY),
                    }
                  : {
                      UserName: name,
                      Arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}`,
                      UserId: `AIDA${pad(i, 16)}`,
                      Path: '/',
                      CreateDate: new Date(this.now.getTime() - 100 * DAY),
                    },
            };
          }),
          IsTruncated: p.next !== undefined,
          ...(p.next ? { Marker: p.next } : {}),
        };
      },
      'IAM:GetAccountAuthorizationDetails': (input) => {
        const p = slice(
          'IAM:GetAccountAuthorizationDetails',
          this.authorizationItems(),
          PAGE.iam!,
          input.MaxItems,
          input.Marker,
        );
        const items = range(p.from, p.to, (i) => this.authorizationItem(i));
        const of = (kind: string) => items.filter((x) => x.kind === kind).map((x) => x.value);
        return {
          UserDetailList: of('user'),
          GroupDetailList: of('group'),
          RoleDetailList: of('role'),
          Policies: of('policy'),
          IsTruncated: p.next !== undefined,
          ...(p.next ? { Marker: p.next } : {}),
        };
      },
      // The naive baseline's per-user APIs.
      'IAM:ListUsers': (input) => {
        const p = slice('IAM:ListUsers', this.sizes.users, PAGE.iam!, input.MaxItems, input.Marker);
        return {
          Users: users(p.from, p.to).map((u) => ({
            UserName: u.name,
            UserId: `AIDA${pad(u.index, 16)}`,
            Path: '/',
            Arn: `arn:aws:iam::${ACCOUNT_ID}:user/${u.name}`,
            CreateDate: new Date(this.now.getTime() - u.createdDaysAgo * DAY),
          })),
          IsTruncated: p.next !== undefined,
          ...(p.next ? { Marker: p.next } : {}),
        };
      },
      'IAM:GetLoginProfile': (input) => {
        const u = this.user(this.userIndex(input.UserName));
        if (u.kind !== 'console' && u.kind !== 'console-mfa')
          throw awsError('NoSuchEntity', `Login Profile for User ${u.name} cannot be found.`);
        return {
          LoginProfile: {
            UserName: u.name,
            CreateDate: new Date(this.now.getTime() - 60 * DAY),
            PasswordResetRequired: false,
          },
        };
      },
      'IAM:ListMFADevices': (input) => {
        const u = this.user(this.userIndex(input.UserName));
        return {
          MFADevices: u.mfa
            ? [
                {
                  UserName: u.name,
                  SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/${u.name}`,
                  EnableDate: new Date(this.now.getTime() - 100 * DAY),
                },
              ]
            : [],
          IsTruncated: false,
        };
      },
      'IAM:ListAccessKeys': (input) => {
        const u = this.user(this.userIndex(input.UserName));
        return {
          AccessKeyMetadata: range(0, u.keys, (slot) => ({
            UserName: u.name,
            AccessKeyId: this.accessKeyId(u.index, slot),
            Status: u.keyActive[slot] ? 'Active' : 'Inactive',
            CreateDate: new Date(this.now.getTime() - 20 * DAY),
          })),
          IsTruncated: false,
        };
      },
      'IAM:GetAccessKeyLastUsed': (input) => {
        const m = typeof input.AccessKeyId === 'string' ? /^AKIA(\d+)$/.exec(input.AccessKeyId) : null;
        if (!m) throw awsError('NoSuchEntity', 'The access key cannot be found.');
        const u = this.user(Math.floor(Number(m[1]) / 2));
        return {
          UserName: u.name,
          AccessKeyLastUsed:
            u.lastUsedDaysAgo === null
              ? { ServiceName: 'N/A', Region: 'N/A' }
              : {
                  LastUsedDate: new Date(this.now.getTime() - u.lastUsedDaysAgo * DAY),
                  ServiceName: 's3',
                  Region: 'us-east-1',
                },
        };
      },
    };
  }

  private ec2Answers(): Record<string, Answer> {
    return {
      'EC2:DescribeSecurityGroups': (input, region) => {
        const n = this.countIn(this.sizes.securityGroups, region);
        const p = slice(
          `EC2:DescribeSecurityGroups:${region}`,
          n,
          PAGE.ec2!,
          input.MaxResults,
          input.NextToken,
        );
        return {
          SecurityGroups: range(p.from, p.to, (k) => this.securityGroup(this.globalIndex(k, region))),
          ...(p.next ? { NextToken: p.next } : {}),
        };
      },
      'EC2:DescribeNetworkInterfaces': (input, region) => {
        const n = this.countIn(this.interfaces, region);
        const p = slice(
          `EC2:DescribeNetworkInterfaces:${region}`,
          n,
          PAGE.ec2!,
          input.MaxResults,
          input.NextToken,
        );
        return {
          NetworkInterfaces: range(p.from, p.to, (k) => this.networkInterface(this.globalIndex(k, region))),
          ...(p.next ? { NextToken: p.next } : {}),
        };
      },
      // Encryption by default is off in the last region, so one region fails.
      'EC2:GetEbsEncryptionByDefault': (_input, region) => ({
        EbsEncryptionByDefault:
          this.regions.indexOf(region) !== this.regions.length - 1 || this.regions.length === 1,
      }),
      'EC2:DescribeVolumes': (input, region) => {
        const p = slice(
          `EC2:DescribeVolumes:${region}`,
          UNENCRYPTED_VOLUMES_PER_REGION,
          PAGE.ec2Volumes!,
          input.MaxResults,
          input.NextToken,
        );
        return {
          Volumes: range(p.from, p.to, (k) => ({
            VolumeId: `vol-${pad(this.globalIndex(k, region), 17)}`,
            Encrypted: false,
            Size: 100,
            State: 'in-use',
          })),
          ...(p.next ? { NextToken: p.next } : {}),
        };
      },
    };
  }

  private s3Answers(): Record<string, Answer> {
    return {
      'S3:ListBuckets': (input) => {
        const p = slice(
          'S3:ListBuckets',
          this.sizes.buckets,
          PAGE.s3ListBuckets!,
          input.MaxBuckets,
          input.ContinuationToken,
        );
        // S3 returns BucketRegion only to a paginated request.
        const paginated = input.MaxBuckets !== undefined || input.ContinuationToken !== undefined;
        return {
          Buckets: range(p.from, p.to, (i) => {
            const b = this.bucket(i);
            return {
              Name: b.name,
              CreationDate: new Date('2024-01-01T00:00:00Z'),
              ...(paginated ? { BucketRegion: b.region } : {}),
            };
          }),
          Owner: { ID: 'example-owner' },
          ...(p.next ? { ContinuationToken: p.next } : {}),
        };
      },
      'S3:GetBucketLocation': (input) => {
        const b = this.bucket(this.bucketIndex(input.Bucket));
        return { LocationConstraint: b.region === 'us-east-1' ? undefined : b.region };
      },
      'S3:GetBucketEncryption': (input) => {
        const b = this.bucket(this.bucketIndex(input.Bucket));
        return {
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: {
                  SSEAlgorithm: b.encryption,
                  ...(b.encryption.startsWith('aws:kms')
                    ? {
                        KMSMasterKeyID: `arn:aws:kms:${b.region}:${ACCOUNT_ID}:key/0a1b2c3d-0000-4000-8000-000000000001`,
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
        const b = this.bucket(this.bucketIndex(input.Bucket));
        if (b.policy === 'none') throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
        const resource = [`arn:aws:s3:::${b.name}`, `arn:aws:s3:::${b.name}/*`];
        const statement =
          b.policy === 'tls'
            ? {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: resource,
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }
            : {
                Sid: 'AllowReadRole',
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/role-0001` },
                Action: 's3:GetObject',
                Resource: resource[1],
              };
        return { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) };
      },
    };
  }

  private rdsAnswers(): Record<string, Answer> {
    const arn = (region: string, kind: string, id: string) =>
      `arn:aws:rds:${region}:${ACCOUNT_ID}:${kind}:${id}`;
    const restorable = (h: number | null) =>
      h === null ? {} : { LatestRestorableTime: new Date(this.now.getTime() - h * HOUR) };
    const parameter = (name: string, value: string | null) =>
      value === null
        ? { ParameterName: name, Source: 'engine-default' }
        : { ParameterName: name, ParameterValue: value, Source: 'user' };
    const filtered = (input: Record<string, unknown>): string | undefined => {
      const f = (input.Filters as { Name?: string; Values?: string[] }[] | undefined)?.find(
        (x) => x.Name === 'parameter-name',
      );
      return f?.Values?.[0];
    };
    return {
      'RDS:DescribeDBInstances': (input, region) => {
        const p = slice(
          `RDS:DescribeDBInstances:${region}`,
          this.instancesIn(region),
          PAGE.rds!,
          input.MaxRecords,
          input.Marker,
        );
        return {
          DBInstances: range(p.from, p.to, (k) => {
            const d = this.instance(region, k);
            return {
              DBInstanceIdentifier: d.id,
              DBInstanceArn: arn(region, 'db', d.id),
              Engine: d.engine,
              EngineVersion: d.engine.startsWith('aurora') || d.engine === 'postgres' ? '16.4' : '8.0.39',
              DBInstanceStatus: 'available',
              StorageEncrypted: d.encrypted,
              DeletionProtection: true,
              BackupRetentionPeriod: d.clusterId ? 1 : d.retention,
              ...(d.clusterId ? { DBClusterIdentifier: d.clusterId } : restorable(d.restorableHoursAgo)),
              ...(d.replicaOf ? { ReadReplicaSourceDBInstanceIdentifier: d.replicaOf } : {}),
              DBParameterGroups: [
                { DBParameterGroupName: d.parameterGroup, ParameterApplyStatus: 'in-sync' },
              ],
            };
          }),
          ...(p.next ? { Marker: p.next } : {}),
        };
      },
      'RDS:DescribeDBClusters': (input, region) => {
        const n = this.countIn(this.sizes.auroraClusters, region);
        const p = slice(`RDS:DescribeDBClusters:${region}`, n, PAGE.rds!, input.MaxRecords, input.Marker);
        return {
          DBClusters: range(p.from, p.to, (k) => {
            const c = this.cluster(region, k);
            return {
              DBClusterIdentifier: c.id,
              DBClusterArn: arn(region, 'cluster', c.id),
              Engine: c.engine,
              EngineVersion: '16.4',
              Status: 'available',
              StorageEncrypted: c.encrypted,
              BackupRetentionPeriod: c.retention,
              DeletionProtection: true,
              DBClusterParameterGroup: c.clusterGroup,
              DBClusterMembers: [
                {
                  DBInstanceIdentifier: `${c.id}-writer`,
                  IsClusterWriter: true,
                  DBClusterParameterGroupStatus: 'in-sync',
                },
                {
                  DBInstanceIdentifier: `${c.id}-reader`,
                  IsClusterWriter: false,
                  DBClusterParameterGroupStatus: 'in-sync',
                },
              ],
              ...restorable(c.restorableHoursAgo),
            };
          }),
          ...(p.next ? { Marker: p.next } : {}),
        };
      },
      'RDS:DescribeDBParameters': (input, region) => {
        const name = String(input.DBParameterGroupName);
        const m = /-params-(\d+)$/.exec(name);
        if (!m) throw awsError('DBParameterGroupNotFound', `DBParameterGroup ${name} not found.`);
        const g = this.parameterGroup(region, Number(m[1]));
        const tlsName =
          g.engine === 'mysql' || g.engine === 'mariadb' ? 'require_secure_transport' : 'rds.force_ssl';
        const wanted = filtered(input);
        const params = wanted === undefined || wanted === tlsName ? [parameter(tlsName, g.forceTls)] : [];
        const p = slice(
          `RDS:DescribeDBParameters:${region}:${name}`,
          params.length,
          PAGE.rds!,
          input.MaxRecords,
          input.Marker,
        );
        return { Parameters: params.slice(p.from, p.to), ...(p.next ? { Marker: p.next } : {}) };
      },
      'RDS:DescribeDBClusterParameters': (input, region) => {
        const name = String(input.DBClusterParameterGroupName);
        const m = /^aurora-cluster-params-(\d+)$/.exec(name);
        if (!m) throw awsError('DBParameterGroupNotFound', `DBClusterParameterGroup ${name} not found.`);
        const g = this.clusterParameterGroup(region, Number(m[1]));
        const wanted = filtered(input);
        const params =
          wanted === undefined || wanted === 'rds.force_ssl' ? [parameter('rds.force_ssl', g.forceTls)] : [];
        return { Parameters: params };
      },
    };
  }

  private elbAnswers(): Record<string, Answer> {
    const listenerArn = (lbArn: string, port: number) =>
      `${lbArn.replace(':loadbalancer/', ':listener/')}/${port}`;
    const actions = (lbArn: string, l: SynthListener) =>
      l.protocol === 'HTTP' && l.redirectsToHttps
        ? [
            {
              Type: 'redirect',
              Order: 1,
              RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
            },
          ]
        : [{ Type: 'forward', Order: 1, TargetGroupArn: lbArn.replace(':loadbalancer/', ':targetgroup/') }];
    const policies = Object.entries(SSL_POLICIES);
    return {
      'ElasticLoadBalancingV2:DescribeLoadBalancers': (input, region) => {
        const n = this.countIn(this.sizes.loadBalancers, region);
        const p = slice(`ELB:DescribeLoadBalancers:${region}`, n, PAGE.elb!, input.PageSize, input.Marker);
        return {
          LoadBalancers: range(p.from, p.to, (k) => {
            const lb = this.loadBalancer(this.globalIndex(k, region));
            return {
              LoadBalancerArn: lb.arn,
              LoadBalancerName: lb.name,
              Type: lb.type,
              Scheme: 'internet-facing',
              State: { Code: 'active' },
            };
          }),
          ...(p.next ? { NextMarker: p.next } : {}),
        };
      },
      'ElasticLoadBalancingV2:DescribeListeners': (input) => {
        const lb = this.loadBalancer(this.loadBalancerByArn(input.LoadBalancerArn));
        const p = slice(
          `ELB:DescribeListeners:${lb.arn}`,
          lb.listeners.length,
          PAGE.elb!,
          input.PageSize,
          input.Marker,
        );
        return {
          Listeners: lb.listeners.slice(p.from, p.to).map((l) => ({
            ListenerArn: listenerArn(lb.arn, l.port),
            LoadBalancerArn: lb.arn,
            Port: l.port,
            Protocol: l.protocol,
            ...(l.sslPolicy ? { SslPolicy: l.sslPolicy } : {}),
            DefaultActions: actions(lb.arn, l),
          })),
          ...(p.next ? { NextMarker: p.next } : {}),
        };
      },
      'ElasticLoadBalancingV2:DescribeRules': (input) => {
        const arn = String(input.ListenerArn);
        const lb = this.loadBalancer(this.loadBalancerByArn(arn));
        const l = lb.listeners.find((x) => listenerArn(lb.arn, x.port) === arn);
        if (!l) throw awsError('ListenerNotFound', `${arn} not found`, 400);
        return {
          Rules: [
            {
              RuleArn: `${arn.replace(':listener/', ':listener-rule/')}/default`,
              Priority: 'default',
              IsDefault: true,
              Conditions: [],
              Actions: actions(lb.arn, l),
            },
          ],
        };
      },
      'ElasticLoadBalancingV2:DescribeSSLPolicies': (input) => {
        const p = slice('ELB:DescribeSSLPolicies', policies.length, PAGE.elb!, input.PageSize, input.Marker);
        return {
          SslPolicies: policies
            .slice(p.from, p.to)
            .map(([Name, protocols]) => ({ Name, SslProtocols: [...protocols] })),
          ...(p.next ? { NextMarker: p.next } : {}),
        };
      },
    };
  }

  private classicElbAnswers(): Record<string, Answer> {
    /** The load balancer's own negotiation policy for a listener: a copy of the predefined one it names. */
    const policyName = (lb: string, l: SynthClassicListener) => `${lb}-ssl-${l.port}`;
    const negotiation = (name: string, reference: string) => ({
      PolicyName: name,
      PolicyTypeName: 'SSLNegotiationPolicyType',
      PolicyAttributeDescriptions: [
        { AttributeName: 'Reference-Security-Policy', AttributeValue: reference },
        ...['Protocol-SSLv3', 'Protocol-TLSv1', 'Protocol-TLSv1.1', 'Protocol-TLSv1.2'].map((p) => ({
          AttributeName: p,
          AttributeValue: String(CLASSIC_POLICY_PROTOCOLS[reference]!.includes(p.slice('Protocol-'.length))),
        })),
        { AttributeName: 'Server-Defined-Cipher-Order', AttributeValue: 'true' },
        { AttributeName: 'ECDHE-RSA-AES128-GCM-SHA256', AttributeValue: 'true' },
      ],
    });
    return {
      'ElasticLoadBalancing:DescribeLoadBalancers': (input, region) => {
        const n = this.countIn(classicTotal(this.sizes), region);
        const p = slice(
          `ELB:DescribeClassicLoadBalancers:${region}`,
          n,
          PAGE.elb!,
          input.PageSize,
          input.Marker,
        );
        return {
          LoadBalancerDescriptions: range(p.from, p.to, (k) => {
            const lb = this.classicLoadBalancer(region, k);
            return {
              LoadBalancerName: lb.name,
              DNSName: `${lb.name}.${region}.elb.amazonaws.com`,
              Scheme: 'internet-facing',
              ListenerDescriptions: lb.listeners.map((l) => ({
                Listener: {
                  Protocol: l.protocol,
                  LoadBalancerPort: l.port,
                  InstanceProtocol:
                    l.protocol === 'HTTPS' ? 'HTTP' : l.protocol === 'SSL' ? 'TCP' : l.protocol,
                  InstancePort: 8080,
                },
                PolicyNames: l.reference ? [policyName(lb.name, l)] : [],
              })),
            };
          }),
          ...(p.next ? { NextMarker: p.next } : {}),
        };
      },
      'ElasticLoadBalancing:DescribeLoadBalancerPolicies': (input, region) => {
        const wanted = Array.isArray(input.PolicyNames) ? (input.PolicyNames as string[]) : [];
        if (input.LoadBalancerName === undefined) {
          // ELB's predefined policies, by name.
          const known = Object.keys(CLASSIC_POLICY_PROTOCOLS);
          const missing = wanted.find((n) => !known.includes(n));
          if (missing) throw awsError('PolicyNotFound', `There is no policy with name ${missing}`, 400);
          return {
            PolicyDescriptions: (wanted.length > 0 ? wanted : known).map((n) => negotiation(n, n)),
          };
        }
        const lb = this.classicByName(region, input.LoadBalancerName);
        const own = lb.listeners.flatMap((l) =>
          l.reference ? [negotiation(policyName(lb.name, l), l.reference)] : [],
        );
        const missing = wanted.find((n) => !own.some((o) => o.PolicyName === n));
        if (missing)
          throw awsError(
            'PolicyNotFound',
            `There is no policy with name ${missing} for load balancer ${lb.name}`,
            400,
          );
        return {
          PolicyDescriptions: wanted.length > 0 ? own.filter((o) => wanted.includes(o.PolicyName)) : own,
        };
      },
      // The Classic Load Balancers' ARNs carry the account, which their API does not return.
      'STS:GetCallerIdentity': () => ({
        Account: ACCOUNT_ID,
        Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/collector/synthetic`,
        UserId: 'AROAEXAMPLE:synthetic',
      }),
    };
  }

  private backupAnswers(): Record<string, Answer> {
    return {
      'Backup:ListBackupJobs': (input, region) => {
        const total = this.countIn(this.sizes.backupJobs, region);
        // Jobs are newest first, so ByCreatedAfter keeps a prefix of them.
        const after = input.ByCreatedAfter instanceof Date ? input.ByCreatedAfter.getTime() : 0;
        const age = this.now.getTime() - after;
        const within =
          after === 0 ? total : Math.min(total, Math.max(0, Math.ceil((age / (6.9 * DAY)) * total - 0.5)));
        const p = slice(
          `Backup:ListBackupJobs:${region}`,
          within,
          PAGE.backup!,
          input.MaxResults,
          input.NextToken,
        );
        return {
          BackupJobs: range(p.from, p.to, (k) => this.backupJob(region, k)),
          ...(p.next ? { NextToken: p.next } : {}),
        };
      },
      'Backup:ListProtectedResources': (input, region) => {
        const p = slice(
          `Backup:ListProtectedResources:${region}`,
          this.protectedResourcesIn(region),
          PAGE.backup!,
          input.MaxResults,
          input.NextToken,
        );
        return {
          Results: range(p.from, p.to, (k) => ({
            ResourceArn: `arn:aws:elasticfilesystem:${region}:${ACCOUNT_ID}:file-system/fs-${pad(k, 17)}`,
            ResourceType: 'EFS',
            LastBackupTime: new Date(this.now.getTime() - ((k % 7) + 0.5) * DAY),
          })),
          ...(p.next ? { NextToken: p.next } : {}),
        };
      },
      'Backup:ListRestoreJobs': (input, region) => {
        const p = slice(
          `Backup:ListRestoreJobs:${region}`,
          RESTORE_JOBS_PER_REGION,
          PAGE.backup!,
          input.MaxResults,
          input.NextToken,
        );
        return {
          RestoreJobs: range(p.from, p.to, (k) => this.restoreJob(region, k)),
          ...(p.next ? { NextToken: p.next } : {}),
        };
      },
    };
  }

  private cloudTrailAnswers(): Record<string, Answer> {
    const home = this.regions[0]!;
    const trailArn = `arn:aws:cloudtrail:${home}:${ACCOUNT_ID}:trail/organization-trail`;
    return {
      // One multi-region trail homed in the first region: a shadow trail everywhere else.
      'CloudTrail:DescribeTrails': () => ({
        trailList: [
          {
            Name: 'organization-trail',
            TrailARN: trailArn,
            HomeRegion: home,
            IsMultiRegionTrail: true,
            IsOrganizationTrail: false,
          },
        ],
      }),
      'CloudTrail:GetTrailStatus': () => ({ IsLogging: true }),
      'CloudTrail:LookupEvents': (input, region) => {
        const p = slice(
          `CloudTrail:LookupEvents:${region}`,
          this.signinsIn(region),
          PAGE.lookupEvents!,
          input.MaxResults,
          input.NextToken,
        );
        return {
          Events: range(p.from, p.to, (k) => this.signin(region, k)),
          ...(p.next ? { NextToken: p.next } : {}),
        };
      },
    };
  }

  // -- counts the minimum-call derivation needs -----------------------------------------------------------

  counts(): AccountCounts {
    let consoleUsers = 0;
    let accessKeys = 0;
    for (let i = 0; i < this.sizes.users; i++) {
      const u = this.user(i);
      if (u.kind === 'console' || u.kind === 'console-mfa') consoleUsers++;
      accessKeys += u.keys;
    }
    const perRegion = this.regions.map((region) => {
      const sg = this.countIn(this.sizes.securityGroups, region);
      let worldOpen = 0;
      for (let k = 0; k < sg; k++) {
        const g = this.securityGroup(this.globalIndex(k, region)) as {
          IpPermissions: { IpRanges: { CidrIp: string }[] }[];
        };
        if (g.IpPermissions.some((p) => p.IpRanges.some((r) => r.CidrIp === '0.0.0.0/0'))) worldOpen++;
      }
      const lbs = this.countIn(this.sizes.loadBalancers, region);
      let redirectListeners = 0;
      let sslListeners = 0;
      for (let k = 0; k < lbs; k++) {
        const lb = this.loadBalancer(this.globalIndex(k, region));
        redirectListeners += lb.listeners.filter((l) => l.protocol === 'HTTP' && l.redirectsToHttps).length;
        sslListeners += lb.listeners.filter((l) => l.sslPolicy).length;
      }
      const classicLoadBalancers = this.countIn(classicTotal(this.sizes), region);
      let classicTlsLoadBalancers = 0;
      for (let k = 0; k < classicLoadBalancers; k++)
        if (this.classicLoadBalancer(region, k).listeners.some((l) => l.reference)) classicTlsLoadBalancers++;
      const instances = this.instancesIn(region);
      const groups = new Set<string>();
      for (let k = 0; k < instances; k++) {
        const d = this.instance(region, k);
        if (!d.clusterId) groups.add(`i:${d.parameterGroup}`);
      }
      const clusters = this.countIn(this.sizes.auroraClusters, region);
      for (let k = 0; k < clusters; k++) groups.add(`c:${this.cluster(region, k).clusterGroup}`);
      return {
        region,
        securityGroups: sg,
        worldOpenGroups: worldOpen,
        interfaces: this.countIn(this.interfaces, region),
        loadBalancers: lbs,
        redirectListeners,
        sslListeners,
        classicLoadBalancers,
        classicTlsLoadBalancers,
        instances,
        clusters,
        parameterGroupsRead: groups.size,
        backupJobs: this.countIn(this.sizes.backupJobs, region),
        signins: this.signinsIn(region),
        unencryptedVolumes: UNENCRYPTED_VOLUMES_PER_REGION,
        trails: 1,
      };
    });
    return {
      users: this.sizes.users,
      consoleUsers,
      accessKeys,
      virtualMfaDevices: this.virtualMfaUsers().length,
      authorizationItems: this.authorizationItems(),
      buckets: this.sizes.buckets,
      sslPolicies: Object.keys(SSL_POLICIES).length,
      regions: perRegion,
    };
  }
}

export interface RegionCounts {
  readonly region: string;
  readonly securityGroups: number;
  readonly worldOpenGroups: number;
  readonly interfaces: number;
  readonly loadBalancers: number;
  readonly redirectListeners: number;
  readonly sslListeners: number;
  /** Classic Load Balancers, and those with an HTTPS or SSL listener (one policy read each). */
  readonly classicLoadBalancers: number;
  readonly classicTlsLoadBalancers: number;
  readonly instances: number;
  readonly clusters: number;
  readonly parameterGroupsRead: number;
  readonly backupJobs: number;
  readonly signins: number;
  readonly unencryptedVolumes: number;
  readonly trails: number;
}

export interface AccountCounts {
  readonly users: number;
  readonly consoleUsers: number;
  readonly accessKeys: number;
  readonly virtualMfaDevices: number;
  readonly authorizationItems: number;
  readonly buckets: number;
  readonly sslPolicies: number;
  readonly regions: readonly RegionCounts[];
}
