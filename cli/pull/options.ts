import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Progress } from '../package/progress';

export interface PullOptions {
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  readonly out: string;
  readonly collector?: readonly string[];
  readonly account?: string;
  readonly publicKey?: string;
}

export interface PullDeps {
  readonly s3: S3Client;
  /** Used to fetch the signing key's public half when `--public-key` is not given. */
  readonly kms?: KMSClient;
  readonly out: (line: string) => void;
  readonly progress?: Progress;
  /** Downloads in flight. @default 8 */
  readonly concurrency?: number;
  readonly now?: () => Date;
}
