import { GetBucketLocationCommand, paginateListBuckets, S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../aws/concurrency';
import type { ErrorEntry } from '../evidence/envelope';
import type { GatherContext } from '../collectors/collector';
import { resourceError, withApi } from '../aws/aws-error';
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
