import {
  assessCounts,
  assessScanTypes,
  assessSla,
  assessVulnerabilities,
  failedStatusError,
  findingsReadable,
  listedSeverities,
  reduceFinding,
  regionCounts,
  regionStatus,
  type ReducedFinding,
  type RegionFindings,
  type RegionStatus,
  type VulnerabilitiesFacts,
} from '../../../lambdas/collectors/vulnerabilities/collector';
import { vulnerabilities } from '../../../lambdas/collectors/vulnerabilities/collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';

const NOW = new Date('2026-11-23T06:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

const enabledEverywhere = (region: string, over: Partial<RegionStatus> = {}): RegionStatus => ({
  region,
  accountId: '123456789012',
  answeredIn: 'accounts',
  accountStatus: 'ENABLED',
  scanTypes: {
    ec2: { status: 'ENABLED' },
    ecr: { status: 'ENABLED' },
    lambda: { status: 'ENABLED' },
    lambdaCode: { status: 'DISABLED' },
  },
  ...over,
});

const finding = (over: Partial<ReducedFinding> = {}): ReducedFinding => ({
  id: 'arn:aws:inspector2:us-east-1:123456789012:finding/abc',
  severity: 'CRITICAL',
  resourceType: 'AWS_EC2_INSTANCE',
  resourceId: 'i-1',
  resourceArn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1',
  packages: [{ name: 'openssl', version: '3.0.1', fixedInVersion: '3.0.2' }],
  firstObservedAt: ago(1),
  fixAvailable: 'YES',
  ...over,
});

const byType = (s: RegionStatus) =>
  Object.fromEntries(assessScanTypes(s).map((f) => [f.detail.scanType, f.status]));

describe('inspector-enabled', () => {
  it('PASSes enabled scan types, FAILs a disabled one and records Lambda code scanning as INFO', () => {
    const s = enabledEverywhere('us-east-1', {
      scanTypes: {
        ec2: { status: 'ENABLED' },
        ecr: { status: 'ENABLED' },
        lambda: { status: 'DISABLED' },
        lambdaCode: { status: 'DISABLED' },
      },
    });
    expect(byType(s)).toEqual({ ec2: 'PASS', ecr: 'PASS', lambda: 'FAIL', lambdaCode: 'INFO' });
    expect(assessScanTypes(s).map((f) => f.resource)).toEqual([
      'inspector2:us-east-1:ec2',
      'inspector2:us-east-1:ecr',
      'inspector2:us-east-1:lambda',
      'inspector2:us-east-1:lambdaCode',
    ]);
  });

  it.each([
    ['SUSPENDED', 'FAIL'],
    ['SUSPENDING', 'FAIL'],
    ['DISABLING', 'FAIL'],
    ['ENABLING', 'WARN'],
  ])('judges a scan type %s as %s', (status, expected) => {
    const s = enabledEverywhere('eu-west-1', {
      scanTypes: { ...enabledEverywhere('eu-west-1').scanTypes, ecr: { status } },
    });
    expect(byType(s).ecr).toBe(expected);
  });

  it('FAILs every judged scan type of a region where Inspector is DISABLED, saying so', () => {
    const s = enabledEverywhere('eu-west-1', {
      accountStatus: 'DISABLED',
      scanTypes: {
        ec2: { status: 'DISABLED' },
        ecr: { status: 'DISABLED' },
        lambda: { status: 'DISABLED' },
        lambdaCode: { status: 'DISABLED' },
      },
    });
    const fs = assessScanTypes(s);
    expect(fs.map((f) => f.status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'INFO']);
    expect(fs[0]!.detail.reason).toMatch(/Amazon Inspector is DISABLED in this region/);
  });

  it('FAILs a region where BatchGetAccountStatus names no status (never enabled)', () => {
    const fs = assessScanTypes(regionStatus('ap-south-1', [], []));
    expect(fs.map((f) => f.status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'INFO']);
    expect(fs[0]!.detail).toMatchObject({ answeredIn: 'none', scanStatus: null });
    expect(fs[0]!.detail.reason).toMatch(/never been enabled/);
  });

  it('judges no scan type of an account Inspector answers in failedAccounts: a failure to read is no verdict', () => {
    const s = regionStatus(
      'us-east-1',
      [],
      [
        {
          accountId: '123456789012',
          status: 'DISABLED',
          errorCode: 'ACCESS_DENIED',
          errorMessage: 'not authorized',
          resourceStatus: { ec2: 'DISABLED', ecr: 'ENABLED', lambda: 'DISABLED', lambdaCode: 'DISABLED' },
        },
      ],
    );
    expect(s).toMatchObject({ answeredIn: 'failedAccounts', errorCode: 'ACCESS_DENIED' });
    expect(assessScanTypes(s)).toEqual([]);
    expect(findingsReadable(s)).toBe(false);
    expect(failedStatusError(s)).toEqual({
      region: 'us-east-1',
      api: 'inspector2:BatchGetAccountStatus',
      code: 'ACCESS_DENIED',
      message:
        "Inspector could not read the account's status (failedAccounts, errorCode ACCESS_DENIED): not authorized",
    });
  });

  it('FAILs a judged scan type the answer leaves out, and keeps its error code when given', () => {
    const s = regionStatus(
      'us-east-1',
      [
        {
          accountId: '123456789012',
          state: { status: 'ENABLED', errorCode: undefined, errorMessage: undefined },
          resourceState: {
            ec2: { status: 'DISABLED', errorCode: 'SSM_UNAVAILABLE', errorMessage: 'SSM is not available' },
            ecr: { status: 'ENABLED', errorCode: undefined, errorMessage: undefined },
          } as never,
        },
      ],
      [],
    );
    const fs = assessScanTypes(s);
    expect(fs.map((f) => f.status)).toEqual(['FAIL', 'PASS', 'FAIL', 'INFO']);
    expect(fs[0]!.detail.scanErrorCode).toBe('SSM_UNAVAILABLE');
    expect(fs[2]!.detail.reason).toMatch(/no lambda status reported/);
  });
});

describe('vulnerability-sla', () => {
  it.each([
    ['CRITICAL', 7, 12, 'FAIL'],
    ['CRITICAL', 7, 6.5, 'WARN'],
    ['CRITICAL', 7, 7, 'WARN'],
    ['HIGH', 30, 31, 'FAIL'],
    ['HIGH', 30, 29, 'WARN'],
    ['CRITICAL', 3, 4, 'FAIL'],
  ])('%s with a %i-day SLA, first observed %d days ago: %s', (severity, sla, days, expected) => {
    const f = assessSla('us-east-1', finding({ severity, firstObservedAt: ago(days) }), sla, NOW);
    expect(f.status).toBe(expected);
    expect(f.detail).toMatchObject({
      slaDays: sla,
      ageDays: days,
      dueAt: new Date(NOW.getTime() - days * DAY + sla * DAY).toISOString(),
    });
  });

  it('keys the finding by the Inspector finding ARN and names the resource in the detail', () => {
    const f = assessSla('us-east-1', finding({ firstObservedAt: ago(12) }), 7, NOW);
    expect(f.resource).toBe('arn:aws:inspector2:us-east-1:123456789012:finding/abc');
    expect(f.detail).toMatchObject({
      resourceArn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1',
      fixAvailable: 'YES',
    });
    expect(f.detail.reason).toBe('critical finding open 12 days, more than its 7-day SLA (due 2026-11-18)');
  });

  it('WARNs a finding without firstObservedAt: it cannot be timed', () => {
    const f = assessSla('us-east-1', finding({ firstObservedAt: undefined }), 7, NOW);
    expect(f.status).toBe('WARN');
    expect(f.detail.reason).toMatch(/cannot be timed/);
  });
});

const region = (over: Partial<RegionFindings> = {}): RegionFindings => ({
  region: 'us-east-1',
  aggregated: { all: 20, critical: 1, high: 2, medium: 5, fixAvailable: 9 },
  listedSeverities: ['critical', 'high'],
  listed: [
    finding({ id: 'c1', severity: 'CRITICAL', firstObservedAt: ago(12) }),
    finding({ id: 'h1', severity: 'HIGH', firstObservedAt: ago(40), fixAvailable: 'NO' }),
    finding({ id: 'h2', severity: 'HIGH', firstObservedAt: ago(2) }),
  ],
  ...over,
});

describe('vulnerability-counts', () => {
  it('counts by severity, the rest of `all` as low/informational/untriaged, and fixes available', () => {
    const f = assessCounts(region());
    expect(f.status).toBe('INFO');
    expect(f.resource).toBe('inspector2:us-east-1');
    expect(f.detail).toMatchObject({
      counts: { critical: 1, high: 2, medium: 5, lowInformationalUntriaged: 12, all: 20, fixAvailable: 9 },
      fixAvailable: { all: 9, critical: 1, high: 1 },
    });
    expect(f.detail.aggregationDisagrees).toBeUndefined();
  });

  it('uses the ACTIVE listing for critical and high when the aggregation differs, and says so', () => {
    const r = region({ aggregated: { all: 25, critical: 2, high: 4, medium: 5 } });
    expect(regionCounts(r)).toMatchObject({ critical: 1, high: 2, lowInformationalUntriaged: 14, all: 22 });
    expect(assessCounts(r).detail.aggregationDisagrees).toEqual(['critical', 'high']);
  });

  it('takes a severity that is not listed from the aggregation', () => {
    const r = region({ listedSeverities: ['critical'], listed: [finding({ id: 'c1' })] });
    expect(regionCounts(r)).toMatchObject({ critical: 1, high: 2 });
  });

  it('counts nothing when the aggregation has no row for the account', () => {
    const r = region({ aggregated: undefined, listed: [] });
    expect(regionCounts(r)).toEqual({
      critical: 0,
      high: 0,
      medium: 0,
      lowInformationalUntriaged: 0,
      all: 0,
    });
  });
});

describe('assessVulnerabilities', () => {
  const facts: VulnerabilitiesFacts = {
    statuses: [enabledEverywhere('us-east-1')],
    findings: [region()],
  };

  it('judges each listed critical and high finding and sums the figures', () => {
    const { findings, figures } = assessVulnerabilities(facts, DEFAULT_SETTINGS, NOW);
    const sla = findings.filter((f) => f.check === 'vulnerability-sla');
    expect(sla.map((f) => [f.resource, f.status])).toEqual([
      ['c1', 'FAIL'],
      ['h1', 'FAIL'],
      ['h2', 'WARN'],
    ]);
    expect(figures).toMatchObject({
      regionsRead: 1,
      scanTypesEnabled: 3,
      scanTypesNotEnabled: 0,
      activeFindings: 20,
      activeCritical: 1,
      activeHigh: 2,
      activeMedium: 5,
      activeLowInformationalUntriaged: 12,
      activeFixAvailable: 9,
      criticalOverSla: 1,
      criticalWithinSla: 0,
      highOverSla: 1,
      highWithinSla: 1,
    });
  });

  it('counts only a severity the SLA has no value for', () => {
    const { findings } = assessVulnerabilities(facts, { remediationSlaDays: { critical: 7 } }, NOW);
    expect(findings.filter((f) => f.check === 'vulnerability-sla').map((f) => f.resource)).toEqual(['c1']);
    expect(listedSeverities({ critical: 7 })).toEqual(['critical']);
    expect(listedSeverities({ medium: 90 })).toEqual([]);
  });

  it('records the SLA and the judged severities in the policy', () => {
    expect(vulnerabilities.policy({ ...DEFAULT_SETTINGS, remediationSlaDays: { high: 14 } })).toMatchObject({
      remediationSlaDays: { high: 14 },
      judgedSeverities: ['high'],
      requiredScanTypes: ['ec2', 'ecr', 'lambda'],
    });
  });
});

describe('reduceFinding', () => {
  it("builds an EC2 instance's ARN in the region's partition and keeps an ECR image ARN", () => {
    const ec2 = reduceFinding('cn-north-1', {
      findingArn: 'arn:aws-cn:inspector2:cn-north-1:123456789012:finding/x',
      awsAccountId: '123456789012',
      severity: 'HIGH',
      resources: [{ type: 'AWS_EC2_INSTANCE', id: 'i-9', region: 'cn-north-1' }],
    } as never);
    expect(ec2.resourceArn).toBe('arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-9');
    const ecrArn = 'arn:aws:ecr:us-east-1:123456789012:repository/api/sha256:abc';
    const ecr = reduceFinding('us-east-1', {
      findingArn: 'f',
      severity: 'CRITICAL',
      firstObservedAt: new Date(ago(3)),
      fixAvailable: 'PARTIAL',
      resources: [{ type: 'AWS_ECR_CONTAINER_IMAGE', id: ecrArn }],
      packageVulnerabilityDetails: {
        vulnerabilityId: 'CVE-1',
        vulnerablePackages: Array.from({ length: 15 }, (_, i) => ({ name: `p${i}`, version: '1' })),
      },
      description: 'a long description that is not kept',
    } as never);
    expect(ecr).toMatchObject({ resourceArn: ecrArn, vulnerabilityId: 'CVE-1', fixAvailable: 'PARTIAL' });
    expect(ecr.firstObservedAt).toBe(ago(3));
    expect(ecr.packages).toHaveLength(10);
    expect(JSON.stringify(ecr)).not.toMatch(/long description/);
  });
});
