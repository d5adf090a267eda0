/**
 * What a collector run needs to know from the deployment's configuration: the thresholds it judges by and
 * where to look. The CDK app validates the configuration at synth time and passes these to each function;
 * the CLI reads the same keys from cdk.json.
 */
export interface CollectorSettings {
  readonly regions: readonly string[];
  readonly inactiveAfterDays: number;
  /** Ports that must never be open to the world (network-exposure): remote administration and databases. */
  readonly adminPorts: readonly number[];
  /** Ports a load balancer may open to the world (network-exposure). */
  readonly publicWebPorts: readonly number[];
  /** Failed console sign-ins from one source IP in a day above which it is flagged (console-signins). */
  readonly failedSigninThreshold: number;
  /** Age of an RDS/Aurora LatestRestorableTime above which backups count as broken (backups). */
  readonly backupMaxAgeHours: number;
  /** Days of AWS Backup jobs listed and counted (backups); ListBackupJobs keeps 30 days at most. */
  readonly backupJobWindowDays: number;
  /** Whether S3 default encryption must use KMS (aws:kms or aws:kms:dsse) rather than SSE-S3 (encryption). */
  readonly requireKmsForBuckets: boolean;
  /** Lowest TLS version a load balancer listener may accept (tls). */
  readonly minimumTlsVersion: TlsVersion;
  /** Per-resource AWS calls in flight at once, per region and service (backups, encryption, tls). */
  readonly concurrency: number;
  /**
   * Hours an active GuardDuty finding of each severity may stay open before it is judged a missed response
   * (threat-detection).
   */
  readonly threatResponseHours: { readonly critical: number; readonly high: number };
  /**
   * Whether Security Hub must be enabled in every configured region (threat-detection); otherwise a region without
   * it WARNs while another has it, and is INFO when none has it.
   */
  readonly requireSecurityHub: boolean;
  /** Shortest CloudWatch Logs retention, in days, that counts as kept for the audit period (audit-logging). */
  readonly logRetentionDays: number;
  /**
   * Days to remediate a failing check, by severity: the period report's SLA and the SLA each critical and
   * high Inspector finding is judged by (vulnerabilities). Severities left out have no SLA.
   */
  readonly remediationSlaDays: Readonly<Partial<Record<'critical' | 'high' | 'medium' | 'low', number>>>;
  /** The account password policy's required minimums (password-policy). */
  readonly passwordPolicy: PasswordPolicyMinimums;
  /** Age in days above which an active IAM access key counts as unrotated (key-rotation). */
  readonly maxAccessKeyAgeDays: number;
  /**
   * The tag that marks a production database (resilience): only those are judged on Multi-AZ and deletion
   * protection. Absent: every database is production. Without `value`, any value of the key matches.
   */
  readonly productionTag?: ResourceTag;
  /** Buckets carrying this tag (e.g. log buckets) are not judged on versioning (resilience). */
  readonly versioningExemptTag?: ResourceTag;
  /** Age in days of the latest successful restore test above which a resource type counts as untested (backups). */
  readonly restoreTestMaxAgeDays: number;
  /**
   * IAM principals (user, role or group ARNs) allowed to hold administrator-equivalent or privilege-escalating
   * permissions (iam-privilege); anyone else holding them FAILs.
   */
  readonly approvedAdministrators: readonly string[];
}

/** A tag key and, optionally, the value it must have. */
export interface ResourceTag {
  readonly key: string;
  readonly value?: string;
}

export interface PasswordPolicyMinimums {
  readonly minimumLength: number;
  readonly requireSymbols: boolean;
  readonly requireNumbers: boolean;
  readonly requireUppercase: boolean;
  readonly requireLowercase: boolean;
  /** How many previous passwords may not be reused. */
  readonly reusePrevention: number;
  /** The longest a password may live, in days; absent: no maximum age is required. */
  readonly maxAgeDays?: number;
}

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

export const DEFAULT_SETTINGS: CollectorSettings = {
  regions: ['us-east-1'],
  inactiveAfterDays: 90,
  adminPorts: [22, 3389, 3306, 5432, 1433, 27017, 6379, 9200],
  publicWebPorts: [80, 443],
  failedSigninThreshold: 5,
  backupMaxAgeHours: 26,
  backupJobWindowDays: 7,
  requireKmsForBuckets: false,
  minimumTlsVersion: 'TLSv1.2',
  // Eight calls per region and service stay well under the describe-call rates of RDS, S3 and ELB while
  // keeping a run over hundreds of buckets to seconds; adaptive retries absorb the occasional throttle.
  concurrency: 8,
  threatResponseHours: { critical: 24, high: 72 },
  requireSecurityHub: false,
  logRetentionDays: 365,
  // The seed documents' remediation SLAs (critical 7 days, high 30) and 90 days for medium.
  remediationSlaDays: { critical: 7, high: 30, medium: 90 },
  // CIS AWS Foundations 1.8 and 1.9 (length 14, 24 remembered) and the character classes auditors still ask for.
  passwordPolicy: {
    minimumLength: 14,
    requireSymbols: true,
    requireNumbers: true,
    requireUppercase: true,
    requireLowercase: true,
    reusePrevention: 24,
  },
  maxAccessKeyAgeDays: 90,
  restoreTestMaxAgeDays: 365,
  approvedAdministrators: [],
};
