import type { Answers } from '../../cli/demo/offline-clients';
import { floors, naiveCalls } from '../../bench/minimums';
import { parseBenchArgs } from '../../bench/run';
import { SyntheticAccount, type AccountSizes } from '../../bench/synthetic-account';

const NOW = new Date('2026-03-02T12:00:00Z');
const SIZES: AccountSizes = {
  users: 1234,
  buckets: 321,
  databases: 150,
  auroraClusters: 30,
  loadBalancers: 45,
  backupJobs: 2500,
  regions: 3,
  securityGroups: 210,
  signinEvents: 333,
};

type Page = Record<string, unknown>;

/** Follows an API's token to the end, asserting every page respects the size asked for. */
async function all(
  answers: Answers,
  api: string,
  region: string,
  list: string,
  token: { in: string; out: string },
  size: { name: string; value?: number; max: number },
  input: Page = {},
): Promise<{ items: Page[]; pages: number }> {
  const answer = answers[api]!;
  const items: Page[] = [];
  let next: unknown;
  let pages = 0;
  do {
    const page = (await answer(
      { ...input, ...(size.value ? { [size.name]: size.value } : {}), ...(next ? { [token.in]: next } : {}) },
      region,
    )) as Page;
    pages++;
    const got = (page[list] as Page[]) ?? [];
    expect(got.length).toBeLessThanOrEqual(Math.min(size.value ?? size.max, size.max));
    items.push(...got);
    next = page[token.out];
  } while (next);
  return { items, pages };
}

const unique = (xs: Page[], key: string) => new Set(xs.map((x) => x[key])).size;

describe('synthetic account', () => {
  it('is the same account for the same seed, and another for another seed', async () => {
    const a = new SyntheticAccount(7, SIZES, NOW).answers();
    const b = new SyntheticAccount(7, SIZES, NOW).answers();
    const c = new SyntheticAccount(8, SIZES, NOW).answers();
    const report = (x: Answers) =>
      Buffer.from(
        (x['IAM:GetCredentialReport']!({}, 'us-east-1') as { Content: Uint8Array }).Content,
      ).toString();
    expect(report(a)).toBe(report(b));
    expect(report(a)).not.toBe(report(c));
    const lbs = (x: Answers) =>
      JSON.stringify(x['ElasticLoadBalancingV2:DescribeLoadBalancers']!({}, 'eu-west-1'));
    expect(lbs(a)).toBe(lbs(b));
    const jobs = (x: Answers) => JSON.stringify(x['Backup:ListBackupJobs']!({}, 'us-east-1'));
    expect(jobs(a)).toBe(jobs(b));
    expect(jobs(a)).not.toBe(jobs(c));
  });

  it('honours the sizes: users, buckets, databases, load balancers, jobs, groups and events', async () => {
    const account = new SyntheticAccount(7, SIZES, NOW);
    const answers = account.answers();
    expect(account.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    const csv = Buffer.from(
      (answers['IAM:GetCredentialReport']!({}, 'us-east-1') as { Content: Uint8Array }).Content,
    ).toString();
    // Header, root, one row per user.
    expect(csv.trimEnd().split('\n')).toHaveLength(SIZES.users + 2);

    const buckets = await all(
      answers,
      'S3:ListBuckets',
      'us-east-1',
      'Buckets',
      { in: 'ContinuationToken', out: 'ContinuationToken' },
      { name: 'MaxBuckets', value: 100, max: 10_000 },
    );
    expect(buckets.items).toHaveLength(SIZES.buckets);
    expect(buckets.pages).toBe(4);

    let instances = 0;
    let clusters = 0;
    let lbs = 0;
    let jobs = 0;
    let groups = 0;
    let events = 0;
    for (const region of account.regions) {
      instances += (
        await all(
          answers,
          'RDS:DescribeDBInstances',
          region,
          'DBInstances',
          { in: 'Marker', out: 'Marker' },
          { name: 'MaxRecords', max: 100 },
        )
      ).items.length;
      clusters += (
        await all(
          answers,
          'RDS:DescribeDBClusters',
          region,
          'DBClusters',
          { in: 'Marker', out: 'Marker' },
          { name: 'MaxRecords', max: 100 },
        )
      ).items.length;
      lbs += (
        await all(
          answers,
          'ElasticLoadBalancingV2:DescribeLoadBalancers',
          region,
          'LoadBalancers',
          { in: 'Marker', out: 'NextMarker' },
          { name: 'PageSize', value: 7, max: 400 },
        )
      ).items.length;
      jobs += (
        await all(
          answers,
          'Backup:ListBackupJobs',
          region,
          'BackupJobs',
          { in: 'NextToken', out: 'NextToken' },
          { name: 'MaxResults', max: 1000 },
        )
      ).items.length;
      groups += (
        await all(
          answers,
          'EC2:DescribeSecurityGroups',
          region,
          'SecurityGroups',
          { in: 'NextToken', out: 'NextToken' },
          { name: 'MaxResults', value: 50, max: 1000 },
        )
      ).items.length;
      events += (
        await all(
          answers,
          'CloudTrail:LookupEvents',
          region,
          'Events',
          { in: 'NextToken', out: 'NextToken' },
          { name: 'MaxResults', value: 50, max: 50 },
        )
      ).items.length;
    }
    // Aurora clusters list their two members among the instances.
    expect(instances).toBe(SIZES.databases + 2 * SIZES.auroraClusters);
    expect(clusters).toBe(SIZES.auroraClusters);
    expect(lbs).toBe(SIZES.loadBalancers);
    expect(jobs).toBe(SIZES.backupJobs);
    expect(groups).toBe(SIZES.securityGroups);
    expect(events).toBe(SIZES.signinEvents);
  });

  it('returns every item exactly once across pages, at the default and at a requested page size', async () => {
    const account = new SyntheticAccount(3, SIZES, NOW);
    const answers = account.answers();
    const users = await all(
      answers,
      'IAM:ListUsers',
      'us-east-1',
      'Users',
      { in: 'Marker', out: 'Marker' },
      { name: 'MaxItems', max: 1000 },
    );
    expect(users.pages).toBe(Math.ceil(SIZES.users / 100)); // IAM's default page is 100
    expect(unique(users.items, 'UserName')).toBe(SIZES.users);

    const details = await all(
      answers,
      'IAM:GetAccountAuthorizationDetails',
      'us-east-1',
      'UserDetailList',
      { in: 'Marker', out: 'Marker' },
      { name: 'MaxItems', value: 1000, max: 1000 },
    );
    expect(unique(details.items, 'UserName')).toBe(SIZES.users);
    expect(details.pages).toBe(Math.ceil(account.authorizationItems() / 1000));

    const mfa = await all(
      answers,
      'IAM:ListVirtualMFADevices',
      'us-east-1',
      'VirtualMFADevices',
      { in: 'Marker', out: 'Marker' },
      { name: 'MaxItems', value: 37, max: 1000 },
    );
    expect(unique(mfa.items, 'SerialNumber')).toBe(mfa.items.length);
    expect(mfa.items.length).toBe(account.counts().virtualMfaDevices);

    for (const region of account.regions) {
      const enis = await all(
        answers,
        'EC2:DescribeNetworkInterfaces',
        region,
        'NetworkInterfaces',
        { in: 'NextToken', out: 'NextToken' },
        { name: 'MaxResults', value: 11, max: 1000 },
      );
      expect(unique(enis.items, 'NetworkInterfaceId')).toBe(enis.items.length);
      expect(enis.items.length).toBe(account.countIn(account.interfaces, region));
      const ev = await all(
        answers,
        'CloudTrail:LookupEvents',
        region,
        'Events',
        { in: 'NextToken', out: 'NextToken' },
        { name: 'MaxResults', value: 9, max: 50 },
      );
      expect(unique(ev.items, 'EventId')).toBe(account.signinsIn(region));
    }
  });

  it('rejects a token from another API, as AWS does', () => {
    const answers = new SyntheticAccount(1, SIZES, NOW).answers();
    const first = answers['IAM:ListUsers']!({}, 'us-east-1') as { Marker: string };
    expect(() => answers['IAM:ListVirtualMFADevices']!({ Marker: first.Marker }, 'us-east-1')).toThrow(
      /invalid pagination token/,
    );
  });

  it('derives minimum calls from the sizes: iam-mfa is constant in the user count', () => {
    const small = new SyntheticAccount(1, SIZES, NOW).counts();
    const f = floors(small, 25, 8);
    expect(f['inactive-users']!.minCalls).toBe(2);
    expect(f['iam-mfa']!.minCalls).toBe(2 + Math.ceil(small.virtualMfaDevices / 1000));
    expect(f.encryption!.minCalls).toBeGreaterThan(SIZES.buckets);
    expect(naiveCalls(small)).toBe(Math.ceil(SIZES.users / 100) + 3 * SIZES.users + small.accessKeys);
  });
});

describe('bench flags', () => {
  it('parses the flags and refuses bad values with a clear message', () => {
    expect(parseBenchArgs(['--users', '50', '--regions', '2', '--throttle-rate', '0.1'])).toMatchObject({
      users: 50,
      regions: 2,
      throttleRate: 0.1,
      latencyMs: 25,
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() => parseBenchArgs(['--users', 'x'])).toThrow('--users must be a positive integer, got "x"');
    expect(() => parseBenchArgs(['--latency-ms', '-1'])).toThrow(
      /--latency-ms must be a non-negative integer/,
    );
    expect(() => parseBenchArgs(['--throttle-rate', '1.5'])).toThrow(/--throttle-rate must be a number/);
    stderr.mockRestore();
  });
});
