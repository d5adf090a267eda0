import { GetBucketLocationCommand, paginateListBuckets, S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../aws/concurrency';
import type { ErrorEntry } from '../evidence/envelope';
import type { GatherContext } from '../collectors/collector';
import { errorEntry, isAwsError, resourceError, withApi } from '../aws/aws-error';
import { partitionOf } from '../aws/arn';

export interface BucketRef {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** Buckets are account-wide: one outside the configured regions is still evaluated, and says so. */
  readonly outsideConfiguredRegions: boolean;
}

export interface BucketList {
  readonly buckets: readonly BucketRef[];
  readonly errors: readonly ErrorEntry[];
}

/** GetBucketLocation answers null for us-east-1 and the legacy `EU` for eu-west-1. */
export function regionFromLocation(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

/** Buckets per ListBuckets page; any value makes S3 paginate and return each bucket's BucketRegion. */
const PAGE_SIZE = 1000;

/**
 * Every general purpose bucket of the account with its region. ListBuckets is global: it is called once,
 * through the first configured region. A bucket whose region cannot be read becomes an error entry and is
 * left out, so nothing is judged against the wrong regional endpoint. Throws when the list itself fails.
 */
export function listBuckets(ctx: GatherContext): Promise<BucketList> {
  return ctx.memo('s3:buckets', async () => {
    const home = ctx.settings.regions[0] ?? 'us-east-1';
    const client = ctx.clients.get(S3Client, home);
    const listed: { name: string; region?: string }[] = [];
    await withApi('s3:ListBuckets', async () => {
      for await (const page of paginateListBuckets({ client, pageSize: PAGE_SIZE }, {}))
        for (const b of page.Buckets ?? [])
          if (b.Name) listed.push({ name: b.Name, ...(b.BucketRegion ? { region: b.BucketRegion } : {}) });
    });
    const errors: ErrorEntry[] = [];
    const located = await mapWithConcurrency(listed, ctx.settings.concurrency, async (b) => {
      if (b.region) return { name: b.name, region: b.region };
      try {
        const out = await client.send(new GetBucketLocationCommand({ Bucket: b.name }));
        return { name: b.name, region: regionFromLocation(out.LocationConstraint) };
      } catch (err) {
        errors.push(resourceError(err, home, 's3:GetBucketLocation', b.name));
        return undefined;
      }
    });
    const configured = new Set(ctx.settings.regions);
    const buckets = located.flatMap((b) =>
      b
        ? [
            {
              name: b.name,
              arn: `arn:${partitionOf(b.region)}:s3:::${b.name}`,
              region: b.region,
              outsideConfiguredRegions: !configured.has(b.region),
            },
          ]
        : [],
    );
    return { buckets, errors };
  });
}

/** One per-bucket S3 read, as `readEachBucket` runs it. */
export interface PerBucketRead<T> {
  /** The API read for each bucket (`s3:GetBucketPolicy`), named in its error entries. */
  readonly api: string;
  /** Reads one bucket through a client of the bucket's own region. */
  readonly read: (client: S3Client, bucket: BucketRef) => Promise<T>;
  /**
   * The error code S3 answers when the bucket simply has no such configuration (`NoSuchBucketPolicy`), and
   * what that answer means: a fact about the bucket, not an error.
   */
  readonly notFound: { readonly code: string; readonly answer: (bucket: BucketRef) => T };
}

export interface PerBucketResults<T> {
  /** One result per bucket that could be read, in ListBuckets order. */
  readonly results: readonly T[];
  /**
   * The list's own errors (unlocated buckets), then one per bucket whose read failed (that bucket has no
   * result: unreadable is not a pass), or the single ListBuckets error when the list itself failed.
   */
  readonly errors: readonly ErrorEntry[];
}

/**
 * Lists the account's buckets (`listBuckets`, shared within a run), then runs `read` on each with the
 * settings' bounded concurrency. A `notFound` error becomes its answer; any other failure becomes an error
 * entry naming the bucket, and a failed list becomes one `s3:ListBuckets` error entry. Never throws.
 */
export async function readEachBucket<T>(
  ctx: GatherContext,
  each: PerBucketRead<T>,
): Promise<PerBucketResults<T>> {
  const errors: ErrorEntry[] = [];
  try {
    const list = await listBuckets(ctx);
    errors.push(...list.errors);
    const read = await mapWithConcurrency(list.buckets, ctx.settings.concurrency, async (b) => {
      try {
        return { value: await each.read(ctx.clients.get(S3Client, b.region), b) };
      } catch (err) {
        if (isAwsError(err, each.notFound.code)) return { value: each.notFound.answer(b) };
        errors.push(resourceError(err, b.region, each.api, b.name));
        return undefined;
      }
    });
    return { results: read.flatMap((r) => (r ? [r.value] : [])), errors };
  } catch (err) {
    errors.push(errorEntry(err, ctx.settings.regions[0] ?? 'us-east-1', 's3:ListBuckets'));
    return { results: [], errors };
  }
}
