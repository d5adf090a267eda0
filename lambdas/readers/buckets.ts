import { GetBucketLocationCommand, paginateListBuckets, S3Client } from '@aws-sdk/client-s3';
import { Limiter, mapUntilDeadline, mapWithConcurrency } from '../aws/concurrency';
import { unreadEntry } from '../aws/deadline';
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

/**
 * Buckets per ListBuckets page: the largest S3 accepts (the S3 user guide, "Listing Amazon S3 general purpose
 * buckets": page sizes between 1 and 10,000). Any value makes S3 paginate and return each bucket's
 * BucketRegion; accounts above the default quota of 10,000 buckets must paginate.
 */
export const LIST_BUCKETS_PAGE_SIZE = 10_000;

/**
 * Per-bucket reads in flight across all regions at once. Each region's buckets have a pool of their own
 * (`settings.concurrency`, the setting's "per region and service"), so a slow or throttled region does not hold
 * up the others; this cap keeps an account with many configured regions from opening a pool's worth of sockets
 * in each (17 regions x 8 would be 136).
 *
 * What S3 documents (user guide, "Best practices design patterns: optimizing Amazon S3 performance"): at least
 * 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests a second per partitioned prefix of a bucket, with no
 * limit on prefixes, and 503 Slow Down while it scales, to be retried with backoff (the clients' standard
 * retries do). A bucket-configuration read (GetBucketEncryption, GetBucketPolicy...) is a GET on the bucket,
 * one per bucket per run, so no bucket's rate comes near its limit. What is not documented, and so assumed:
 * any rate per account or per regional endpoint for these reads; a pool per region of 8 (at most 64, the
 * setting's maximum) in flight, a few hundred calls a second at S3's latencies, stays orders of magnitude under
 * the per-prefix figure, and a throttle it did meet is retried per call.
 *
 * Why 48: beyond latency x vCPU share / CPU per call, calls in flight wait for the CPU, not for S3. At about
 * 1 ms of CPU per call (docs/PERFORMANCE.md, measured) and 50 ms a call, one vCPU (a 1,769 MB function) is
 * busy with 50 in flight; smaller functions sooner. Three regions at the default 8 (24) stay under it.
 */
export const BUCKET_READS_IN_FLIGHT_MAX = 48;

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
      for await (const page of paginateListBuckets({ client, pageSize: LIST_BUCKETS_PAGE_SIZE }, {}))
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
   * result: unreadable is not a pass) in ListBuckets order, then one `DeadlineExceeded` entry per region whose
   * buckets the run's deadline left unread; or the single ListBuckets error when the list itself failed.
   */
  readonly errors: readonly ErrorEntry[];
  /** Buckets ListBuckets returned, located or not; undefined when the list itself failed. */
  readonly listed?: number;
  /** Listed buckets without a result: region unknown, read failed, or left unread at the deadline. */
  readonly notRead: number;
}

type Outcome<T> = { readonly value: T } | { readonly error: ErrorEntry };

/**
 * Lists the account's buckets (`listBuckets`, shared within a run), then runs `read` on each through a client
 * of the bucket's region: a pool per region of `settings.concurrency` reads, all pools under
 * `BUCKET_READS_IN_FLIGHT_MAX`. A `notFound` error becomes its answer; any other failure becomes an error entry
 * naming the bucket, and a failed list becomes one `s3:ListBuckets` error entry. No read starts after the run's
 * soft deadline: what was read is kept, and the buckets left unread become one `DeadlineExceeded` entry per
 * region (the API is `each.api`, the message says how many of the region's buckets), so the run is PARTIAL and
 * says why. Results and errors are in ListBuckets order whatever order the reads finish in. Never throws.
 */
export async function readEachBucket<T>(
  ctx: GatherContext,
  each: PerBucketRead<T>,
): Promise<PerBucketResults<T>> {
  const home = ctx.settings.regions[0] ?? 'us-east-1';
  let list: BucketList;
  try {
    list = await listBuckets(ctx);
  } catch (err) {
    return { results: [], errors: [errorEntry(err, home, 's3:ListBuckets')], notRead: 0 };
  }
  const byRegion = new Map<string, number[]>();
  list.buckets.forEach((b, i) => {
    const indices = byRegion.get(b.region);
    if (indices) indices.push(i);
    else byRegion.set(b.region, [i]);
  });
  const outcomes = new Array<Outcome<T> | undefined>(list.buckets.length);
  const shared = new Limiter(BUCKET_READS_IN_FLIGHT_MAX);
  const regions = [...byRegion];
  const unread = await Promise.all(
    regions.map(async ([region, indices]) => {
      const client = ctx.clients.get(S3Client, region);
      const read = await mapUntilDeadline(
        indices,
        ctx.settings.concurrency,
        async (i): Promise<Outcome<T>> => {
          const b = list.buckets[i] as BucketRef;
          try {
            return { value: await each.read(client, b) };
          } catch (err) {
            if (isAwsError(err, each.notFound.code)) return { value: each.notFound.answer(b) };
            return { error: resourceError(err, b.region, each.api, b.name) };
          }
        },
        shared,
      );
      read.results.forEach((r, k) => {
        if (r) outcomes[indices[k] as number] = r.value;
      });
      return read.unread;
    }),
  );
  const results: T[] = [];
  const errors: ErrorEntry[] = [...list.errors];
  for (const o of outcomes) {
    if (!o) continue;
    if ('error' in o) errors.push(o.error);
    else results.push(o.value);
  }
  const listed = list.buckets.length + list.errors.length;
  regions.forEach(([region, indices], r) => {
    const n = unread[r] ?? 0;
    if (n > 0) errors.push(unreadEntry(region, each.api, n, indices.length, 'buckets'));
  });
  return { results, errors, listed, notRead: listed - results.length };
}
