import {
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import type { GatherContext } from '../../lambdas/collectors/collector';
import { readEachBucket, type BucketRef, type PerBucketRead } from '../../lambdas/readers/buckets';
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
