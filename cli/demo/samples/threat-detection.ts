import { SAMPLE_ACCOUNT_ID } from '../sample-account';
import type { Answers } from '../offline-clients';

/**
 * The sample account's threat detection: GuardDuty (detectors and findings), Security Hub CSPM and IAM
 * Access Analyzer, in us-east-1 and eu-west-1. Read by `threat-detection`.
 */

const HOUR = 3_600_000;

/** A GuardDuty finding as the sample holds it; times count back from the demo's today. */
export interface SampleGuardDutyFinding {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly severity: number;
  readonly createdHoursAgo: number;
  readonly updatedHoursAgo: number;
  readonly count: number;
  readonly archived: boolean;
  readonly resource: Record<string, unknown>;
}

export const SAMPLE_DETECTORS: Readonly<Record<string, { id: string; status: 'ENABLED' | 'DISABLED' }>> = {
  'us-east-1': { id: '12abc34d567e8fa901bc2d34e56789f0', status: 'ENABLED' },
  // PROBLEM: eu-west-1 has no detector at all (ListDetectors is empty): GuardDuty is off there, though the
  // account keeps a bucket in the region.
};

const ciRunnerKey = {
  ResourceType: 'AccessKey',
  AccessKeyDetails: {
    AccessKeyId: 'AKIAI44QH8DHBEXAMPLE',
    PrincipalId: 'AIDAEXAMPLEPRINCIPAL1',
    UserName: 'ci-runner',
    UserType: 'IAMUser',
  },
};

const bastion = {
  ResourceType: 'Instance',
  InstanceDetails: { InstanceId: 'i-0a1b2c3d4e5f60002', InstanceType: 't3.micro', InstanceState: 'running' },
};

export const SAMPLE_GUARDDUTY_FINDINGS: readonly SampleGuardDutyFinding[] = [
  // PROBLEM: a critical finding raised 30 hours ago, past the 24-hour window and still active: the CI user's
  // key is being used in a sequence of credential-compromise steps, seen again 2 hours ago.
  {
    id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    type: 'AttackSequence:IAM/CompromisedCredentials',
    title: 'Potential credential compromise of ci-runner indicated by a sequence of actions.',
    severity: 9.2,
    createdHoursAgo: 30,
    updatedHoursAgo: 2,
    count: 6,
    archived: false,
    resource: ciRunnerKey,
  },
  // PROBLEM (being worked on): a high finding raised 20 hours ago, within its 72-hour window: WARN with its
  // due time. The bastion with SSH open to the internet is querying a Bitcoin-related domain.
  {
    id: 'b2c3d4e5f60718293a4b5c6d7e8f90a1',
    type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    title:
      'EC2 instance i-0a1b2c3d4e5f60002 is querying a domain name that is associated with Bitcoin-related activity.',
    severity: 8,
    createdHoursAgo: 20,
    updatedHoursAgo: 1,
    count: 14,
    archived: false,
    resource: bastion,
  },
  // Not judged: a low-severity probe (below 7), and a high finding the team handled and archived.
  {
    id: 'c3d4e5f60718293a4b5c6d7e8f90a1b2',
    type: 'Recon:EC2/PortProbeUnprotectedPort',
    title: 'Unprotected port on EC2 instance i-0a1b2c3d4e5f60002 is being probed.',
    severity: 2,
    createdHoursAgo: 400,
    updatedHoursAgo: 3,
    count: 210,
    archived: false,
    resource: bastion,
  },
  {
    id: 'd4e5f60718293a4b5c6d7e8f90a1b2c3',
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    title: 'Credentials for instance role app were used from an external IP address.',
    severity: 8,
    createdHoursAgo: 500,
    updatedHoursAgo: 480,
    count: 1,
    archived: true,
    resource: { ResourceType: 'AccessKey', AccessKeyDetails: { UserName: 'app', UserType: 'AssumedRole' } },
  },
];

/** Security Hub CSPM: on in us-east-1 only. */
const SECURITY_HUB_REGIONS = ['us-east-1'];
// PROBLEM: Security Hub is used (us-east-1) but not enabled in eu-west-1, so that region's findings never
// reach the hub the team watches.

/** IAM Access Analyzer analyzers by region. */
const ANALYZERS: Readonly<Record<string, readonly { name: string; type: string; status: string }[]>> = {
  'us-east-1': [{ name: 'external-access', type: 'ACCOUNT', status: 'ACTIVE' }],
  // PROBLEM: eu-west-1 has only an unused-access analyzer, which does not report external sharing.
  'eu-west-1': [{ name: 'unused-access', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE' }],
};

function awsError(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

function detectorIn(region: string, input: Record<string, unknown>) {
  const d = SAMPLE_DETECTORS[region];
  if (!d || input.DetectorId !== d.id)
    throw awsError(
      'BadRequestException',
      'The request is rejected because the input detectorId is not owned by the current account.',
      400,
    );
  return d;
}

/** A page of `items` from an offset token (GuardDuty spells it NextToken/MaxResults, Access Analyzer
 * nextToken/maxResults). */
function page<T>(
  items: readonly T[],
  token: unknown,
  requested: unknown,
  max: number,
): { items: T[]; next?: string } {
  const from = typeof token === 'string' && token ? Number(token) : 0;
  const size = typeof requested === 'number' ? Math.min(requested, max) : max;
  const to = Math.min(items.length, from + size);
  return { items: items.slice(from, to), ...(to < items.length ? { next: String(to) } : {}) };
}

/** The answers for the APIs only `threat-detection` reads. Findings not yet raised on a replayed day are
 * left out. */
export function threatDetectionAnswers(now: Date, demoNow: Date): Answers {
  const at = (hoursAgo: number) => new Date(demoNow.getTime() - hoursAgo * HOUR);
  const existing = SAMPLE_GUARDDUTY_FINDINGS.filter((f) => at(f.createdHoursAgo) <= now);
  const shape = (region: string, detectorId: string, f: SampleGuardDutyFinding) => ({
    AccountId: SAMPLE_ACCOUNT_ID,
    Arn: `arn:aws:guardduty:${region}:${SAMPLE_ACCOUNT_ID}:detector/${detectorId}/finding/${f.id}`,
    Id: f.id,
    Partition: 'aws',
    Region: region,
    SchemaVersion: '2.0',
    Type: f.type,
    Title: f.title,
    Severity: f.severity,
    CreatedAt: at(f.createdHoursAgo).toISOString(),
    UpdatedAt: new Date(Math.min(at(f.updatedHoursAgo).getTime(), now.getTime())).toISOString(),
    Resource: f.resource,
    Service: {
      Archived: f.archived,
      Count: f.count,
      DetectorId: detectorId,
      EventFirstSeen: at(f.createdHoursAgo).toISOString(),
      EventLastSeen: new Date(Math.min(at(f.updatedHoursAgo).getTime(), now.getTime())).toISOString(),
      ServiceName: 'guardduty',
    },
  });
  return {
    'GuardDuty:ListDetectors': (_input, region) => {
      const d = SAMPLE_DETECTORS[region];
      return { DetectorIds: d ? [d.id] : [] };
    },
    'GuardDuty:GetDetector': (input, region) => {
      const d = detectorIn(region, input);
      return {
        CreatedAt: at(24 * 400).toISOString(),
        UpdatedAt: at(24 * 30).toISOString(),
        FindingPublishingFrequency: 'FIFTEEN_MINUTES',
        ServiceRole: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        Status: d.status,
        Features: [
          { Name: 'CLOUD_TRAIL', Status: 'ENABLED' },
          { Name: 'DNS_LOGS', Status: 'ENABLED' },
          { Name: 'FLOW_LOGS', Status: 'ENABLED' },
          { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
          { Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' },
          { Name: 'RDS_LOGIN_EVENTS', Status: 'ENABLED' },
          { Name: 'LAMBDA_NETWORK_LOGS', Status: 'DISABLED' },
          { Name: 'RUNTIME_MONITORING', Status: 'DISABLED' },
        ],
      };
    },
    // Honours the two criteria the collector sends (severity GreaterThanOrEqual, service.archived Equals),
    // so the archived and the low finding above stay out, as they would in AWS.
    'GuardDuty:ListFindings': (input, region) => {
      detectorIn(region, input);
      const criterion = ((input.FindingCriteria as { Criterion?: Record<string, Record<string, unknown>> })
        ?.Criterion ?? {}) as Record<string, { GreaterThanOrEqual?: number; Equals?: string[] }>;
      const min = criterion.severity?.GreaterThanOrEqual ?? 0;
      const archived = criterion['service.archived']?.Equals;
      const ids = existing
        .filter((f) => f.severity >= min && (!archived || archived.includes(String(f.archived))))
        .map((f) => f.id);
      const p = page(ids, input.NextToken, input.MaxResults, 50);
      return { FindingIds: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    'GuardDuty:GetFindings': (input, region) => {
      const d = detectorIn(region, input);
      const ids = (input.FindingIds as string[] | undefined) ?? [];
      if (ids.length > 50)
        throw awsError(
          'BadRequestException',
          'The request is rejected because findingIds has more than 50 items.',
          400,
        );
      return {
        Findings: existing.filter((f) => ids.includes(f.id)).map((f) => shape(region, d.id, f)),
      };
    },
    'SecurityHub:DescribeHub': (_input, region) => {
      if (!SECURITY_HUB_REGIONS.includes(region))
        throw awsError(
          'InvalidAccessException',
          `Account ${SAMPLE_ACCOUNT_ID} is not subscribed to AWS Security Hub`,
          401,
        );
      return {
        HubArn: `arn:aws:securityhub:${region}:${SAMPLE_ACCOUNT_ID}:hub/default`,
        SubscribedAt: at(24 * 300).toISOString(),
        AutoEnableControls: true,
        ControlFindingGenerator: 'SECURITY_CONTROL',
      };
    },
    'AccessAnalyzer:ListAnalyzers': (input, region) => {
      const all = (ANALYZERS[region] ?? []).map((a) => ({
        arn: `arn:aws:access-analyzer:${region}:${SAMPLE_ACCOUNT_ID}:analyzer/${a.name}`,
        name: a.name,
        type: a.type,
        status: a.status,
        createdAt: at(24 * 200),
        lastResourceAnalyzedAt: at(6),
      }));
      const p = page(all, input.nextToken, input.maxResults, 1000);
      return { analyzers: p.items, ...(p.next ? { nextToken: p.next } : {}) };
    },
  };
}
