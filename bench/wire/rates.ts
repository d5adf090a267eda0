/**
 * The request rates the wire server enforces, per account and region as AWS does, with each figure's source.
 * A rule covers a service's APIs (or one API); `bucket: 'api'` gives every API its own bucket, `'service'`
 * one bucket for all the APIs the rule covers (ELB's Describe* class, RDS's account-wide limit). A throttled
 * request is answered with the service's own throttling error, which the SDK's retry strategy recognises.
 *
 * "Documented" figures were read from the service's own pages (through the search tool, 2026-12-01);
 * "assumed" ones are the benchmark's choice where a service publishes no request rate, set generously (20
 * per second, burst 40) so that they slow a run only where a real client would also be hammering the API:
 * a collector paginating one call after another at 50 ms a call makes 20 calls a second.
 */
export interface RateRule {
  /** `S3` (every API of the service) or `CloudTrail:LookupEvents` (one API; wins over the service's rule). */
  readonly match: string;
  readonly burst: number;
  readonly refillPerSecond: number;
  readonly bucket: 'api' | 'service';
  /** The service's throttling error code and HTTP status. */
  readonly code: string;
  readonly status: number;
  readonly source: string;
}

const ASSUMED = 'assumed: no published request rate; 20/s, burst 40 (see the note above)';

export const RATE_RULES: readonly RateRule[] = [
  {
    match: 'EC2',
    burst: 100,
    refillPerSecond: 20,
    bucket: 'api',
    code: 'RequestLimitExceeded',
    status: 503,
    source:
      'documented: EC2 Developer Guide, "Request throttling for the Amazon EC2 API": a token bucket per API and Region; its non-mutating example (DescribeHosts) holds 100 tokens and refills 20 a second, applied here to every EC2 API read',
  },
  {
    match: 'ElasticLoadBalancingV2',
    burst: 40,
    refillPerSecond: 10,
    bucket: 'service',
    code: 'ThrottlingException',
    status: 400,
    source:
      'documented: ELB User Guide, "Request throttling for the ELB API": non-mutating (Describe*) actions share a bucket of 40 tokens refilled 10 a second, per account and Region; each API version has its own',
  },
  {
    match: 'ElasticLoadBalancing',
    burst: 40,
    refillPerSecond: 10,
    bucket: 'service',
    code: 'ThrottlingException',
    status: 400,
    source:
      'documented: as ElasticLoadBalancingV2 (ELB API version 1, Classic Load Balancers, has its own bucket)',
  },
  {
    match: 'RDS',
    burst: 300,
    refillPerSecond: 12,
    bucket: 'service',
    code: 'ThrottlingException',
    status: 400,
    source:
      'documented: RDS User Guide, "Request throttling for the Amazon RDS API": by default up to 300 requests in a burst and 12 a second sustained, per account and Region (one bucket for every RDS API here)',
  },
  {
    match: 'CloudTrail:LookupEvents',
    burst: 2,
    refillPerSecond: 2,
    bucket: 'api',
    code: 'ThrottlingException',
    status: 400,
    source:
      'documented: CloudTrail API Reference, LookupEvents: "limited to two per second, per account, per Region" (burst assumed 2)',
  },
  {
    match: 'S3',
    burst: 5500,
    refillPerSecond: 5500,
    bucket: 'api',
    code: 'SlowDown',
    status: 503,
    source:
      'documented: S3 User Guide, performance guidelines: at least 5,500 GET/HEAD requests a second per partitioned prefix; each bucket is its own prefix, so applying it per API is a lower bound',
  },
  {
    match: 'IAM',
    burst: 40,
    refillPerSecond: 20,
    bucket: 'api',
    code: 'Throttling',
    status: 400,
    source: ASSUMED,
  },
  {
    match: 'STS',
    burst: 40,
    refillPerSecond: 20,
    bucket: 'api',
    code: 'Throttling',
    status: 400,
    source: ASSUMED,
  },
  {
    match: 'S3Control',
    burst: 40,
    refillPerSecond: 20,
    bucket: 'api',
    code: 'SlowDown',
    status: 503,
    source: ASSUMED,
  },
];

/** Every other service: JSON protocols answer `ThrottlingException`. */
export const DEFAULT_RULE: RateRule = {
  match: '*',
  burst: 40,
  refillPerSecond: 20,
  bucket: 'api',
  code: 'ThrottlingException',
  status: 400,
  source: ASSUMED,
};

/** The rule for an API (`Service:Operation`): its own, else its service's, else the default. */
export function ruleFor(api: string, rules: readonly RateRule[] = RATE_RULES): RateRule {
  const service = api.split(':')[0]!;
  return rules.find((r) => r.match === api) ?? rules.find((r) => r.match === service) ?? DEFAULT_RULE;
}

/** The bucket an API call in a region draws from. */
export function bucketKey(api: string, region: string, rule: RateRule = ruleFor(api)): string {
  return `${rule.bucket === 'service' ? rule.match : api}@${region}`;
}

/** The throttling error code of a service (for the old per-call `--throttle-rate`, answered the same way). */
export function throttleErrorFor(api: string): { code: string; status: number } {
  const r = ruleFor(api);
  return { code: r.code, status: r.status };
}
