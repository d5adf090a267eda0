import type { Answers } from '../../cli/demo/offline-clients';
import { REGION_CONCURRENCY } from '../../lambdas/readers/regions';
import { makespan } from '../minimums';
import { ACCOUNT_ID, seededRandom, slice, type PageRule, type SyntheticAccount } from '../synthetic-account';
import type { ControlBench } from './control-bench';

const HOUR = 3_600_000;

/** GuardDuty ListDetectors and ListFindings: MaxResults 1–50, default 50; GetFindings takes at most 50 ids. */
const GUARDDUTY_PAGE: PageRule = { max: 50, dflt: 50 };
const GET_FINDINGS_MAX = 50;

/**
 * The synthetic account's threat detection, derived from its sizes:
 * - GuardDuty on in every region but the last (when there are several): that one has no detector;
 * - active high and critical findings: one per 50 users across the account, spread round-robin over the
 *   regions with a detector (10,000 users: 200), each with a seeded severity (7–10) and age (0–200 hours);
 * - Security Hub on in the first region only (InvalidAccessException elsewhere);
 * - one ACTIVE ACCOUNT analyzer in every region.
 */
export function guardDutyRegions(account: SyntheticAccount): string[] {
  return account.regions.length > 1 ? account.regions.slice(0, -1) : [...account.regions];
}

export function findingsIn(account: SyntheticAccount, region: string): number {
  const on = guardDutyRegions(account);
  const r = on.indexOf(region);
  if (r < 0) return 0;
  const total = Math.max(1, Math.round(account.sizes.users / 50));
  return Math.max(0, Math.floor((total - r + on.length - 1) / on.length));
}

const detectorId = (region: string) => `${Buffer.from(region).toString('hex').padEnd(32, '0').slice(0, 32)}`;
const findingId = (region: string, k: number) =>
  `${Buffer.from(region).toString('hex').slice(0, 16)}${String(k).padStart(16, '0')}`;

function error(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

function finding(account: SyntheticAccount, region: string, k: number): Record<string, unknown> {
  const rnd = seededRandom(account.seed * 7919 + account.regions.indexOf(region) * 100_003 + k);
  const severity = Math.round((7 + rnd() * 3) * 10) / 10;
  const created = new Date(account.now.getTime() - rnd() * 200 * HOUR);
  const updated = new Date(Math.min(account.now.getTime(), created.getTime() + rnd() * 48 * HOUR));
  const id = findingId(region, k);
  return {
    AccountId: ACCOUNT_ID,
    Arn: `arn:aws:guardduty:${region}:${ACCOUNT_ID}:detector/${detectorId(region)}/finding/${id}`,
    Id: id,
    Region: region,
    SchemaVersion: '2.0',
    Type:
      severity >= 9 ? 'AttackSequence:IAM/CompromisedCredentials' : 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    Severity: severity,
    CreatedAt: created.toISOString(),
    UpdatedAt: updated.toISOString(),
    Resource: {
      ResourceType: 'Instance',
      InstanceDetails: { InstanceId: `i-${String(k).padStart(17, '0')}` },
    },
    Service: { Archived: false, Count: 1 + Math.floor(rnd() * 20), DetectorId: detectorId(region) },
  };
}

function detectorOf(account: SyntheticAccount, region: string, input: Record<string, unknown>): string {
  if (!guardDutyRegions(account).includes(region) || input.DetectorId !== detectorId(region))
    throw error('BadRequestException', 'The input detectorId is not owned by the current account.', 400);
  return detectorId(region);
}

export const threatDetectionBench: ControlBench = {
  answers: (account): Answers => ({
    'GuardDuty:ListDetectors': (input, region) => {
      const ids = guardDutyRegions(account).includes(region) ? [detectorId(region)] : [];
      const p = slice(
        `GuardDuty:ListDetectors:${region}`,
        ids.length,
        GUARDDUTY_PAGE,
        input.MaxResults,
        input.NextToken,
      );
      return { DetectorIds: ids.slice(p.from, p.to), ...(p.next ? { NextToken: p.next } : {}) };
    },
    'GuardDuty:GetDetector': (input, region) => {
      detectorOf(account, region, input);
      return {
        ServiceRole: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        Status: 'ENABLED',
        FindingPublishingFrequency: 'SIX_HOURS',
        Features: [
          { Name: 'CLOUD_TRAIL', Status: 'ENABLED' },
          { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
          { Name: 'RUNTIME_MONITORING', Status: 'DISABLED' },
        ],
      };
    },
    // Every synthetic finding is active and of severity 7 or more: the answer is the criterion's result.
    'GuardDuty:ListFindings': (input, region) => {
      detectorOf(account, region, input);
      const n = findingsIn(account, region);
      const p = slice(
        `GuardDuty:ListFindings:${region}`,
        n,
        GUARDDUTY_PAGE,
        input.MaxResults,
        input.NextToken,
      );
      const ids: string[] = [];
      for (let k = p.from; k < p.to; k++) ids.push(findingId(region, k));
      return { FindingIds: ids, ...(p.next ? { NextToken: p.next } : {}) };
    },
    'GuardDuty:GetFindings': (input, region) => {
      detectorOf(account, region, input);
      const ids = (input.FindingIds as string[] | undefined) ?? [];
      if (ids.length > GET_FINDINGS_MAX)
        throw error('BadRequestException', `findingIds has more than ${GET_FINDINGS_MAX} items.`, 400);
      return {
        Findings: ids.map((id) => finding(account, region, Number(id.slice(16)))),
      };
    },
    'SecurityHub:DescribeHub': (_input, region) => {
      if (region !== account.regions[0])
        throw error(
          'InvalidAccessException',
          `Account ${ACCOUNT_ID} is not subscribed to AWS Security Hub`,
          401,
        );
      return {
        HubArn: `arn:aws:securityhub:${region}:${ACCOUNT_ID}:hub/default`,
        SubscribedAt: new Date(account.now.getTime() - 400 * 24 * HOUR).toISOString(),
        AutoEnableControls: true,
      };
    },
    'AccessAnalyzer:ListAnalyzers': (_input, region) => ({
      analyzers: [
        {
          arn: `arn:aws:access-analyzer:${region}:${ACCOUNT_ID}:analyzer/external-access`,
          name: 'external-access',
          type: 'ACCOUNT',
          status: 'ACTIVE',
          createdAt: new Date(account.now.getTime() - 300 * 24 * HOUR),
        },
      ],
    }),
  }),

  /**
   * Per region: ListDetectors, DescribeHub and ListAnalyzers (one page each); where there is a detector,
   * GetDetector, ceil(findings / 50) ListFindings pages and as many GetFindings batches. ListFindings pages
   * follow each other; the batches of a region run `concurrency` at once. The findings wait for the
   * detectors only, so Security Hub and Access Analyzer (one call a region, four regions at once) overlap
   * them.
   */
  floor: (account, latencyMs, concurrency) => {
    const L = latencyMs;
    const on = new Set(guardDutyRegions(account));
    const pages = (n: number) => Math.max(1, Math.ceil(n / GUARDDUTY_PAGE.max));
    const perRegion = account.regions.map((region) => {
      const n = findingsIn(account, region);
      const detector = on.has(region);
      return {
        calls: 3 + (detector ? 1 + pages(n) + Math.ceil(n / GET_FINDINGS_MAX) : 0),
        detectorsMs: L * (detector ? 2 : 1),
        findingsMs: detector ? L * (pages(n) + Math.ceil(Math.ceil(n / GET_FINDINGS_MAX) / concurrency)) : 0,
      };
    });
    const total = account.regions.reduce((s, r) => s + findingsIn(account, r), 0);
    const guardDutyWall =
      makespan(
        perRegion.map((r) => r.detectorsMs),
        REGION_CONCURRENCY,
      ) +
      makespan(
        perRegion.filter((r) => r.findingsMs > 0).map((r) => r.findingsMs),
        REGION_CONCURRENCY,
      );
    const oneCallEach = makespan(
      account.regions.map(() => L),
      REGION_CONCURRENCY,
    );
    return {
      minCalls: perRegion.reduce((s, r) => s + r.calls, 0),
      formula: `${account.regions.length} regions × (ListDetectors + DescribeHub + ListAnalyzers) + ${on.size} detectors × (GetDetector + ceil(findings / 50) ListFindings + ceil(findings / 50) GetFindings), ${total} active high/critical findings`,
      wallFloorMs: Math.max(guardDutyWall, oneCallEach),
    };
  },
};
