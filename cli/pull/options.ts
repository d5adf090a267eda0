import type { S3Client } from '@aws-sdk/client-s3';
import type { Progress } from '../package/progress';
import type { SlaPolicy } from '../period/model';

export interface PullOptions {
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  readonly out: string;
  readonly collector?: readonly string[];
  readonly account?: string;
  /** `--trust FILE`: the pinned producers' keys. */
  readonly trust?: string;
  /** `--public-key FILE`, repeatable: keys trusted for every producer. */
  readonly publicKey?: readonly string[];
  /** `--sla`: the remediation SLA the period report judges by. @default DEFAULT_SLA */
  readonly sla?: SlaPolicy;
}

export interface PullDeps {
  readonly s3: S3Client;
  readonly out: (line: string) => void;
  readonly progress?: Progress;
  /** Downloads in flight. @default 8 */
  readonly concurrency?: number;
  readonly now?: () => Date;
}
