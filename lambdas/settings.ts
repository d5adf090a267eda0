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
};
