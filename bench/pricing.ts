/**
 * Every AWS price the benchmark's cost estimate uses, in one place, with where it comes from and when it was
 * read. US East (N. Virginia) list prices; no free tier is subtracted (the estimate is an upper bound for an
 * organization that already uses its free tier elsewhere).
 */
export interface Price {
  readonly usd: number;
  /** What one `usd` buys. */
  readonly per: string;
  readonly source: string;
}

/** When the prices below were read. */
export const PRICES_READ_ON = '2026-11-30';

export const PRICES = {
  /** Lambda duration, arm64 (the stack deploys arm64 functions), first pricing tier. */
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 'GB-second',
    source: 'https://aws.amazon.com/lambda/pricing/ (arm64, first 7.5 billion GB-s a month)',
  },
  lambdaRequest: {
    usd: 0.2 / 1_000_000,
    per: 'request',
    source: 'https://aws.amazon.com/lambda/pricing/ ($0.20 per 1M requests)',
  },
  stepFunctionsStandardTransition: {
    usd: 0.025 / 1000,
    per: 'state transition',
    source:
      'https://aws.amazon.com/step-functions/pricing/ (Standard workflows, $0.025 per 1,000 state transitions)',
  },
  s3Put: {
    usd: 0.005 / 1000,
    per: 'PUT request',
    source: 'https://aws.amazon.com/s3/pricing/ (S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000)',
  },
  s3StorageGbMonth: {
    usd: 0.023,
    per: 'GB-month',
    source: 'https://aws.amazon.com/s3/pricing/ (S3 Standard, first 50 TB)',
  },
  /**
   * KMS Sign with the stack's ECC_NIST_P256 signing keys (lib/signing-keys.ts): an asymmetric request other
   * than RSA 2048, priced at five times a symmetric request ($0.03 per 10,000). The KMS pricing page
   * (https://aws.amazon.com/kms/pricing/) holds the table; the copy the `search` tool returned lacks it, and
   * one third-party guide (wring.co, 2026-03) lists ECC requests at $0.03: the higher figure is used.
   */
  kmsAsymmetricRequest: {
    usd: 0.15 / 10_000,
    per: 'asymmetric request (Sign, ECC)',
    source:
      'https://aws.amazon.com/kms/pricing/; "asymmetric operations at 5× the symmetric rate" ($0.03 per 10,000): https://www.factualminds.com/blog/aws-kms-pricing-keys-requests-multi-region/ (2026-06-13)',
  },
  cloudWatchLogsIngestionGb: {
    usd: 0.5,
    per: 'GB ingested',
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, standard ingestion)',
  },
} as const satisfies Record<string, Price>;

/** The fixed monthly cost of the hub the README states (README "Cost"): keys, metrics, alarms. */
export const FIXED_HUB_USD_PER_MONTH = 52;

/** A Lambda function gets one full vCPU at 1,769 MB and CPU in proportion below it. */
export const LAMBDA_MB_PER_VCPU = 1769;
