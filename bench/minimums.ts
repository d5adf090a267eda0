import { REGION_CONCURRENCY } from '../lambdas/readers/regions';
import { PAGE_INTERVAL_MS } from '../lambdas/collectors/console-signins/region-signins';
import { PAGE, RESTORE_JOBS_PER_REGION, type AccountCounts, type RegionCounts } from './synthetic-account';

/** Console sign-ins read two regions at a time (lambdas/collectors/console-signins/collector.ts). */
const SIGNIN_REGION_CONCURRENCY = 2;

export interface Floor {
  /** The fewest API calls that can produce this evidence for the account, at each API's largest page. */
  readonly minCalls: number;
  /** How the minimum is made up, for the doc. */
  readonly formula: string;
  /** The shortest wall time the injected latency allows for those calls under the collector's own
   * concurrency (regions at once, resources at once, and any pacing it imposes). */
  readonly wallFloorMs: number;
}

const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/** Longest finish time when `workers` take the tasks in order, as mapWithConcurrency does. */
export function makespan(durations: readonly number[], workers: number): number {
  const free = Array.from({ length: Math.min(workers, durations.length) }, () => 0);
  for (const d of durations) {
    let w = 0;
    for (let i = 1; i < free.length; i++) if (free[i]! < free[w]!) w = i;
    free[w]! += d;
  }
  return Math.max(0, ...free);
}

const sum = (rs: readonly RegionCounts[], f: (r: RegionCounts) => number) => rs.reduce((n, r) => n + f(r), 0);

const rdsPages = (r: RegionCounts) => pages(r.instances, PAGE.rds!.max) + pages(r.clusters, PAGE.rds!.max);

/**
 * Derives each collector's minimum from the account's sizes and the documented page sizes (see PAGE in
 * synthetic-account.ts). Per-resource calls with no batch API (GetBucketEncryption, GetBucketPolicy,
 * DescribeListeners per load balancer, DescribeRules per listener, one parameter read per parameter group)
 * count one each: nothing can do better.
 */
export function floors(c: AccountCounts, latencyMs: number, concurrency: number): Record<string, Floor> {
  const L = latencyMs;
  const rs = c.regions;
  const bucketList = pages(c.buckets, PAGE.s3ListBuckets!.max);
  const bucketsWall = L * (bucketList + Math.ceil(c.buckets / concurrency));
  const iamMfa = 2 + pages(c.virtualMfaDevices, PAGE.iam!.max);
  const access = 2 + pages(c.authorizationItems, PAGE.iam!.max);
  const net = (r: RegionCounts) =>
    pages(r.securityGroups, PAGE.ec2!.max) + (r.worldOpenGroups > 0 ? pages(r.interfaces, PAGE.ec2!.max) : 0);
  const signinPages = (r: RegionCounts) => pages(r.signins, PAGE.lookupEvents!.max);
  const signin = (r: RegionCounts) => 1 + r.trails + signinPages(r);
  const jobs = (r: RegionCounts) => pages(r.backupJobs, PAGE.backup!.max);
  /** ListProtectedResources (one EFS file system per seven jobs) + ListRestoreJobs, read one after the other. */
  const restores = (r: RegionCounts) =>
    pages(r.backupJobs > 0 ? Math.ceil(r.backupJobs / 7) : 0, PAGE.backup!.max) +
    pages(RESTORE_JOBS_PER_REGION, PAGE.backup!.max);
  const ebs = (r: RegionCounts) => 1 + pages(r.unencryptedVolumes, PAGE.ec2Volumes!.max);
  const lbCalls = (r: RegionCounts) =>
    pages(r.loadBalancers, PAGE.elb!.max) +
    r.loadBalancers +
    r.redirectListeners +
    (r.sslListeners > 0 ? pages(c.sslPolicies, PAGE.elb!.max) : 0);
  const tlsDb = (r: RegionCounts) => rdsPages(r) + r.parameterGroupsRead;
  // Classic Load Balancers: DescribeLoadBalancers pages, one DescribeLoadBalancerPolicies per load balancer
  // with an HTTPS or SSL listener (their ARNs take the run's account: no STS call).
  const classicCalls = (r: RegionCounts) =>
    pages(r.classicLoadBalancers, PAGE.elb!.max) + r.classicTlsLoadBalancers;
  const rdsWall = makespan(
    rs.map((r) => L * rdsPages(r)),
    REGION_CONCURRENCY,
  );
  return {
    'iam-mfa': {
      minCalls: iamMfa,
      formula: `GenerateCredentialReport + GetCredentialReport + ceil(${c.virtualMfaDevices} virtual MFA devices / ${PAGE.iam!.max})`,
      wallFloorMs: L * iamMfa,
    },
    'inactive-users': {
      minCalls: 2,
      formula: 'GenerateCredentialReport + GetCredentialReport',
      wallFloorMs: 2 * L,
    },
    'access-review': {
      minCalls: access,
      formula: `credential report (2) + ceil(${c.authorizationItems} authorization entries / ${PAGE.iam!.max})`,
      wallFloorMs: L * access,
    },
    'network-exposure': {
      minCalls: sum(rs, net),
      formula: `per region: ceil(groups / ${PAGE.ec2!.max}) + ceil(interfaces / ${PAGE.ec2!.max}) when a group is world-open`,
      wallFloorMs: makespan(
        rs.map((r) => L * net(r)),
        REGION_CONCURRENCY,
      ),
    },
    'console-signins': {
      minCalls: sum(rs, signin),
      formula: `per region: DescribeTrails + GetTrailStatus per trail + ceil(events / ${PAGE.lookupEvents!.max})`,
      // The collector starts consecutive LookupEvents calls of a region at least 500 ms apart (the API's 2 TPS
      // limit): each page but the last costs max(latency, 500 ms), part of its floor.
      wallFloorMs: makespan(
        rs.map((r) => L * signin(r) + (signinPages(r) - 1) * Math.max(0, PAGE_INTERVAL_MS - L)),
        SIGNIN_REGION_CONCURRENCY,
      ),
    },
    backups: {
      minCalls: sum(rs, (r) => rdsPages(r) + jobs(r) + restores(r)),
      formula: `per region: ceil(instances / ${PAGE.rds!.max}) + ceil(clusters / ${PAGE.rds!.max}) + ceil(jobs / ${PAGE.backup!.max}) + ceil(protected resources / ${PAGE.backup!.max}) + ceil(restore jobs / ${PAGE.backup!.max})`,
      wallFloorMs: Math.max(
        rdsWall,
        makespan(
          rs.map((r) => L * jobs(r)),
          REGION_CONCURRENCY,
        ),
        makespan(
          rs.map((r) => L * restores(r)),
          REGION_CONCURRENCY,
        ),
      ),
    },
    encryption: {
      minCalls: sum(rs, (r) => rdsPages(r) + ebs(r)) + bucketList + c.buckets,
      formula: `per region: RDS pages + GetEbsEncryptionByDefault + DescribeVolumes pages; ListBuckets pages + GetBucketEncryption per bucket (${c.buckets})`,
      wallFloorMs:
        Math.max(
          rdsWall,
          makespan(
            rs.map((r) => L * ebs(r)),
            REGION_CONCURRENCY,
          ),
        ) + bucketsWall,
    },
    tls: {
      minCalls: sum(rs, (r) => lbCalls(r) + classicCalls(r) + tlsDb(r)) + bucketList + c.buckets,
      formula: `per region: DescribeLoadBalancers pages + DescribeListeners per LB + DescribeRules per redirecting HTTP listener + DescribeSSLPolicies + Classic DescribeLoadBalancers pages (${PAGE.elb!.max}) + DescribeLoadBalancerPolicies per Classic LB with an HTTPS/SSL listener + RDS pages + one parameter read per parameter group; ListBuckets pages + GetBucketPolicy per bucket (${c.buckets})`,
      wallFloorMs: Math.max(
        makespan(
          rs.map(
            (r) =>
              L *
              (pages(r.loadBalancers, PAGE.elb!.max) +
                Math.ceil((r.loadBalancers + r.redirectListeners) / concurrency) +
                (r.sslListeners > 0 ? 1 : 0)),
          ),
          REGION_CONCURRENCY,
        ),
        makespan(
          rs.map(
            (r) =>
              L *
              (pages(r.classicLoadBalancers, PAGE.elb!.max) +
                (r.classicLoadBalancers > 0 ? 1 : 0) +
                Math.ceil(r.classicTlsLoadBalancers / concurrency)),
          ),
          REGION_CONCURRENCY,
        ),
        makespan(
          rs.map((r) => L * (rdsPages(r) + Math.ceil(r.parameterGroupsRead / concurrency))),
          REGION_CONCURRENCY,
        ),
        bucketsWall,
      ),
    },
  };
}

/** The naive baseline's calls: ListUsers at the default page, then per user and per key. */
export function naiveCalls(c: AccountCounts): number {
  return pages(c.users, PAGE.iam!.dflt as number) + 3 * c.users + c.accessKeys;
}
