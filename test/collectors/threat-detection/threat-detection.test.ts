import {
  AccessAnalyzerClient,
  ListAnalyzersCommand,
  type AnalyzerSummary,
} from '@aws-sdk/client-accessanalyzer';
import {
  GetDetectorCommand,
  GetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand,
  type Finding as SdkFinding,
} from '@aws-sdk/client-guardduty';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import {
  affectedResource,
  assessAccessAnalyzerRegion,
  assessGuardDutyRegion,
  assessSecurityHubRegion,
  assessThreatDetection,
  assessThreatFinding,
  severityBand,
  threatDetection,
  type AnalyzerFacts,
  type ThreatDetectionFacts,
  type ThreatFinding,
} from '../../../lambdas/collectors/threat-detection/collector';
import { memoFrom } from '../../../lambdas/run-collector';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { awsError, regionOf } from '../../helpers/regional-mock';
import { NOW, runInTempDir } from '../../helpers/run';

const gd = mockClient(GuardDutyClient);
const hub = mockClient(SecurityHubClient);
const aa = mockClient(AccessAnalyzerClient);
beforeEach(() => {
  gd.reset();
  hub.reset();
  aa.reset();
});

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const SETTINGS = { threatResponseHours: { critical: 24, high: 72 }, requireSecurityHub: false };
const REGIONS = ['us-east-1', 'eu-west-1'];

function finding(over: Partial<ThreatFinding> = {}): ThreatFinding {
  return {
    region: 'us-east-1',
    detectorId: 'det1',
    id: 'f1',
    arn: 'arn:aws:guardduty:us-east-1:123456789012:detector/det1/finding/f1',
    type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    severity: 8,
    createdAt: hoursAgo(10),
    updatedAt: hoursAgo(1),
    count: 3,
    resourceType: 'Instance',
    resource: 'i-0abc',
    ...over,
  };
}

function analyzer(type: string, status: string, over: Partial<AnalyzerFacts> = {}): AnalyzerFacts {
  return {
    arn: `arn:aws:access-analyzer:us-east-1:123456789012:analyzer/${type.toLowerCase()}`,
    name: type.toLowerCase(),
    type,
    status,
    ...over,
  };
}

describe('guardduty-enabled', () => {
  it.each([
    ['an ENABLED detector', [{ detectorId: 'd', status: 'ENABLED', features: [] }], 'PASS'],
    ['a DISABLED (suspended) detector', [{ detectorId: 'd', status: 'DISABLED', features: [] }], 'FAIL'],
    ['no detector', [], 'FAIL'],
  ])('%s', (_name, detectors, expected) => {
    expect(assessGuardDutyRegion({ region: 'eu-west-1', detectors }).status).toBe(expected);
  });

  it('records the protection plans and lists the disabled ones without changing the verdict', () => {
    const f = assessGuardDutyRegion({
      region: 'us-east-1',
      detectors: [
        {
          detectorId: 'd1',
          status: 'ENABLED',
          features: [
            { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
            { name: 'RUNTIME_MONITORING', status: 'DISABLED' },
          ],
        },
      ],
    });
    expect(f).toMatchObject({
      resource: 'guardduty:us-east-1',
      status: 'PASS',
      detail: { detectorId: 'd1', detectorStatus: 'ENABLED', featuresDisabled: ['RUNTIME_MONITORING'] },
    });
    expect(assessGuardDutyRegion({ region: 'eu-west-1', detectors: [] })).toMatchObject({
      resource: 'guardduty:eu-west-1',
      detail: { detectors: 0, reason: expect.stringMatching(/ListDetectors is empty/) },
    });
  });

  it('the resource is the region, the same with no detector, a suspended one or a re-created one', () => {
    const resources = [
      [],
      [{ detectorId: 'old', status: 'DISABLED' }],
      [{ detectorId: 'new', status: 'ENABLED' }],
    ].map((detectors) => assessGuardDutyRegion({ region: 'us-east-1', detectors } as never).resource);
    expect(resources).toEqual(['guardduty:us-east-1', 'guardduty:us-east-1', 'guardduty:us-east-1']);
  });
});

describe('guardduty-finding-response', () => {
  it.each([
    [6.9, undefined],
    [7, 'high'],
    [8.9, 'high'],
    [9, 'critical'],
    [10, 'critical'],
  ])('severity %s is %s', (severity, band) => {
    expect(severityBand(severity)).toBe(band);
  });

  it.each([
    ['critical past 24 hours', 'critical', 25, 24, 'FAIL'],
    ['critical within 24 hours', 'critical', 23, 24, 'WARN'],
    ['high past 72 hours', 'high', 73, 72, 'FAIL'],
    ['high within 72 hours', 'high', 71, 72, 'WARN'],
    ['high on a configured 4-hour window', 'high', 5, 4, 'FAIL'],
  ] as const)('%s → %s', (_name, band, age, window, expected) => {
    const f = assessThreatFinding(finding({ createdAt: hoursAgo(age) }), band, window, NOW);
    expect(f.status).toBe(expected);
    expect(f.detail).toMatchObject({
      ageHours: age,
      responseWindowHours: window,
      severityBand: band,
      dueAt: new Date(Date.parse(hoursAgo(age)) + window * 3_600_000).toISOString(),
    });
  });

  it('runs the clock from CreatedAt: a recurrence (recent UpdatedAt, higher Count) does not restart it', () => {
    const f = assessThreatFinding(
      finding({ createdAt: hoursAgo(100), updatedAt: hoursAgo(0.5), count: 40 }),
      'high',
      72,
      NOW,
    );
    expect(f.status).toBe('FAIL');
    expect(f.resource).toBe('arn:aws:guardduty:us-east-1:123456789012:detector/det1/finding/f1');
    expect(f.detail).toMatchObject({
      responseClock: 'CreatedAt',
      ageHours: 100,
      hoursSinceUpdate: 0.5,
      count: 40,
      affectedResource: 'i-0abc',
    });
    expect(f.detail.reason).toMatch(/seen 40 times/);
  });

  it('WARNs, never PASSes, a finding whose age cannot be shown', () => {
    const f = assessThreatFinding(finding({ createdAt: undefined }), 'critical', 24, NOW);
    expect(f.status).toBe('WARN');
    expect(f.detail.ageHours).toBeUndefined();
  });

  it('judges each finding by its band, PASSes a detector with none, and counts', () => {
    const facts: ThreatDetectionFacts = {
      guardDuty: [
        { region: 'us-east-1', detectors: [{ detectorId: 'det1', status: 'ENABLED', features: [] }] },
        { region: 'eu-west-1', detectors: [{ detectorId: 'det2', status: 'ENABLED', features: [] }] },
      ],
      findings: [
        {
          region: 'us-east-1',
          detectorId: 'det1',
          findings: [
            finding({ id: 'high-old', severity: 8, createdAt: hoursAgo(50) }), // within 72
            finding({ id: 'crit-old', severity: 9.5, createdAt: hoursAgo(50) }), // past 24
            finding({ id: 'medium', severity: 5 }), // not asked for: not judged
          ],
        },
        { region: 'eu-west-1', detectorId: 'det2', findings: [] },
      ],
      securityHub: [],
      accessAnalyzer: [],
    };
    const { findings, figures } = assessThreatDetection(facts, SETTINGS, NOW);
    const responses = findings.filter((f) => f.check === 'guardduty-finding-response');
    expect(responses.map((f) => [f.detail.findingId ?? f.resource, f.status])).toEqual([
      ['crit-old', 'FAIL'],
      ['high-old', 'WARN'],
      ['guardduty:eu-west-1', 'PASS'],
    ]);
    expect(responses[2]?.detail.detectorId).toBe('det2');
    expect(figures).toMatchObject({
      activeCriticalFindings: 1,
      activeHighFindings: 1,
      findingsPastResponseWindow: 1,
      findingsWithinResponseWindow: 1,
      findingsBelowHighReturned: 1,
      guardDutyRegionsEnabled: 2,
    });
  });
});

describe('securityhub-enabled', () => {
  const off = {
    region: 'eu-west-1',
    enabled: false,
    answer: {
      code: 'InvalidAccessException',
      message: 'Account 123456789012 is not subscribed to AWS Security Hub',
    },
  };
  const on = {
    region: 'us-east-1',
    enabled: true,
    hubArn: 'arn:aws:securityhub:us-east-1:123456789012:hub/default',
    subscribedAt: hoursAgo(1000),
  };
  it.each([
    ['enabled', on, false, [], 'PASS'],
    ['enabled and required', on, true, [], 'PASS'],
    ['not enabled anywhere, not required', off, false, [], 'INFO'],
    ['not enabled, required', off, true, [], 'FAIL'],
    ['not enabled here but in use in another region', off, false, ['us-east-1'], 'WARN'],
    ['not enabled here, in use in another region, and required', off, true, ['us-east-1'], 'FAIL'],
  ])('%s', (_name, h, required, elsewhere, expected) => {
    expect(assessSecurityHubRegion(h, required, elsewhere).status).toBe(expected);
  });

  it('the resource is the region whether the hub is on or off; the hub ARN is in the detail', () => {
    const enabled = assessSecurityHubRegion({ ...on, region: 'eu-west-1' }, false, []);
    expect(enabled.resource).toBe('securityhub:eu-west-1');
    expect(enabled.detail.hubArn).toBe(on.hubArn);
    expect(assessSecurityHubRegion(off, false, []).resource).toBe(enabled.resource);
  });

  it('records the InvalidAccessException answer and that it means "not enabled or not allowed"', () => {
    const f = assessSecurityHubRegion(off, false, []);
    expect(f.resource).toBe('securityhub:eu-west-1');
    expect(f.detail).toMatchObject({
      enabled: false,
      required: false,
      describeHub: off.answer,
      answerMeans: expect.stringMatching(/not enabled .* or this caller is not allowed/),
    });
  });

  it('judges partial coverage across regions in assess', () => {
    const facts: ThreatDetectionFacts = {
      guardDuty: [],
      findings: [],
      securityHub: [on, off],
      accessAnalyzer: [],
    };
    const statuses = (requireSecurityHub: boolean) =>
      assessThreatDetection(facts, { ...SETTINGS, requireSecurityHub }, NOW).findings.map((f) => f.status);
    expect(statuses(false)).toEqual(['PASS', 'WARN']);
    expect(statuses(true)).toEqual(['PASS', 'FAIL']);
    const noneOn = assessThreatDetection(
      { ...facts, securityHub: [off, { ...off, region: 'ap-south-1' }] },
      SETTINGS,
      NOW,
    );
    expect(noneOn.findings.map((f) => f.status)).toEqual(['INFO', 'INFO']);
    expect(noneOn.figures).toMatchObject({ securityHubRegionsEnabled: 0, securityHubRegionsNotEnabled: 2 });
  });
});

describe('access-analyzer-enabled', () => {
  it.each([
    ['an ACTIVE ACCOUNT analyzer', [analyzer('ACCOUNT', 'ACTIVE')], 'PASS'],
    ['an ACTIVE ORGANIZATION analyzer', [analyzer('ORGANIZATION', 'ACTIVE')], 'PASS'],
    ['an ACCOUNT analyzer still CREATING', [analyzer('ACCOUNT', 'CREATING')], 'WARN'],
    [
      'a FAILED ACCOUNT analyzer',
      [analyzer('ACCOUNT', 'FAILED', { statusReason: 'AWS_SERVICE_ACCESS_DISABLED' })],
      'FAIL',
    ],
    ['a DISABLED ORGANIZATION analyzer', [analyzer('ORGANIZATION', 'DISABLED')], 'FAIL'],
    [
      'only unused-access and internal-access analyzers',
      [analyzer('ACCOUNT_UNUSED_ACCESS', 'ACTIVE'), analyzer('ORGANIZATION_INTERNAL_ACCESS', 'ACTIVE')],
      'FAIL',
    ],
    ['no analyzer', [], 'FAIL'],
    [
      'an unused-access analyzer beside an ACTIVE ACCOUNT one',
      [analyzer('ACCOUNT_UNUSED_ACCESS', 'ACTIVE'), analyzer('ACCOUNT', 'ACTIVE')],
      'PASS',
    ],
  ])('%s', (_name, analyzers, expected) => {
    expect(assessAccessAnalyzerRegion({ region: 'us-east-1', analyzers }).status).toBe(expected);
  });

  it('names the region as the resource, the counting analyzer in the detail, and lists every analyzer', () => {
    const f = assessAccessAnalyzerRegion({
      region: 'us-east-1',
      analyzers: [analyzer('ACCOUNT_UNUSED_ACCESS', 'ACTIVE'), analyzer('ACCOUNT', 'ACTIVE')],
    });
    expect(f.resource).toBe('access-analyzer:us-east-1');
    expect(f.detail.activeAnalyzerArns).toEqual([
      'arn:aws:access-analyzer:us-east-1:123456789012:analyzer/account',
    ]);
    expect(f.detail.analyzers).toEqual([
      expect.objectContaining({ type: 'ACCOUNT_UNUSED_ACCESS', countsForExternalAccess: false }),
      expect.objectContaining({ type: 'ACCOUNT', countsForExternalAccess: true }),
    ]);
    const failed = assessAccessAnalyzerRegion({
      region: 'eu-west-1',
      analyzers: [analyzer('ACCOUNT', 'FAILED', { statusReason: 'AWS_SERVICE_ACCESS_DISABLED' })],
    });
    expect(failed.resource).toBe('access-analyzer:eu-west-1');
    expect(failed.detail.reason).toMatch(/FAILED \(AWS_SERVICE_ACCESS_DISABLED\)/);
  });
});

describe('affectedResource', () => {
  it.each([
    [{ ResourceType: 'Instance', InstanceDetails: { InstanceId: 'i-1' } }, 'i-1'],
    [
      { ResourceType: 'S3Bucket', S3BucketDetails: [{ Arn: 'arn:aws:s3:::a' }, { Name: 'b' }] },
      'arn:aws:s3:::a b',
    ],
    [
      {
        ResourceType: 'AccessKey',
        AccessKeyDetails: { UserName: 'u', UserType: 'IAMUser', AccessKeyId: 'AKIA1' },
      },
      'IAMUser:u (AKIA1)',
    ],
    [
      { ResourceType: 'Lambda', LambdaDetails: { FunctionArn: 'arn:aws:lambda:us-east-1:1:function:f' } },
      'arn:aws:lambda:us-east-1:1:function:f',
    ],
    [{ ResourceType: 'Unknown' }, undefined],
  ])('%j → %s', (resource, expected) => {
    expect(affectedResource(resource)).toBe(expected);
  });
});

// ---- gather ------------------------------------------------------------------------------------------------

const ctx = (over: Partial<typeof DEFAULT_SETTINGS> = {}) => ({
  clients: new ClientFactory(),
  settings: { ...DEFAULT_SETTINGS, regions: REGIONS, ...over },
  now: NOW,
  memo: memoFrom(new Map()),
});

const sdkFinding = (id: string, severity: number, region = 'us-east-1'): SdkFinding => ({
  AccountId: '123456789012',
  Arn: `arn:aws:guardduty:${region}:123456789012:detector/det-${region}/finding/${id}`,
  Id: id,
  Region: region,
  SchemaVersion: '2.0',
  Type: 'Recon:EC2/Portscan',
  Severity: severity,
  CreatedAt: hoursAgo(severity >= 9 ? 30 : 10),
  UpdatedAt: hoursAgo(1),
  Resource: { ResourceType: 'Instance', InstanceDetails: { InstanceId: `i-${id}` } },
  Service: { Count: 2, Archived: false },
});

/** A detector in each region; ListFindings gives `ids` over three pages, the middle one empty. */
function guardDutyWith(
  ids: readonly string[],
  severity = (i: number) => (i % 2 ? 9 : 7),
): { tokens: (string | undefined)[] } {
  const tokens: (string | undefined)[] = [];
  gd.on(ListDetectorsCommand).callsFake(async (_input, getClient) => ({
    DetectorIds: [`det-${await regionOf(getClient)}`],
  }));
  gd.on(GetDetectorCommand).resolves({
    Status: 'ENABLED',
    ServiceRole: 'role',
    Features: [{ Name: 'S3_DATA_EVENTS', Status: 'ENABLED' }],
  });
  gd.on(ListFindingsCommand).callsFake((input: { NextToken?: string }) => {
    tokens.push(input.NextToken);
    if (!input.NextToken) return { FindingIds: ids.slice(0, 50), NextToken: 'p2' };
    if (input.NextToken === 'p2') return { FindingIds: [], NextToken: 'p3' };
    return { FindingIds: ids.slice(50) };
  });
  gd.on(GetFindingsCommand).callsFake(async (input: { FindingIds: string[] }, getClient) => {
    const region = await regionOf(getClient);
    return { Findings: input.FindingIds.map((id) => sdkFinding(id, severity(ids.indexOf(id)), region)) };
  });
  return { tokens };
}

describe('threat-detection gather', () => {
  it('reads every region, follows every page, batches GetFindings by 50, and writes reduced sources', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `f${String(i).padStart(2, '0')}`);
    const { tokens } = guardDutyWith(ids);
    gd.on(ListDetectorsCommand).callsFake(async (_input, getClient) =>
      (await regionOf(getClient)) === 'us-east-1' ? { DetectorIds: ['det-us-east-1'] } : { DetectorIds: [] },
    );
    hub.on(DescribeHubCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1')
        throw awsError(
          'InvalidAccessException',
          'Account 123456789012 is not subscribed to AWS Security Hub',
        );
      return {
        HubArn: 'arn:aws:securityhub:us-east-1:123456789012:hub/default',
        SubscribedAt: hoursAgo(900),
      };
    });
    const ana = (name: string, type: string): AnalyzerSummary => ({
      arn: `arn:aws:access-analyzer:us-east-1:123456789012:analyzer/${name}`,
      name,
      type: type as AnalyzerSummary['type'],
      status: 'ACTIVE',
      createdAt: new Date(hoursAgo(500)),
    });
    aa.on(ListAnalyzersCommand).callsFake(async (input: { nextToken?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') return { analyzers: [] };
      return input.nextToken
        ? { analyzers: [ana('external', 'ACCOUNT')] }
        : { analyzers: [ana('unused', 'ACCOUNT_UNUSED_ACCESS')], nextToken: 'a2' };
    });

    const { written, sourceObjects } = await runInTempDir(threatDetection, { regions: REGIONS });

    expect(written.errors).toEqual([]);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: true });
    const listCalls = gd.commandCalls(ListFindingsCommand);
    expect(listCalls).toHaveLength(3);
    // The empty middle page carried a token, and it was followed.
    expect(tokens).toEqual([undefined, 'p2', 'p3']);
    expect(listCalls[0]!.args[0].input).toMatchObject({
      DetectorId: 'det-us-east-1',
      MaxResults: 50,
      FindingCriteria: {
        Criterion: { severity: { GreaterThanOrEqual: 7 }, 'service.archived': { Equals: ['false'] } },
      },
    });
    const batches = gd.commandCalls(GetFindingsCommand).map((c) => c.args[0].input.FindingIds!.length);
    expect(batches.sort((a, b) => b - a)).toEqual([50, 10]);
    const by = (check: string) => written.findings.filter((f) => f.check === check);
    expect(by('guardduty-enabled').map((f) => [f.detail.region, f.status])).toEqual([
      ['us-east-1', 'PASS'],
      ['eu-west-1', 'FAIL'],
    ]);
    const responses = by('guardduty-finding-response');
    expect(responses).toHaveLength(60);
    // Critical (9) at 30 hours is past 24; high (7) at 10 hours is within 72.
    expect(responses.filter((f) => f.status === 'FAIL')).toHaveLength(30);
    expect(responses.filter((f) => f.status === 'WARN')).toHaveLength(30);
    expect(responses[0]!.detail.severity).toBe(9);
    expect(by('securityhub-enabled').map((f) => [f.detail.region, f.status])).toEqual([
      ['us-east-1', 'PASS'],
      ['eu-west-1', 'WARN'],
    ]);
    expect(by('access-analyzer-enabled').map((f) => [f.detail.region, f.status])).toEqual([
      ['us-east-1', 'PASS'],
      ['eu-west-1', 'FAIL'],
    ]);
    expect(written.summary.figures).toMatchObject({ activeCriticalFindings: 30, activeHighFindings: 30 });

    expect(written.sources.map((s) => s.name)).toEqual([
      'guardduty-detectors.json',
      'guardduty-findings.json',
      'securityhub-hubs.json',
      'access-analyzers.json',
    ]);
    const raw = (name: string) =>
      JSON.parse(readFileSync(sourceObjects.find((s) => s.key.endsWith(name))!.location, 'utf8')) as Record<
        string,
        unknown
      >;
    const findingsRaw = raw('guardduty-findings.json') as {
      detectors: { region: string; findings: Record<string, unknown>[] }[];
    };
    expect(findingsRaw.detectors.map((d) => [d.region, d.findings.length])).toEqual([['us-east-1', 60]]);
    // Reduced: the fields a reviewer needs, not GuardDuty's full finding.
    expect(Object.keys(findingsRaw.detectors[0]!.findings[0]!).sort()).toEqual(
      [
        'arn',
        'count',
        'createdAt',
        'detectorId',
        'id',
        'region',
        'resource',
        'resourceType',
        'severity',
        'type',
        'updatedAt',
      ].sort(),
    );
    expect(raw('securityhub-hubs.json')).toMatchObject({
      regions: [
        { region: 'us-east-1', enabled: true },
        { region: 'eu-west-1', enabled: false, answer: { code: 'InvalidAccessException' } },
      ],
    });
    expect(
      (raw('access-analyzers.json') as { regions: { analyzers: unknown[] }[] }).regions[0]!.analyzers,
    ).toHaveLength(2);
    expect(written.policy).toMatchObject({
      threatResponseHours: { critical: 24, high: 72 },
      requireSecurityHub: false,
    });
  });

  it('keeps the other regions when one denies each service, and never reads a denial as "not enabled"', async () => {
    guardDutyWith(['a', 'b']);
    gd.on(ListDetectorsCommand).callsFake(async (_input, getClient) => {
      const region = await regionOf(getClient);
      if (region === 'eu-west-1')
        throw awsError('AccessDeniedException', 'not authorized: guardduty:ListDetectors');
      return { DetectorIds: [`det-${region}`] };
    });
    hub.on(DescribeHubCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'us-east-1')
        throw awsError('AccessDeniedException', 'not authorized: securityhub:DescribeHub');
      throw awsError('InvalidAccessException', 'Account 123456789012 is not subscribed to AWS Security Hub');
    });
    aa.on(ListAnalyzersCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('AccessDeniedException', 'denied');
      return { analyzers: [] };
    });
    const gathered = await threatDetection.gather(ctx());
    expect(gathered.errors).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'guardduty:ListDetectors',
        code: 'AccessDeniedException',
      }),
      expect.objectContaining({
        region: 'us-east-1',
        api: 'securityhub:DescribeHub',
        code: 'AccessDeniedException',
      }),
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'access-analyzer:ListAnalyzers',
        code: 'AccessDeniedException',
      }),
    ]);
    const { findings } = threatDetection.assess(gathered.facts, ctx().settings, NOW);
    expect(findings.map((f) => [f.check, f.detail.region, f.status])).toEqual([
      ['guardduty-enabled', 'us-east-1', 'PASS'],
      ['guardduty-finding-response', 'us-east-1', 'FAIL'], // severity 9 at 30 hours, listed first
      ['guardduty-finding-response', 'us-east-1', 'WARN'], // severity 7 at 10 hours
      ['securityhub-enabled', 'eu-west-1', 'INFO'], // us-east-1 unknown: not counted as enabled
      ['access-analyzer-enabled', 'us-east-1', 'FAIL'],
    ]);
  });

  it("keeps the detector verdict when its findings cannot be read, and reads a suspended detector's findings", async () => {
    guardDutyWith(['a']);
    gd.on(GetDetectorCommand).resolves({ Status: 'DISABLED', ServiceRole: 'role' });
    gd.on(GetFindingsCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('ThrottlingException', 'Rate exceeded');
      return { Findings: [sdkFinding('a', 8)] };
    });
    hub.on(DescribeHubCommand).resolves({ HubArn: 'arn:aws:securityhub:us-east-1:123456789012:hub/default' });
    aa.on(ListAnalyzersCommand).resolves({ analyzers: [] });
    const gathered = await threatDetection.gather(ctx({ concurrency: 1 }));
    expect(gathered.errors).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        api: 'guardduty:GetFindings',
        code: 'ThrottlingException',
      }),
    ]);
    const { findings } = threatDetection.assess(gathered.facts, ctx().settings, NOW);
    expect(
      findings
        .filter((f) => f.check.startsWith('guardduty'))
        .map((f) => [f.check, f.detail.region, f.status]),
    ).toEqual([
      ['guardduty-enabled', 'us-east-1', 'FAIL'],
      ['guardduty-enabled', 'eu-west-1', 'FAIL'],
      ['guardduty-finding-response', 'us-east-1', 'WARN'],
    ]);
    expect(gd.commandCalls(ListFindingsCommand).length).toBeGreaterThan(0);
  });

  it('FAILs Security Hub where it is off when the configuration requires it', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    hub.on(DescribeHubCommand).rejects(awsError('InvalidAccessException', 'not subscribed'));
    aa.on(ListAnalyzersCommand).resolves({ analyzers: [] });
    const settings = ctx({ requireSecurityHub: true }).settings;
    const gathered = await threatDetection.gather(ctx({ requireSecurityHub: true }));
    expect(gathered.errors).toEqual([]);
    const hubs = threatDetection
      .assess(gathered.facts, settings, NOW)
      .findings.filter((f) => f.check === 'securityhub-enabled');
    expect(hubs.map((f) => f.status)).toEqual(['FAIL', 'FAIL']);
    expect(gd.commandCalls(ListFindingsCommand)).toHaveLength(0);
    expect(threatDetection.policy(settings)).toMatchObject({ securityHubNotEnabled: 'FAIL' });
  });
});
