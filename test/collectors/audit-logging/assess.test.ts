import {
  assessAuditLogging,
  assessConfigRegion,
  assessLoadBalancer,
  assessLogGroup,
  assessVpc,
  type ConfigRegionFacts,
  type FlowLogRegionFacts,
  type LoadBalancerFacts,
  type LogGroupFacts,
} from '../../../lambdas/collectors/audit-logging/assess';
import {
  assessTrails,
  managementCoverage,
  selectorFacts,
  type SelectorFacts,
  type TrailFacts,
} from '../../../lambdas/collectors/audit-logging/trails';

const ACCOUNT = '123456789012';
const ALL_MGMT: SelectorFacts = selectorFacts(
  [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
  undefined,
);

function trail(over: Partial<TrailFacts> = {}): TrailFacts {
  return {
    name: 'main',
    arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
    homeRegion: 'us-east-1',
    multiRegion: true,
    organization: false,
    logFileValidation: true,
    status: { isLogging: true },
    selectors: ALL_MGMT,
    ...over,
  };
}

const advanced = (...selectors: { Name?: string; FieldSelectors: Record<string, unknown>[] }[]) =>
  selectorFacts(undefined, selectors as never);

describe('managementCoverage', () => {
  it.each<[string, SelectorFacts, boolean, boolean, number]>([
    ['basic All', ALL_MGMT, true, true, 0],
    [
      'basic WriteOnly',
      selectorFacts([{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }], []),
      false,
      true,
      0,
    ],
    [
      'basic ReadOnly + WriteOnly selectors together',
      selectorFacts(
        [
          { ReadWriteType: 'ReadOnly', IncludeManagementEvents: true },
          { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true },
        ],
        [],
      ),
      true,
      true,
      0,
    ],
    [
      'basic data events only',
      selectorFacts([{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [] }], []),
      false,
      false,
      0,
    ],
    [
      'basic All excluding KMS',
      selectorFacts(
        [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            ExcludeManagementEventSources: ['kms.amazonaws.com'],
          },
        ],
        [],
      ),
      true,
      true,
      1,
    ],
    [
      'advanced, console name',
      advanced({
        Name: 'Management events selector',
        FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
      }),
      true,
      true,
      0,
    ],
    [
      'advanced, any name (set by API)',
      advanced({
        Name: 'from-terraform',
        FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
      }),
      true,
      true,
      0,
    ],
    [
      'advanced, no name',
      advanced({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }),
      true,
      true,
      0,
    ],
    [
      'advanced readOnly false = writes only',
      advanced({
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'readOnly', Equals: ['false'] },
        ],
      }),
      false,
      true,
      0,
    ],
    [
      'advanced readOnly true and false selectors',
      advanced(
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['true'] },
          ],
        },
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['false'] },
          ],
        },
      ),
      true,
      true,
      0,
    ],
    [
      'advanced readOnly NotEquals true = writes only',
      advanced({
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'readOnly', NotEquals: ['true'] },
        ],
      }),
      false,
      true,
      0,
    ],
    [
      'advanced excluding an event source',
      advanced({
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
        ],
      }),
      true,
      true,
      1,
    ],
    [
      'advanced data events only',
      advanced({
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        ],
      }),
      false,
      false,
      0,
    ],
  ])('%s', (_name, selectors, reads, writes, narrowings) => {
    const c = managementCoverage(selectors);
    expect([c.reads, c.writes, c.narrowedBy.length]).toEqual([reads, writes, narrowings]);
  });
});

describe('assessTrails', () => {
  const judge = (...trails: TrailFacts[]) => assessTrails({ readRegion: 'us-east-1', trails });

  it('PASS names the qualifying trail and says why the others do not qualify', () => {
    const f = judge(trail({ name: 'regional', multiRegion: false }), trail());
    expect(f.status).toBe('PASS');
    expect(f.resource).toBe('cloudtrail:account');
    expect(f.detail.qualifyingTrails).toEqual(['main']);
    const regional = (f.detail.trails as { name: string; whyNot?: string[] }[]).find(
      (t) => t.name === 'regional',
    );
    expect(regional?.whyNot).toEqual(['single-region trail']);
  });

  it('an organization trail seen from a member account counts', () => {
    const f = judge(
      trail({ name: 'org', arn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org', organization: true }),
    );
    expect(f.status).toBe('PASS');
    expect((f.detail.trails as { organizationTrail: boolean }[])[0]?.organizationTrail).toBe(true);
  });

  describe('an organization trail held by the management account, seen from a member', () => {
    const held = (over: Partial<TrailFacts> = {}) =>
      trail({
        name: 'org',
        arn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org',
        organization: true,
        selectors: undefined,
        heldBy: { account: '999999999999' },
        ...over,
      });

    it('PASSes without its selectors, saying what it assumes and where the selectors are evidenced', () => {
      const f = judge(held());
      expect(f.status).toBe('PASS');
      expect(f.detail.reason).toContain('assumed for org');
      expect(f.detail.reason).toContain('management account 999999999999');
      expect((f.detail.trails as Record<string, unknown>[])[0]).toMatchObject({
        ownerAccount: '999999999999',
        eventSelectors: expect.stringContaining('evidenced in the organization'),
        assumes: expect.any(String),
        qualifies: true,
      });
      expect((f.detail.trails as Record<string, unknown>[])[0]?.whyNot).toBeUndefined();
    });

    it('a fully seen own trail makes the PASS rest on no assumption', () => {
      const f = judge(held(), trail());
      expect(f.status).toBe('PASS');
      expect(f.detail.reason).not.toContain('assumed');
    });

    it.each<[string, Partial<TrailFacts>, string, string]>([
      ['stopped', { status: { isLogging: false } }, 'FAIL', 'not logging (stopped)'],
      ['single-region', { multiRegion: false }, 'FAIL', 'single-region trail'],
      ['no validation', { logFileValidation: false }, 'FAIL', 'log file validation off'],
      [
        'status refused as the owner',
        { status: undefined, heldBy: { account: '999999999999', statusRefused: 'TrailNotFoundException' } },
        'WARN',
        "logging status readable only in the organization's management account 999999999999",
      ],
    ])('still judged on what a member sees: %s', (_n, over, status, why) => {
      const f = judge(held(over));
      expect(f.status).toBe(status);
      expect(f.detail.reason).toContain(why);
    });
  });

  it.each<[string, Partial<TrailFacts>, string]>([
    ['stopped', { status: { isLogging: false } }, 'not logging (stopped)'],
    ['no log file validation', { logFileValidation: false }, 'log file validation off'],
    ['single-region', { multiRegion: false }, 'single-region trail'],
    [
      'writes only',
      { selectors: selectorFacts([{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }], []) },
      'records management write events only, not reads',
    ],
    [
      'reads only',
      { selectors: selectorFacts([{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }], []) },
      'records management read events only, not writes',
    ],
    [
      'no management events',
      { selectors: selectorFacts([{ ReadWriteType: 'All', IncludeManagementEvents: false }], []) },
      'records no management events',
    ],
  ])('FAIL: %s', (_name, over, why) => {
    const f = judge(trail(over));
    expect(f.status).toBe('FAIL');
    expect((f.detail.trails as { whyNot: string[] }[])[0]?.whyNot).toEqual([why]);
    expect(f.detail.reason).toContain(why);
  });

  it('FAIL with no trail at all', () => {
    const f = judge();
    expect(f.status).toBe('FAIL');
    expect(f.detail.reason).toMatch(/no CloudTrail trail exists/);
  });

  it('WARN when the best trail excludes management event sources or its S3 delivery fails', () => {
    const narrowed = judge(
      trail({
        selectors: selectorFacts(
          [
            {
              ReadWriteType: 'All',
              IncludeManagementEvents: true,
              ExcludeManagementEventSources: ['kms.amazonaws.com'],
            },
          ],
          [],
        ),
      }),
    );
    expect(narrowed.status).toBe('WARN');
    expect(narrowed.detail.reason).toMatch(/kms\.amazonaws\.com/);
    const delivery = judge(trail({ status: { isLogging: true, latestDeliveryError: 'AccessDenied' } }));
    expect(delivery.status).toBe('WARN');
    expect(delivery.detail.reason).toMatch(/delivery to S3 failed: AccessDenied/);
    // A fully qualifying trail beside it makes it PASS.
    expect(
      judge(
        trail({
          name: 'partial',
          logFileValidation: true,
          status: { isLogging: true, latestDeliveryError: 'x' },
        }),
        trail(),
      ).status,
    ).toBe('PASS');
  });

  it('WARN, not FAIL, when a trail that might qualify could not be read in full', () => {
    const f = judge(trail({ selectors: undefined }), trail({ name: 'regional', multiRegion: false }));
    expect(f.status).toBe('WARN');
    expect(f.detail.reason).toMatch(/could not be read/);
    // One already known not to qualify stays FAIL even when unreadable.
    expect(judge(trail({ multiRegion: false, status: undefined })).status).toBe('FAIL');
  });
});

describe('assessConfigRegion', () => {
  const recorder = (over: Partial<ConfigRegionFacts['recorders'][number]> = {}) => ({
    name: 'default',
    allSupported: true,
    includeGlobalResourceTypes: false,
    strategy: 'ALL_SUPPORTED_RESOURCE_TYPES',
    resourceTypes: [],
    excludedResourceTypes: [],
    ...over,
  });
  const region = (over: Partial<ConfigRegionFacts> = {}): ConfigRegionFacts => ({
    region: 'eu-west-1',
    recorders: [recorder()],
    statuses: [{ name: 'default', recording: true, lastStatus: 'Success' }],
    serviceLinked: [],
    ...over,
  });

  it.each<[string, ConfigRegionFacts, string, RegExp]>([
    ['recording all supported types', region(), 'PASS', /records all supported/],
    [
      'just started (Pending)',
      region({ statuses: [{ name: 'default', recording: true, lastStatus: 'Pending' }] }),
      'PASS',
      /all supported/,
    ],
    [
      'no recorder, only a service-linked INTERNAL one',
      region({
        recorders: [],
        statuses: [],
        serviceLinked: [
          {
            name: 'AWSConfigurationRecorderForX',
            arn: 'arn',
            servicePrincipal: 'x.amazonaws.com',
            recordingScope: 'INTERNAL',
          },
        ],
      }),
      'FAIL',
      /no customer-managed.*x\.amazonaws\.com, INTERNAL\) does not count/,
    ],
    ['stopped', region({ statuses: [{ name: 'default', recording: false }] }), 'FAIL', /stopped/],
    ['no status at all', region({ statuses: [] }), 'FAIL', /stopped/],
    [
      'failing',
      region({
        statuses: [
          { name: 'default', recording: true, lastStatus: 'Failure', lastErrorCode: 'AccessDenied' },
        ],
      }),
      'FAIL',
      /failing: AccessDenied/,
    ],
    [
      'chosen types only',
      region({
        recorders: [
          recorder({
            allSupported: false,
            strategy: 'INCLUSION_BY_RESOURCE_TYPES',
            resourceTypes: ['AWS::S3::Bucket'],
          }),
        ],
      }),
      'FAIL',
      /only 1 chosen resource type/,
    ],
    [
      'all but exclusions',
      region({
        recorders: [
          recorder({
            allSupported: false,
            strategy: 'EXCLUSION_BY_RESOURCE_TYPES',
            excludedResourceTypes: ['AWS::EC2::NetworkInterface'],
          }),
        ],
      }),
      'WARN',
      /except AWS::EC2::NetworkInterface/,
    ],
  ])('%s', (_name, facts, status, reason) => {
    const f = assessConfigRegion(facts);
    expect(f.status).toBe(status);
    expect(f.resource).toBe('config:eu-west-1');
    expect(String(f.detail.reason)).toMatch(reason);
  });

  it('records an unread service-linked list as such', () => {
    const { serviceLinked: _omit, ...rest } = region();
    expect(assessConfigRegion(rest).detail.serviceLinkedRecorders).toBe('unread');
  });
});

describe('assessLogGroup', () => {
  const group = (over: Partial<LogGroupFacts> = {}): LogGroupFacts => ({
    region: 'us-east-1',
    name: '/aws/lambda/x',
    arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/x`,
    ...over,
  });
  it.each<[string, Partial<LogGroupFacts>, number, string, boolean]>([
    ['30 days under 365', { retentionInDays: 30 }, 365, 'FAIL', false],
    ['exactly the threshold', { retentionInDays: 365 }, 365, 'PASS', false],
    ['longer', { retentionInDays: 3653 }, 365, 'PASS', false],
    ['never expires', {}, 365, 'PASS', true],
    ['under a lower threshold', { retentionInDays: 90 }, 30, 'PASS', false],
    ['DELIVERY class', { retentionInDays: 1, logGroupClass: 'DELIVERY' }, 365, 'INFO', false],
    [
      'INFREQUENT_ACCESS judged like STANDARD',
      { retentionInDays: 7, logGroupClass: 'INFREQUENT_ACCESS' },
      365,
      'FAIL',
      false,
    ],
  ])('%s', (_name, over, min, status, never) => {
    const f = assessLogGroup(group(over), min);
    expect(f.status).toBe(status);
    expect(f.detail.neverExpires).toBe(never);
    expect(f.detail.minimumDays).toBe(min);
  });

  it('records an account-level retention policy', () => {
    expect(
      assessLogGroup(group({ retentionInDays: 400, retentionPolicyName: 'org-default' }), 365).detail,
    ).toMatchObject({
      accountRetentionPolicy: 'org-default',
    });
  });
});

describe('assessVpc', () => {
  const region = (flowLogs: FlowLogRegionFacts['flowLogs']): FlowLogRegionFacts => ({
    region: 'us-east-1',
    accountId: ACCOUNT,
    partition: 'aws',
    vpcs: [{ id: 'vpc-1', ownerId: ACCOUNT, isDefault: false }],
    flowLogs,
  });
  const log = (over: Partial<FlowLogRegionFacts['flowLogs'][number]> = {}) => ({
    id: 'fl-1',
    resourceId: 'vpc-1',
    status: 'ACTIVE',
    deliverStatus: 'SUCCESS',
    trafficType: 'ALL',
    ...over,
  });
  it.each<[string, FlowLogRegionFacts['flowLogs'], string]>([
    ['active ALL flow log', [log()], 'PASS'],
    ['REJECT only', [log({ trafficType: 'REJECT' })], 'WARN'],
    ['none', [], 'FAIL'],
    ['subnet flow log only', [log({ resourceId: 'subnet-1' })], 'FAIL'],
    ['network interface flow log only', [log({ resourceId: 'eni-1' })], 'FAIL'],
    ['another VPC’s flow log', [log({ resourceId: 'vpc-2' })], 'FAIL'],
    ['delivery failing', [log({ deliverStatus: 'FAILED', deliverError: 'Access error' })], 'FAIL'],
    ['a failing one beside a good one', [log({ id: 'fl-0', deliverStatus: 'FAILED' }), log()], 'PASS'],
  ])('%s', (_name, flowLogs, status) => {
    const r = region(flowLogs);
    const f = assessVpc(r, r.vpcs[0]!);
    expect(f.status).toBe(status);
    expect(f.resource).toBe(`arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-1`);
  });

  it('INFO for a VPC shared in by its owner account', () => {
    const r = { ...region([]), vpcs: [{ id: 'vpc-9', ownerId: '222233334444', isDefault: false }] };
    const f = assessVpc(r, r.vpcs[0]!);
    expect(f.status).toBe('INFO');
    expect(f.resource).toBe('arn:aws:ec2:us-east-1:222233334444:vpc/vpc-9');
  });
});

describe('assessLoadBalancer', () => {
  const lb = (over: Partial<LoadBalancerFacts>): LoadBalancerFacts => ({
    region: 'us-east-1',
    name: 'x',
    arn: 'arn:x',
    type: 'application',
    accessLogs: true,
    ...over,
  });
  it.each<[string, Partial<LoadBalancerFacts>, string]>([
    ['ALB with logs', {}, 'PASS'],
    ['ALB without logs', { accessLogs: false }, 'FAIL'],
    ['Classic without logs', { type: 'classic', accessLogs: false }, 'FAIL'],
    ['Classic with logs', { type: 'classic', bucket: 'b' }, 'PASS'],
    [
      'NLB with a TLS listener, no logs',
      { type: 'network', accessLogs: false, listenerProtocols: ['TCP', 'TLS'] },
      'FAIL',
    ],
    ['NLB with a TLS listener and logs', { type: 'network', listenerProtocols: ['TLS'] }, 'PASS'],
    [
      'NLB without a TLS listener',
      { type: 'network', accessLogs: false, listenerProtocols: ['TCP', 'UDP'] },
      'INFO',
    ],
  ])('%s', (_name, over, status) => {
    expect(assessLoadBalancer(lb(over)).status).toBe(status);
  });
});

describe('assessAuditLogging', () => {
  it('leaves Gateway Load Balancers unjudged but counted, and sums the figures', () => {
    const { findings, figures } = assessAuditLogging(
      {
        cloudTrail: { readRegion: 'us-east-1', trails: [trail()] },
        config: [],
        logs: [
          {
            region: 'us-east-1',
            logGroups: [
              { region: 'us-east-1', name: 'a', arn: 'arn:a', retentionInDays: 30 },
              { region: 'us-east-1', name: 'b', arn: 'arn:b' },
              { region: 'us-east-1', name: 'c', arn: 'arn:c', logGroupClass: 'DELIVERY', retentionInDays: 1 },
            ],
          },
        ],
        flowLogs: [
          {
            region: 'us-east-1',
            accountId: ACCOUNT,
            partition: 'aws',
            vpcs: [{ id: 'vpc-1', ownerId: ACCOUNT, isDefault: true }],
            flowLogs: [{ id: 'fl-1', resourceId: 'subnet-1', status: 'ACTIVE', trafficType: 'ALL' }],
          },
        ],
        loadBalancers: [
          {
            region: 'us-east-1',
            loadBalancers: [
              { region: 'us-east-1', name: 'g', arn: 'arn:g', type: 'gateway', accessLogs: false },
              { region: 'us-east-1', name: 'c', arn: 'arn:c', type: 'classic', accessLogs: false },
            ],
          },
        ],
      },
      { logRetentionDays: 365 },
    );
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ['cloudtrail-multi-region', 'PASS'],
      ['log-group-retention', 'FAIL'],
      ['log-group-retention', 'PASS'],
      ['log-group-retention', 'INFO'],
      ['vpc-flow-logs', 'FAIL'],
      ['load-balancer-access-logs', 'FAIL'],
    ]);
    expect(figures).toMatchObject({
      trails: 1,
      qualifyingTrails: 1,
      logGroups: 3,
      logGroupsShortRetention: 1,
      logGroupsNeverExpire: 1,
      logGroupsDeliveryClass: 1,
      vpcsWithoutFlowLogs: 1,
      subnetOrInterfaceFlowLogs: 1,
      loadBalancers: 1,
      loadBalancersWithoutAccessLogs: 1,
      gatewayLoadBalancersNotJudged: 1,
    });
  });
});
