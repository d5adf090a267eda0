import {
  BatchGetAccountStatusCommand,
  Inspector2Client,
  ListFindingAggregationsCommand,
  ListFindingsCommand,
  type BatchGetAccountStatusResponse,
  type Finding as InspectorFinding,
} from '@aws-sdk/client-inspector2';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { vulnerabilities } from '../../../lambdas/collectors/vulnerabilities/collector';
import { ACCOUNT, NOW, runInTempDir } from '../../helpers/run';
import { awsError, regionOf } from '../../helpers/regional-mock';

const inspector = mockClient(Inspector2Client);
const DAY = 86_400_000;

const enabled = (lambda = 'ENABLED'): BatchGetAccountStatusResponse => ({
  accounts: [
    {
      accountId: ACCOUNT,
      state: { status: 'ENABLED' } as never,
      resourceState: {
        ec2: { status: 'ENABLED' },
        ecr: { status: 'ENABLED' },
        lambda: { status: lambda },
        lambdaCode: { status: 'DISABLED' },
      } as never,
    },
  ],
  failedAccounts: [],
});

const disabled: BatchGetAccountStatusResponse = {
  accounts: [
    {
      accountId: ACCOUNT,
      state: { status: 'DISABLED' } as never,
      resourceState: {
        ec2: { status: 'DISABLED' },
        ecr: { status: 'DISABLED' },
        lambda: { status: 'DISABLED' },
        lambdaCode: { status: 'DISABLED' },
      } as never,
    },
  ],
  failedAccounts: [],
};

const raw = (id: string, severity: string, daysAgo: number): InspectorFinding =>
  ({
    findingArn: `arn:aws:inspector2:us-east-1:${ACCOUNT}:finding/${id}`,
    awsAccountId: ACCOUNT,
    type: 'PACKAGE_VULNERABILITY',
    title: `${id} title`,
    description: 'a description the evidence does not keep',
    severity,
    status: 'ACTIVE',
    firstObservedAt: new Date(NOW.getTime() - daysAgo * DAY),
    lastObservedAt: NOW,
    resources: [{ type: 'AWS_EC2_INSTANCE', id: `i-${id}`, region: 'us-east-1' }],
    packageVulnerabilityDetails: {
      vulnerabilityId: `CVE-${id}`,
      vulnerablePackages: [{ name: 'openssl', version: '3.0.1', fixedInVersion: '3.0.2' }],
    },
    fixAvailable: 'YES',
  }) as never;

const aggregation = (counts: { all: number; critical: number; high: number; medium: number }) => ({
  aggregationType: 'ACCOUNT' as const,
  responses: [{ accountAggregation: { accountId: ACCOUNT, severityCounts: counts, fixAvailableCount: 4 } }],
});

const severityOf = (input: { filterCriteria?: { severity?: { value?: string }[] } }) =>
  input.filterCriteria?.severity?.[0]?.value;

beforeEach(() => inspector.reset());

describe('vulnerabilities gather', () => {
  it('lists only ACTIVE critical and high findings of the account, following every page, and counts the rest', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(enabled());
    inspector
      .on(ListFindingAggregationsCommand)
      .resolves(aggregation({ all: 9, critical: 1, high: 2, medium: 3 }));
    inspector.on(ListFindingsCommand).callsFake((input: { nextToken?: string; filterCriteria?: never }) => {
      const sev = severityOf(input);
      if (sev === 'CRITICAL') return { findings: [raw('c1', 'CRITICAL', 12)] };
      // HIGH: a first page, an empty page still carrying a token, then the last page.
      if (!input.nextToken) return { findings: [raw('h1', 'HIGH', 3)], nextToken: 't1' };
      if (input.nextToken === 't1') return { findings: [], nextToken: 't2' };
      return { findings: [raw('h2', 'HIGH', 40)] };
    });

    const { written, sourceObjects } = await runInTempDir(vulnerabilities, { regions: ['us-east-1'] });

    expect(written.errors).toEqual([]);
    const calls = inspector.commandCalls(ListFindingsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(4);
    for (const input of calls) {
      expect(input.maxResults).toBe(100);
      expect(input.filterCriteria).toMatchObject({
        findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        awsAccountId: [{ comparison: 'EQUALS', value: ACCOUNT }],
      });
    }
    expect(calls.map((i) => severityOf(i as never)).sort()).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'HIGH']);
    expect(inspector.commandCalls(ListFindingAggregationsCommand)[0]!.args[0].input).toMatchObject({
      aggregationType: 'ACCOUNT',
      accountIds: [{ comparison: 'EQUALS', value: ACCOUNT }],
    });
    expect(inspector.commandCalls(BatchGetAccountStatusCommand)[0]!.args[0].input).toEqual({});

    const sla = written.findings.filter((f) => f.check === 'vulnerability-sla');
    expect(sla.map((f) => [f.resource.split('/').pop(), f.status])).toEqual([
      ['c1', 'FAIL'],
      ['h1', 'WARN'],
      ['h2', 'FAIL'],
    ]);
    expect(written.findings.find((f) => f.check === 'vulnerability-counts')!.detail).toMatchObject({
      counts: { critical: 1, high: 2, medium: 3, lowInformationalUntriaged: 3, all: 9, fixAvailable: 4 },
    });
    expect(written.summary.status).toBe('FAIL');

    expect(written.sources.map((x) => x.name)).toEqual(['inspector-status.json', 'inspector-findings.json']);
    const kept = JSON.parse(readFileSync(sourceObjects[1]!.location, 'utf8')) as {
      filter: unknown;
      regions: { region: string; listed: { id: string; resourceArn: string; fixAvailable: string }[] }[];
    };
    expect(kept.filter).toEqual({ findingStatus: 'ACTIVE', severities: ['CRITICAL', 'HIGH'] });
    expect(kept.regions[0]!.listed.map((f) => f.id.split('/').pop())).toEqual(['c1', 'h1', 'h2']);
    expect(kept.regions[0]!.listed[0]).toMatchObject({
      resourceArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-c1`,
      fixAvailable: 'YES',
    });
    // Reduced form: the description, CVSS and references of the raw finding are not kept.
    expect(JSON.stringify(kept)).not.toContain('a description the evidence does not keep');
  });

  it('reads no findings where Inspector is DISABLED and FAILs its scan types; other regions are read', async () => {
    inspector
      .on(BatchGetAccountStatusCommand)
      .callsFake(async (_i, getClient) =>
        (await regionOf(getClient)) === 'eu-west-1' ? disabled : enabled('DISABLED'),
      );
    inspector
      .on(ListFindingAggregationsCommand)
      .resolves(aggregation({ all: 0, critical: 0, high: 0, medium: 0 }));
    inspector.on(ListFindingsCommand).resolves({ findings: [] });
    const { written } = await runInTempDir(vulnerabilities, { regions: ['us-east-1', 'eu-west-1'] });
    expect(written.errors).toEqual([]);
    const regionsQueried = await Promise.all(
      inspector.commandCalls(ListFindingsCommand).map((c) => regionOf(() => c.thisValue as never)),
    );
    expect(new Set(regionsQueried)).toEqual(new Set(['us-east-1']));
    const enabledFindings = written.findings.filter((f) => f.check === 'inspector-enabled');
    expect(enabledFindings.map((f) => [f.resource, f.status])).toEqual([
      ['inspector2:us-east-1:ec2', 'PASS'],
      ['inspector2:us-east-1:ecr', 'PASS'],
      ['inspector2:us-east-1:lambda', 'FAIL'],
      ['inspector2:us-east-1:lambdaCode', 'INFO'],
      ['inspector2:eu-west-1:ec2', 'FAIL'],
      ['inspector2:eu-west-1:ecr', 'FAIL'],
      ['inspector2:eu-west-1:lambda', 'FAIL'],
      ['inspector2:eu-west-1:lambdaCode', 'INFO'],
    ]);
    expect(written.findings.filter((f) => f.check === 'vulnerability-counts').map((f) => f.resource)).toEqual(
      ['inspector2:us-east-1'],
    );
    expect(written.summary.figures).toMatchObject({ scanTypesNotEnabled: 4, activeFindings: 0 });
  });

  it('FAILs a region whose answer names no account (never enabled) without an error', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves({ accounts: [], failedAccounts: [] });
    const { written } = await runInTempDir(vulnerabilities, { regions: ['ap-south-1'] });
    expect(written.errors).toEqual([]);
    expect(inspector.commandCalls(ListFindingsCommand)).toHaveLength(0);
    expect(written.findings.map((f) => f.status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'INFO']);
    expect(written.findings[0]!.detail.reason).toMatch(/never been enabled/);
    expect(written.summary.status).toBe('FAIL');
  });

  it('records AccessDenied on the status of one region as its error and keeps the other region', async () => {
    inspector.on(BatchGetAccountStatusCommand).callsFake(async (_i, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1')
        throw awsError('AccessDeniedException', 'not authorized');
      return enabled();
    });
    inspector
      .on(ListFindingAggregationsCommand)
      .resolves(aggregation({ all: 1, critical: 0, high: 0, medium: 1 }));
    inspector.on(ListFindingsCommand).resolves({ findings: [] });
    const { written } = await runInTempDir(vulnerabilities, { regions: ['us-east-1', 'eu-west-1'] });
    expect(written.errors).toEqual([
      {
        region: 'eu-west-1',
        api: 'inspector2:BatchGetAccountStatus',
        code: 'AccessDeniedException',
        message: 'not authorized',
      },
    ]);
    expect(written.summary.status).toBe('PARTIAL');
    expect(new Set(written.findings.map((f) => f.detail.region))).toEqual(new Set(['us-east-1']));
  });

  it.each(['ACCESS_DENIED', 'INTERNAL_ERROR'])(
    'an account in failedAccounts (%s) is an error entry for its region, not a FAIL; the other region is kept',
    async (errorCode) => {
      inspector.on(BatchGetAccountStatusCommand).callsFake(async (_i, getClient) =>
        (await regionOf(getClient)) === 'eu-west-1'
          ? {
              accounts: [],
              failedAccounts: [
                {
                  accountId: ACCOUNT,
                  status: 'DISABLED',
                  resourceStatus: { ec2: 'DISABLED', ecr: 'DISABLED', lambda: 'DISABLED' },
                  errorCode,
                  errorMessage: 'could not read',
                },
              ],
            }
          : enabled(),
      );
      inspector
        .on(ListFindingAggregationsCommand)
        .resolves(aggregation({ all: 0, critical: 0, high: 0, medium: 0 }));
      inspector.on(ListFindingsCommand).resolves({ findings: [] });
      const { written } = await runInTempDir(vulnerabilities, { regions: ['us-east-1', 'eu-west-1'] });
      expect(written.errors).toEqual([
        {
          region: 'eu-west-1',
          api: 'inspector2:BatchGetAccountStatus',
          code: errorCode,
          message: `Inspector could not read the account's status (failedAccounts, errorCode ${errorCode}): could not read`,
        },
      ]);
      expect(written.summary.status).toBe('PARTIAL');
      expect(written.findings.filter((f) => f.detail.region === 'eu-west-1')).toEqual([]);
      expect(written.findings.filter((f) => f.status === 'FAIL')).toEqual([]);
      expect(
        written.findings.filter((f) => f.check === 'inspector-enabled').map((f) => [f.resource, f.status]),
      ).toEqual([
        ['inspector2:us-east-1:ec2', 'PASS'],
        ['inspector2:us-east-1:ecr', 'PASS'],
        ['inspector2:us-east-1:lambda', 'PASS'],
        ['inspector2:us-east-1:lambdaCode', 'INFO'],
      ]);
      expect(written.summary.figures).toMatchObject({ regionsRead: 1 });
    },
  );

  it("records a failed findings read as that region's error and keeps its scan-type findings", async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(enabled());
    inspector
      .on(ListFindingAggregationsCommand)
      .resolves(aggregation({ all: 0, critical: 0, high: 0, medium: 0 }));
    inspector.on(ListFindingsCommand).callsFake(async (_i, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1') throw awsError('ThrottlingException', 'Rate exceeded');
      return { findings: [] };
    });
    const { written } = await runInTempDir(vulnerabilities, { regions: ['us-east-1', 'eu-west-1'] });
    expect(written.errors).toEqual([
      {
        region: 'eu-west-1',
        api: 'inspector2:ListFindings',
        code: 'ThrottlingException',
        message: 'Rate exceeded',
      },
    ]);
    expect(written.findings.filter((f) => f.detail.region === 'eu-west-1').map((f) => f.check)).toEqual([
      'inspector-enabled',
      'inspector-enabled',
      'inspector-enabled',
      'inspector-enabled',
    ]);
    expect(written.findings.filter((f) => f.check === 'vulnerability-counts')).toHaveLength(1);
  });

  it('lists only the severities the SLA has a value for', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(enabled());
    inspector
      .on(ListFindingAggregationsCommand)
      .resolves(aggregation({ all: 3, critical: 1, high: 2, medium: 0 }));
    inspector.on(ListFindingsCommand).resolves({ findings: [raw('c1', 'CRITICAL', 2)] });
    const { written } = await runInTempDir(vulnerabilities, {
      regions: ['us-east-1'],
      remediationSlaDays: { critical: 7 },
    });
    expect(
      inspector.commandCalls(ListFindingsCommand).map((c) => severityOf(c.args[0].input as never)),
    ).toEqual(['CRITICAL']);
    expect(written.findings.find((f) => f.check === 'vulnerability-counts')!.detail).toMatchObject({
      counts: { critical: 1, high: 2, all: 3 },
      listedInFull: ['critical'],
    });
  });
});
