import {
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import type { GatherContext } from '../../lambdas/collectors/collector';
import {
  BUCKET_READS_IN_FLIGHT_MAX,
  readEachBucket,
  type BucketRef,
  type PerBucketRead,
} from '../../lambdas/readers/buckets';
import { runWithDeadline } from '../../lambdas/aws/deadline';
import { memoFrom } from '../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { awsError, regionOf } from '../helpers/regional-mock';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());

function context(concurrency = DEFAULT_SETTINGS.concurrency): GatherContext {
  return {
    clients: new ClientFactory(),
    settings: { ...DEFAULT_SETTINGS, regions: ['us-east-1', 'eu-west-1'], concurrency },
    now: new Date('2026-11-23T06:00:00Z'),
    memo: memoFrom(new Map()),
  };
}

/** A per-bucket read of the tag set, answered per bucket by the mock below. */
type Tagged = BucketRef & { readonly tags: number; readonly readIn?: string };
const READ_TAGS: PerBucketRead<Tagged> = {
  api: 's3:GetBucketTagging',
  read: async (client, b) => {
    const out = await client.send(new GetBucketTaggingCommand({ Bucket: b.name }));
    return { ...b, tags: out.TagSet?.length ?? 0, readIn: await client.config.region() };
  },
  notFound: { code: 'NoSuchTagSet', answer: (b) => ({ ...b, tags: 0 }) },
};

function listing(...buckets: { Name: string; BucketRegion?: string }[]) {
  s3.on(ListBucketsCommand).resolves({ Buckets: buckets });
}

describe('readEachBucket', () => {
  it('reads every bucket through its own region, in list order, with the not-found answer as a result', async () => {
    listing(
      { Name: 'tagged', BucketRegion: 'eu-west-1' },
      { Name: 'untagged', BucketRegion: 'us-east-1' },
      { Name: 'far', BucketRegion: 'ap-southeast-2' },
    );
    s3.on(GetBucketTaggingCommand).callsFake(async (input: { Bucket: string }) => {
      if (input.Bucket === 'untagged') throw awsError('NoSuchTagSet', 'The TagSet does not exist');
      return { TagSet: [{ Key: 'team', Value: input.Bucket }] };
    });

    const { results, errors } = await readEachBucket(context(1), READ_TAGS);

    expect(errors).toEqual([]);
    expect(results).toEqual([
      {
        name: 'tagged',
        arn: 'arn:aws:s3:::tagged',
        region: 'eu-west-1',
        outsideConfiguredRegions: false,
        tags: 1,
        readIn: 'eu-west-1',
      },
      {
        name: 'untagged',
        arn: 'arn:aws:s3:::untagged',
        region: 'us-east-1',
        outsideConfiguredRegions: false,
        tags: 0,
      },
      {
        name: 'far',
        arn: 'arn:aws:s3:::far',
        region: 'ap-southeast-2',
        outsideConfiguredRegions: true,
        tags: 1,
        readIn: 'ap-southeast-2',
      },
    ]);
  });

  it('turns other failures into error entries naming the bucket, after the list errors, and leaves the bucket out', async () => {
    listing(
      { Name: 'denied', BucketRegion: 'eu-west-1' },
      { Name: 'lost' },
      { Name: 'ok', BucketRegion: 'us-east-1' },
    );
    s3.on(GetBucketLocationCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    s3.on(GetBucketTaggingCommand).callsFake(async (input: { Bucket: string }, getClient) => {
      if (input.Bucket === 'denied')
        throw awsError('AccessDenied', `Access Denied in ${await regionOf(getClient)}`);
      return { TagSet: [] };
    });

    const { results, errors } = await readEachBucket(context(), READ_TAGS);

    expect(results.map((r) => r.name)).toEqual(['ok']);
    expect(errors).toEqual([
      {
        region: 'us-east-1',
        api: 's3:GetBucketLocation',
        code: 'AccessDenied',
        message: 'lost: Access Denied',
      },
      {
        region: 'eu-west-1',
        api: 's3:GetBucketTagging',
        code: 'AccessDenied',
        message: 'denied: Access Denied in eu-west-1',
      },
    ]);
  });

  it('answers a failed ListBuckets with one error entry in the first configured region, and no results', async () => {
    s3.on(ListBucketsCommand).rejects(
      awsError('AccessDenied', 'not authorized to perform s3:ListAllMyBuckets'),
    );

    const { results, errors } = await readEachBucket(context(), READ_TAGS);

    expect(results).toEqual([]);
    expect(errors).toEqual([
      {
        region: 'us-east-1',
        api: 's3:ListBuckets',
        code: 'AccessDenied',
        message: 'not authorized to perform s3:ListAllMyBuckets',
      },
    ]);
    expect(s3.commandCalls(GetBucketTaggingCommand)).toHaveLength(0);
  });

  it('keeps at most `concurrency` reads in flight', async () => {
    listing(...Array.from({ length: 7 }, (_, i) => ({ Name: `b${i}`, BucketRegion: 'us-east-1' })));
    let inFlight = 0;
    let most = 0;
    s3.on(GetBucketTaggingCommand).callsFake(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { TagSet: [] };
    });

    const { results } = await readEachBucket(context(3), READ_TAGS);

    expect(results).toHaveLength(7);
    expect(most).toBe(3);
  });
});

describe('readEachBucket: pools per region and the deadline', () => {
  const inRegions = (perRegion: number, ...regions: string[]) =>
    listing(
      ...Array.from({ length: perRegion }, (_, i) =>
        regions.map((r) => ({ Name: `${r}-b${i}`, BucketRegion: r })),
      ).flat(),
    );

  afterEach(() => jest.restoreAllMocks());

  it('gives each region a pool of `concurrency` reads of its own', async () => {
    inRegions(4, 'us-east-1', 'eu-west-1', 'ap-southeast-2');
    const inFlight = new Map<string, number>();
    const most = new Map<string, number>();
    let total = 0;
    let mostTotal = 0;
    s3.on(GetBucketTaggingCommand).callsFake(async (_input, getClient) => {
      const region = await regionOf(getClient);
      inFlight.set(region, (inFlight.get(region) ?? 0) + 1);
      most.set(region, Math.max(most.get(region) ?? 0, inFlight.get(region)!));
      mostTotal = Math.max(mostTotal, ++total);
      await new Promise((r) => setTimeout(r, 10));
      inFlight.set(region, inFlight.get(region)! - 1);
      total--;
      return { TagSet: [] };
    });

    const { results } = await readEachBucket(context(2), READ_TAGS);

    expect(results).toHaveLength(12);
    expect([...most.values()]).toEqual([2, 2, 2]);
    expect(mostTotal).toBe(6);
  });

  it(`keeps at most ${BUCKET_READS_IN_FLIGHT_MAX} reads in flight across all regions`, async () => {
    const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1'];
    inRegions(20, ...regions);
    let total = 0;
    let mostTotal = 0;
    s3.on(GetBucketTaggingCommand).callsFake(async () => {
      mostTotal = Math.max(mostTotal, ++total);
      await new Promise((r) => setTimeout(r, 10));
      total--;
      return { TagSet: [] };
    });

    const { results } = await readEachBucket(context(20), READ_TAGS);

    expect(results).toHaveLength(100);
    expect(mostTotal).toBe(BUCKET_READS_IN_FLIGHT_MAX);
  });

  it('returns results and errors in ListBuckets order whatever order the reads end in', async () => {
    listing(
      { Name: 'slow-denied', BucketRegion: 'eu-west-1' },
      { Name: 'slow', BucketRegion: 'us-east-1' },
      { Name: 'fast-denied', BucketRegion: 'eu-west-1' },
      { Name: 'fast', BucketRegion: 'us-east-1' },
    );
    s3.on(GetBucketTaggingCommand).callsFake(async (input: { Bucket: string }) => {
      await new Promise((r) => setTimeout(r, input.Bucket.startsWith('slow') ? 30 : 1));
      if (input.Bucket.endsWith('denied')) throw awsError('AccessDenied', 'Access Denied');
      return { TagSet: [] };
    });

    const { results, errors, listed, notRead } = await readEachBucket(context(), READ_TAGS);

    expect(results.map((r) => r.name)).toEqual(['slow', 'fast']);
    expect(errors.map((e) => e.message)).toEqual([
      'slow-denied: Access Denied',
      'fast-denied: Access Denied',
    ]);
    expect({ listed, notRead }).toEqual({ listed: 4, notRead: 2 });
  });

  it('reads no bucket after the soft deadline: keeps what it read and names, per region, how many were not', async () => {
    inRegions(3, 'us-east-1', 'eu-west-1');
    let clock = 5_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const read: string[] = [];
    s3.on(GetBucketTaggingCommand).callsFake(async (input: { Bucket: string }) => {
      read.push(input.Bucket);
      clock += 10; // the deadline passes while the fourth read is in flight
      return { TagSet: [] };
    });

    const out = await runWithDeadline(clock + 35, () => readEachBucket(context(1), READ_TAGS));

    expect(read).toHaveLength(4);
    expect(out.results.map((r) => r.name).sort()).toEqual([...read].sort());
    const unread = out.errors.filter((e) => e.code === 'DeadlineExceeded');
    expect(unread).toEqual([
      {
        region: 'us-east-1',
        api: 's3:GetBucketTagging',
        code: 'DeadlineExceeded',
        message: '1 of 3 buckets in us-east-1 were not read: the run stopped before the Lambda time limit',
      },
      {
        region: 'eu-west-1',
        api: 's3:GetBucketTagging',
        code: 'DeadlineExceeded',
        message: '1 of 3 buckets in eu-west-1 were not read: the run stopped before the Lambda time limit',
      },
    ]);
    expect(out.errors).toEqual(unread);
    expect({ listed: out.listed, notRead: out.notRead }).toEqual({ listed: 6, notRead: 2 });
  });
});
