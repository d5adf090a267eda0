import {
  GetBucketAclCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { errorEntry, isAwsError, withApi } from '../../aws/aws-error';
import type { ErrorEntry } from '../../evidence/envelope';
import { listBuckets, readEachBucket, type BucketRef, type PerBucketRead } from '../../readers/buckets';
import type { GatherContext } from '../collector';

/** The four Block Public Access settings, as the account or a bucket holds them. */
export interface BlockSettings {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export const NO_BLOCK: BlockSettings = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

export const BLOCK_SETTING_NAMES: Readonly<Record<keyof BlockSettings, string>> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};

/** The account's effective configuration (S3 Control answers it, inherited from an organization policy where
 * there is one); `configured: false` when S3 answers NoSuchPublicAccessBlockConfiguration. */
export interface AccountBlockFacts {
  readonly account: string;
  readonly configured: boolean;
  readonly settings: BlockSettings;
}

/** The groups whose grants make an ACL public (S3 user guide, "The meaning of public"). */
export const PUBLIC_GROUPS: Readonly<Record<string, 'AllUsers' | 'AuthenticatedUsers'>> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
};

export interface PublicGrant {
  readonly group: 'AllUsers' | 'AuthenticatedUsers';
  readonly permission: string;
}

/**
 * What was read of one bucket. A field left undefined was not read because Block Public Access already
 * neutralises what it would show: the policy status when public buckets are restricted, the ACL when public
 * ACLs are ignored (account or bucket level); the bucket's own settings when nothing needed them.
 */
export interface BucketExposure extends BucketRef {
  /** The bucket's own Block Public Access; `none` when it has no configuration. */
  readonly bucketBlock?: BlockSettings | 'none';
  /** GetBucketPolicyStatus IsPublic; false also when the bucket has no policy (`hasPolicy: false`). */
  readonly policyPublic?: boolean;
  readonly hasPolicy?: boolean;
  /** Bucket ACL grants to AllUsers or AuthenticatedUsers. */
  readonly publicGrants?: readonly PublicGrant[];
  /** The bucket was deleted between the listing and its reads. */
  readonly deleted?: boolean;
}

export interface S3Facts {
  /** Undefined when the account's configuration could not be read (an error entry says why). */
  readonly accountBlock?: AccountBlockFacts;
  /** Undefined when the bucket list itself failed. */
  readonly bucketsListed?: number;
  /** True when the account ignores public ACLs and restricts public buckets: no bucket can be public, so none
   * was read one by one. */
  readonly perBucketReadsSkipped: boolean;
  /** Buckets that could be read (all but those in error entries); empty when reads were skipped. */
  readonly buckets: readonly BucketExposure[];
  /** Buckets without a result: their reads failed (their error entries name them) or the run's deadline left
   * them unread (one DeadlineExceeded entry per region counts them). */
  readonly bucketsNotRead: number;
}

function blockOf(c: PublicAccessBlockConfiguration | undefined): BlockSettings {
  return {
    blockPublicAcls: c?.BlockPublicAcls === true,
    ignorePublicAcls: c?.IgnorePublicAcls === true,
    blockPublicPolicy: c?.BlockPublicPolicy === true,
    restrictPublicBuckets: c?.RestrictPublicBuckets === true,
  };
}

const effective = (block: BlockSettings | 'none' | undefined, key: keyof BlockSettings) =>
  block !== undefined && block !== 'none' && block[key];

/** The account's effective Block Public Access, through S3 Control (a global endpoint, reached from the first
 * configured region). NoSuchPublicAccessBlockConfiguration is the fact "none", not an error. */
export async function readAccountBlock(ctx: GatherContext, account: string): Promise<AccountBlockFacts> {
  const client = ctx.clients.get(S3ControlClient, ctx.settings.regions[0] ?? 'us-east-1');
  try {
    const out = await withApi('s3:GetAccountPublicAccessBlock', () =>
      client.send(new GetAccountPublicAccessBlockCommand({ AccountId: account })),
    );
    return { account, configured: true, settings: blockOf(out.PublicAccessBlockConfiguration) };
  } catch (err) {
    if (isAwsError(err, 'NoSuchPublicAccessBlockConfiguration'))
      return { account, configured: false, settings: NO_BLOCK };
    throw err;
  }
}

async function readBucketBlock(client: S3Client, bucket: string): Promise<BlockSettings | 'none'> {
  try {
    const out = await withApi('s3:GetBucketPublicAccessBlock', () =>
      client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
    );
    return blockOf(out.PublicAccessBlockConfiguration);
  } catch (err) {
    if (isAwsError(err, 'NoSuchPublicAccessBlockConfiguration')) return 'none';
    throw err;
  }
}

async function readPolicyStatus(
  client: S3Client,
  bucket: string,
): Promise<{ policyPublic: boolean; hasPolicy: boolean }> {
  try {
    const out = await withApi('s3:GetBucketPolicyStatus', () =>
      client.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })),
    );
    return { policyPublic: out.PolicyStatus?.IsPublic === true, hasPolicy: true };
  } catch (err) {
    if (isAwsError(err, 'NoSuchBucketPolicy')) return { policyPublic: false, hasPolicy: false };
    throw err;
  }
}

/** With ACLs disabled (Object Ownership BucketOwnerEnforced) GetBucketAcl answers the owner's full control
 * only, and S3 refuses to disable ACLs while the bucket ACL grants anyone else: so the ACL read alone is
 * authoritative, and GetBucketOwnershipControls would add a call that cannot change the verdict. */
async function readPublicGrants(client: S3Client, bucket: string): Promise<PublicGrant[]> {
  const out = await withApi('s3:GetBucketAcl', () =>
    client.send(new GetBucketAclCommand({ Bucket: bucket })),
  );
  return (out.Grants ?? []).flatMap((g) => {
    const group = g.Grantee?.Type === 'Group' && g.Grantee.URI ? PUBLIC_GROUPS[g.Grantee.URI] : undefined;
    return group ? [{ group, permission: g.Permission ?? 'unknown' }] : [];
  });
}

/**
 * The fewest reads that settle one bucket, given the account's settings. A read is skipped when Block Public
 * Access makes its answer irrelevant: S3 applies the most restrictive combination of account and bucket
 * settings, and RestrictPublicBuckets / IgnorePublicAcls neutralise existing public policies / ACLs (while
 * BlockPublicPolicy / BlockPublicAcls only refuse new ones). When both the policy and the ACL matter, the
 * bucket's own settings are read first (buckets created since April 2023 have all four on, which ends it);
 * otherwise they are read only when the one exposure read shows something public.
 */
export function bucketExposureRead(account: BlockSettings): PerBucketRead<BucketExposure> {
  return {
    api: 's3:GetBucketPublicAccessBlock',
    read: async (client, b) => {
      const policyMatters = !account.restrictPublicBuckets;
      const aclMatters = !account.ignorePublicAcls;
      let bucketBlock = policyMatters && aclMatters ? await readBucketBlock(client, b.name) : undefined;
      const policy =
        policyMatters && !effective(bucketBlock, 'restrictPublicBuckets')
          ? await readPolicyStatus(client, b.name)
          : undefined;
      const publicGrants =
        aclMatters && !effective(bucketBlock, 'ignorePublicAcls')
          ? await readPublicGrants(client, b.name)
          : undefined;
      if (bucketBlock === undefined && (policy?.policyPublic || (publicGrants?.length ?? 0) > 0))
        bucketBlock = await readBucketBlock(client, b.name);
      return {
        ...b,
        ...(bucketBlock !== undefined ? { bucketBlock } : {}),
        ...(policy ?? {}),
        ...(publicGrants !== undefined ? { publicGrants } : {}),
      };
    },
    notFound: { code: 'NoSuchBucket', answer: (b) => ({ ...b, deleted: true }) },
  };
}

/** Whether the account's settings alone make every bucket non-public. */
export function accountNeutralisesAll(s: BlockSettings): boolean {
  return s.ignorePublicAcls && s.restrictPublicBuckets;
}

/**
 * The account's Block Public Access, then each bucket as far as needed. When the account's own settings
 * cannot be read, every bucket is read as if the account blocked nothing (the verdict then says the account
 * level is unknown). An account id is needed for S3 Control: without one the account read is an error entry.
 */
export async function gatherS3(ctx: GatherContext): Promise<{ facts: S3Facts; errors: ErrorEntry[] }> {
  const errors: ErrorEntry[] = [];
  const home = ctx.settings.regions[0] ?? 'us-east-1';
  let accountBlock: AccountBlockFacts | undefined;
  if (!ctx.account)
    errors.push({
      region: home,
      api: 's3:GetAccountPublicAccessBlock',
      code: 'AccountUnknown',
      message: 'the run was given no account id, which S3 Control GetPublicAccessBlock requires',
    });
  else {
    try {
      accountBlock = await readAccountBlock(ctx, ctx.account);
    } catch (err) {
      errors.push(errorEntry(err, home, 's3:GetAccountPublicAccessBlock'));
    }
  }
  const settings = accountBlock?.settings ?? NO_BLOCK;
  if (accountNeutralisesAll(settings)) {
    // Still list the buckets (one call per 1000), so the evidence names the population the verdict covers.
    let bucketsListed: number | undefined;
    try {
      const list = await listBuckets(ctx);
      bucketsListed = list.buckets.length + list.errors.length;
    } catch (err) {
      errors.push(errorEntry(err, home, 's3:ListBuckets'));
    }
    return {
      facts: { accountBlock, bucketsListed, perBucketReadsSkipped: true, buckets: [], bucketsNotRead: 0 },
      errors,
    };
  }
  const read = await readEachBucket(ctx, bucketExposureRead(settings));
  errors.push(...read.errors);
  return {
    facts: {
      accountBlock,
      ...(read.listed !== undefined ? { bucketsListed: read.listed } : {}),
      perBucketReadsSkipped: false,
      buckets: read.results,
      bucketsNotRead: read.notRead,
    },
    errors,
  };
}
