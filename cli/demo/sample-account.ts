/**
 * The demo's sample AWS account: edit it and run `npm run demo` again to see the evidence change.
 *
 * The demo replays a fortnight of daily runs. Most facts are the account's standing state, the same on
 * every replayed day: their times are in days (or hours) before that day's run, so the story reads the same
 * whatever the date. `null` means "never". A few facts change during the fortnight, and say when with a
 * `Lapse` counted in days before the demo's today (the last replayed day): they are what the period report's
 * exceptions are made of (one remediated within its SLA, one past it; legacy-crm's is the one to accept).
 * Every realistic problem the collectors look for appears at least once; each is marked PROBLEM below.
 */
export const SAMPLE_ACCOUNT_ID = '123456789012';

/**
 * A stretch of the demo's history, in days before the demo's today: it holds for the runs from
 * `sinceDaysAgo` days before today up to, not including, the run `untilDaysAgo` days before (absent: it
 * still holds today).
 */
export interface Lapse {
  readonly sinceDaysAgo: number;
  readonly untilDaysAgo?: number;
}

export interface SampleAccessKey {
  readonly active: boolean;
  readonly rotatedDaysAgo: number;
  readonly lastUsedDaysAgo: number | null;
  readonly lastUsedService?: string;
}

export interface SampleUser {
  readonly name: string;
  readonly createdDaysAgo: number;
  /** A console password, and when it was last used. */
  readonly console?: { readonly lastUsedDaysAgo: number | null; readonly changedDaysAgo: number };
  readonly mfa: 'virtual' | 'hardware' | null;
  /** While the user had no MFA device: between removing one and registering its replacement. */
  readonly mfaLapse?: Lapse;
  readonly accessKeys: readonly SampleAccessKey[];
  readonly groups: readonly string[];
}

export const SAMPLE_ROOT = {
  mfa: 'hardware' as 'virtual' | 'hardware' | null,
  // PROBLEM (remediated late): root's hardware key was reported lost and removed 12 days ago; the
  // replacement key was registered only 3 days ago. Root went 9 days without MFA, past the 7 days allowed
  // for a critical finding (`root-mfa`).
  mfaLapse: { sinceDaysAgo: 12, untilDaysAgo: 3 } as Lapse | undefined,
  lastSignInDaysAgo: 41,
  accessKeys: [] as readonly SampleAccessKey[],
};

export const SAMPLE_USERS: readonly SampleUser[] = [
  // An administrator who does everything right.
  {
    name: 'alice',
    createdDaysAgo: 900,
    console: { lastUsedDaysAgo: 1, changedDaysAgo: 60 },
    mfa: 'virtual',
    accessKeys: [],
    groups: ['Admins'],
  },
  // PROBLEM: a console user without MFA.
  {
    name: 'bob',
    createdDaysAgo: 400,
    console: { lastUsedDaysAgo: 3, changedDaysAgo: 400 },
    mfa: null,
    accessKeys: [],
    groups: ['Developers'],
  },
  // PROBLEM: an inactive user: console last used 200 days ago, key unused for 150 days.
  {
    name: 'carol',
    createdDaysAgo: 700,
    console: { lastUsedDaysAgo: 200, changedDaysAgo: 700 },
    mfa: 'virtual',
    accessKeys: [{ active: true, rotatedDaysAgo: 300, lastUsedDaysAgo: 150, lastUsedService: 's3' }],
    groups: ['Developers'],
  },
  // PROBLEM: an access key created 120 days ago and never used.
  {
    name: 'deploy-bot',
    createdDaysAgo: 120,
    mfa: null,
    accessKeys: [{ active: true, rotatedDaysAgo: 120, lastUsedDaysAgo: null }],
    groups: [],
  },
  // An API-only user in daily use; its old key was deactivated, which is fine.
  {
    name: 'ci-runner',
    createdDaysAgo: 500,
    mfa: null,
    accessKeys: [
      { active: true, rotatedDaysAgo: 30, lastUsedDaysAgo: 0, lastUsedService: 'ecr' },
      { active: false, rotatedDaysAgo: 400, lastUsedDaysAgo: 95, lastUsedService: 'ecr' },
    ],
    groups: [],
  },
  // A new joiner who has not signed in yet (account created yesterday): not inactive.
  {
    name: 'erin',
    createdDaysAgo: 1,
    console: { lastUsedDaysAgo: null, changedDaysAgo: 1 },
    mfa: null,
    accessKeys: [],
    groups: ['Developers'],
  },
  // PROBLEM (remediated in time): dave replaced his phone 12 days ago and removed its virtual MFA device;
  // he registered the new phone 9 days ago, three days after the daily check flagged his account
  // (`console-mfa`, high: 30 days allowed).
  {
    name: 'dave',
    createdDaysAgo: 300,
    console: { lastUsedDaysAgo: 2, changedDaysAgo: 90 },
    mfa: 'virtual',
    mfaLapse: { sinceDaysAgo: 12, untilDaysAgo: 9 },
    accessKeys: [],
    groups: ['Developers'],
  },
  // A user with no credentials at all (informational).
  { name: 'frank', createdDaysAgo: 250, mfa: null, accessKeys: [], groups: ['ReadOnly'] },
];

/** IAM roles people can assume (`access-review`): from the company's identity provider, or another account. */
export interface SampleRole {
  readonly name: string;
  /** `saml` for the identity provider, or the 12-digit account trusted to assume it. */
  readonly trust: 'saml' | string;
  readonly policies: readonly string[];
  /** When someone last assumed it (IAM's RoleLastUsed); null for not within IAM's 400 days. */
  readonly lastUsedDaysAgo: number | null;
}

export const SAMPLE_ROLES: readonly SampleRole[] = [
  { name: 'EngineeringReadOnly', trust: 'saml', policies: ['ReadOnlyAccess'], lastUsedDaysAgo: 0 },
  // Worth a look in the review: full administrator through single sign-on.
  { name: 'OrganizationAdmin', trust: 'saml', policies: ['AdministratorAccess'], lastUsedDaysAgo: 12 },
  // A partner's account (AWS's documentation example account) may deploy: near-administrator, and unused.
  { name: 'PartnerDeploy', trust: '111122223333', policies: ['PowerUserAccess'], lastUsedDaysAgo: null },
];

/** Security groups by region, with what each is attached to (`network-exposure`). */
export interface SampleSecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  /** Inbound rules: a port range, and either a CIDR or another group as the source. */
  readonly inbound: readonly {
    readonly protocol: 'tcp' | 'udp' | '-1';
    readonly from: number;
    readonly to: number;
    readonly source: string;
  }[];
  readonly attachedTo: readonly ('load-balancer' | 'instance' | 'database')[];
}

export const SAMPLE_SECURITY_GROUPS: readonly SampleSecurityGroup[] = [
  // A public load balancer on 80 and 443: fine.
  {
    id: 'sg-0a1b2c3d4e5f60001',
    name: 'web-alb',
    region: 'us-east-1',
    inbound: [
      { protocol: 'tcp', from: 443, to: 443, source: '0.0.0.0/0' },
      { protocol: 'tcp', from: 80, to: 80, source: '0.0.0.0/0' },
      { protocol: 'tcp', from: 443, to: 443, source: '::/0' },
    ],
    attachedTo: ['load-balancer'],
  },
  // PROBLEM: SSH open to the whole internet on a running instance.
  {
    id: 'sg-0a1b2c3d4e5f60002',
    name: 'bastion',
    region: 'us-east-1',
    inbound: [{ protocol: 'tcp', from: 22, to: 22, source: '0.0.0.0/0' }],
    attachedTo: ['instance'],
  },
  // The database only accepts the application's group: not open to the world.
  {
    id: 'sg-0a1b2c3d4e5f60003',
    name: 'orders-db',
    region: 'us-east-1',
    inbound: [{ protocol: 'tcp', from: 5432, to: 5432, source: 'sg-0a1b2c3d4e5f60004' }],
    attachedTo: ['database'],
  },
  {
    id: 'sg-0a1b2c3d4e5f60004',
    name: 'app',
    region: 'us-east-1',
    inbound: [{ protocol: 'tcp', from: 8080, to: 8080, source: 'sg-0a1b2c3d4e5f60001' }],
    attachedTo: ['instance'],
  },
  // PROBLEM (latent): RDP open to the world on a group attached to nothing yet.
  {
    id: 'sg-0a1b2c3d4e5f60005',
    name: 'legacy-windows',
    region: 'eu-west-1',
    inbound: [{ protocol: 'tcp', from: 3389, to: 3389, source: '::/0' }],
    attachedTo: [],
  },
];

/** Console sign-ins of the last 24 hours (`console-signins`); `hoursAgo` counts back from the demo run. */
export interface SampleSignin {
  readonly user: string;
  readonly hoursAgo: number;
  readonly sourceIp: string;
  readonly mfa: boolean;
  readonly success: boolean;
}

export const SAMPLE_SIGNINS: readonly SampleSignin[] = [
  { user: 'alice', hoursAgo: 2, sourceIp: '198.51.100.10', mfa: true, success: true },
  // PROBLEM: a console sign-in without MFA.
  { user: 'bob', hoursAgo: 5, sourceIp: '198.51.100.22', mfa: false, success: true },
  // PROBLEM: six failed sign-ins from one address in an hour.
  ...[1, 2, 3, 4, 5, 6].map((n) => ({
    user: 'carol',
    hoursAgo: 9 + n / 10,
    sourceIp: '203.0.113.50',
    mfa: false,
    success: false,
  })),
];

/** Databases (`backups`, `encryption`, `tls`, `resilience`). Aurora keeps backups, encryption, Multi-AZ and
 * deletion protection on the cluster. */
export interface SampleDatabase {
  readonly id: string;
  readonly region: string;
  readonly engine: 'postgres' | 'mysql' | 'aurora-postgresql';
  readonly backupRetentionDays: number;
  /** Hours since the latest restorable time; `null` when there is none. */
  readonly restorableHoursAgo: number | null;
  readonly encrypted: boolean;
  /** Effective value of rds.force_ssl / require_secure_transport; `null` = engine default. */
  readonly forceTls: '1' | '0' | null;
  /** For an Aurora cluster: its member instances. */
  readonly members?: readonly string[];
  /** PubliclyAccessible (`public-access`): the endpoint has a public IP address. */
  readonly publiclyAccessible?: boolean;
  /** Instance: a Multi-AZ standby. Cluster: members in more than one Availability Zone. */
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export const SAMPLE_DATABASES: readonly SampleDatabase[] = [
  // An Aurora cluster doing everything right.
  {
    id: 'orders',
    region: 'us-east-1',
    engine: 'aurora-postgresql',
    backupRetentionDays: 14,
    restorableHoursAgo: 0.1,
    encrypted: true,
    forceTls: '1',
    members: ['orders-1', 'orders-2'],
    multiAz: true,
    deletionProtection: true,
    tags: { Environment: 'production' },
  },
  // PROBLEM: unencrypted storage, and TLS left to the engine default. RDS cannot encrypt a database in
  // place (it takes a snapshot copy and a restore, with downtime) and the CRM is retired next quarter, so
  // this is the exception the security lead accepts (`rds-storage-encrypted`); it fails all fortnight.
  // PROBLEM: publicly accessible, left so from a vendor's remote migration (`rds-public-instance`).
  // PROBLEM: no deletion protection, and in no AWS Backup plan (`resilience`).
  {
    id: 'legacy-crm',
    region: 'us-east-1',
    engine: 'mysql',
    backupRetentionDays: 7,
    restorableHoursAgo: 0.2,
    encrypted: false,
    forceTls: null,
    publiclyAccessible: true,
    multiAz: true,
    deletionProtection: false,
    tags: { Environment: 'production' },
  },
  // PROBLEM: automated backups switched off; a single Availability Zone, and in no AWS Backup plan
  // (`resilience`).
  {
    id: 'analytics',
    region: 'eu-west-1',
    engine: 'postgres',
    backupRetentionDays: 0,
    restorableHoursAgo: null,
    encrypted: true,
    forceTls: '0',
    multiAz: false,
    deletionProtection: true,
    tags: { Environment: 'production' },
  },
];

/** S3 buckets (`encryption`, `tls`, `resilience`). */
export interface SampleBucket {
  readonly name: string;
  readonly region: string;
  readonly encryption: 'AES256' | 'aws:kms';
  /** A bucket policy that denies requests without TLS. */
  readonly tlsOnlyPolicy: boolean;
  /** A bucket policy statement that lets anyone read the objects (`public-access`). */
  readonly publicRead?: boolean;
  /** GetBucketVersioning's Status; `null` for a bucket never versioned. */
  readonly versioning: 'Enabled' | 'Suspended' | null;
}

export const SAMPLE_BUCKETS: readonly SampleBucket[] = [
  {
    name: 'example-corp-artifacts',
    region: 'us-east-1',
    encryption: 'aws:kms',
    tlsOnlyPolicy: true,
    versioning: 'Enabled',
  },
  // PROBLEM: no TLS-only bucket policy, and never versioned.
  {
    name: 'example-corp-exports',
    region: 'eu-west-1',
    encryption: 'AES256',
    tlsOnlyPolicy: false,
    versioning: null,
  },
  // PROBLEM: public by its bucket policy (anyone may GetObject), written for a download page before the
  // account turned on BlockPublicPolicy, which refuses new public policies but leaves this one in force.
  {
    name: 'example-corp-downloads',
    region: 'us-east-1',
    encryption: 'AES256',
    tlsOnlyPolicy: true,
    publicRead: true,
    versioning: 'Enabled',
  },
];

/** Load balancer listeners (`tls`). */
export interface SampleListener {
  readonly loadBalancer: string;
  readonly type: 'application' | 'network';
  readonly region: string;
  readonly protocol: 'HTTPS' | 'HTTP' | 'TLS';
  readonly port: number;
  readonly sslPolicy?: string;
  /** HTTP listeners: whether the default action redirects to HTTPS. */
  readonly redirectsToHttps?: boolean;
}

export const SAMPLE_LISTENERS: readonly SampleListener[] = [
  {
    loadBalancer: 'web',
    type: 'application',
    region: 'us-east-1',
    protocol: 'HTTPS',
    port: 443,
    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  },
  {
    loadBalancer: 'web',
    type: 'application',
    region: 'us-east-1',
    protocol: 'HTTP',
    port: 80,
    redirectsToHttps: true,
  },
  // PROBLEM: a listener whose policy still allows TLS 1.0 (the default when none is chosen).
  {
    loadBalancer: 'partner-api',
    type: 'network',
    region: 'us-east-1',
    protocol: 'TLS',
    port: 443,
    sslPolicy: 'ELBSecurityPolicy-2016-08',
  },
  // PROBLEM: an HTTP listener that forwards instead of redirecting to HTTPS.
  {
    loadBalancer: 'internal-tools',
    type: 'application',
    region: 'eu-west-1',
    protocol: 'HTTP',
    port: 80,
    redirectsToHttps: false,
  },
];

/** What each SSL policy allows, as DescribeSSLPolicies reports it. */
export const SAMPLE_SSL_POLICIES: Readonly<Record<string, readonly string[]>> = {
  'ELBSecurityPolicy-TLS13-1-2-2021-06': ['TLSv1.2', 'TLSv1.3'],
  'ELBSecurityPolicy-2016-08': ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
};

/** EBS (`encryption`): encryption by default per region, and unencrypted volumes. */
export const SAMPLE_EBS: Readonly<
  Record<string, { readonly encryptionByDefault: boolean; readonly unencryptedVolumes: readonly string[] }>
> = {
  'us-east-1': { encryptionByDefault: true, unencryptedVolumes: [] },
  // PROBLEM: encryption by default off, and an old unencrypted volume.
  'eu-west-1': { encryptionByDefault: false, unencryptedVolumes: ['vol-0a1b2c3d4e5f60001'] },
};

/** AWS Backup jobs (`backups`): `hoursAgo` is when the job was created. */
export interface SampleBackupJob {
  readonly resource: string;
  readonly region: string;
  readonly state: 'COMPLETED' | 'FAILED' | 'ABORTED' | 'EXPIRED' | 'PARTIAL' | 'RUNNING';
  readonly hoursAgo: number;
  readonly message?: string;
}

export const SAMPLE_BACKUP_JOBS: readonly SampleBackupJob[] = [
  ...[2, 26, 50, 74, 98, 122, 146].map((h) => ({
    resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
    region: 'us-east-1',
    state: 'COMPLETED' as const,
    hoursAgo: h,
  })),
  ...[3, 27, 51].map((h) => ({
    resource: 'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0a1b2c3d',
    region: 'us-east-1',
    state: 'COMPLETED' as const,
    hoursAgo: h,
  })),
  // PROBLEM: last night's backup of the file system failed.
  {
    resource: 'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0a1b2c3d',
    region: 'us-east-1',
    state: 'FAILED',
    hoursAgo: 6,
    message: 'Access denied to the backup vault key',
  },
];
