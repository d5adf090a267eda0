import {
  BatchGetAccountStatusCommand,
  Inspector2Client,
  paginateListFindingAggregations,
  paginateListFindings,
  type AccountAggregationResponse,
  type AccountState,
  type FailedAccount,
  type Finding as InspectorFinding,
} from '@aws-sdk/client-inspector2';
import { partitionOf } from '../../aws/arn';
import { withApi } from '../../aws/aws-error';
import { canonicalBytes } from '../../evidence/canonical-json';
import type { ErrorEntry, Finding, FindingStatus } from '../../evidence/envelope';
import { iso } from '../../evidence/iso-date';
import type { RawSource } from '../../evidence/write-evidence';
import { readRegions } from '../../readers/regions';
import type { CollectorSettings } from '../../settings';
import type { Collector } from '../collector';
import { VULNERABILITIES_IDENTITY, type VulnerabilitiesCheck } from './checks';

/** The scan types judged on `inspector-enabled` (FAIL unless ENABLED). */
export const JUDGED_SCAN_TYPES = ['ec2', 'ecr', 'lambda'] as const;
/** Lambda code scanning: recorded (INFO), not judged. It is an add-on to Lambda standard scanning, offered
 * in fewer regions and billed separately, so its absence is not a gap in the vulnerability-management
 * control the issue asks for. */
export const RECORDED_SCAN_TYPES = ['lambdaCode'] as const;
export type ScanType = (typeof JUDGED_SCAN_TYPES)[number] | (typeof RECORDED_SCAN_TYPES)[number];
const SCAN_TYPES: readonly ScanType[] = [...JUDGED_SCAN_TYPES, ...RECORDED_SCAN_TYPES];

/** The severities judged against the remediation SLA (when the SLA has a value for them). */
export const SLA_SEVERITIES = ['critical', 'high'] as const;
export type SlaSeverity = (typeof SLA_SEVERITIES)[number];

/** Inspector's own status while it is being turned on: not scanning yet, but on its way. */
const ENABLING = 'ENABLING';
const ENABLED = 'ENABLED';

/** ListFindings and ListFindingAggregations accept at most 100 per page. */
export const PAGE_SIZE = 100;
/** Packages listed per finding in the evidence; a finding rarely names more than a handful. */
const MAX_PACKAGES = 10;

const DAY_MS = 86_400_000;

export interface ScanTypeState {
  readonly status: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** What BatchGetAccountStatus said about the calling account in one region. */
export interface RegionStatus {
  readonly region: string;
  readonly accountId?: string;
  /** `accounts`: a normal answer; `failedAccounts`: Inspector reported a failure for the account; `none`:
   * neither list named the account. */
  readonly answeredIn: 'accounts' | 'failedAccounts' | 'none';
  /** Inspector's status for the account as a whole (state.status). */
  readonly accountStatus?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly scanTypes: Readonly<Partial<Record<ScanType, ScanTypeState>>>;
}

export interface ReducedPackage {
  readonly name?: string;
  readonly version?: string;
  readonly fixedInVersion?: string;
  readonly packageManager?: string;
}

/** One active Inspector finding in reduced form (the raw finding carries pages of CVSS and references). */
export interface ReducedFinding {
  readonly id: string;
  readonly severity: string;
  readonly type?: string;
  readonly title?: string;
  readonly vulnerabilityId?: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  /** The resource's ARN: Inspector gives EC2 instances by id, so theirs is built from the id. */
  readonly resourceArn?: string;
  readonly packages: readonly ReducedPackage[];
  readonly firstObservedAt?: string;
  readonly lastObservedAt?: string;
  /** YES, NO or PARTIAL. */
  readonly fixAvailable?: string;
  readonly exploitAvailable?: string;
  readonly inspectorScore?: number;
}

/** ListFindingAggregations ACCOUNT for the calling account. SeverityCounts has no `low` field. */
export interface AggregatedCounts {
  readonly all: number;
  readonly critical: number;
  readonly high: number;
  readonly medium: number;
  readonly fixAvailable?: number;
  readonly exploitAvailable?: number;
}

export interface RegionFindings {
  readonly region: string;
  /** Undefined when the aggregation named no row for the account (no findings ever aggregated). */
  readonly aggregated?: AggregatedCounts;
  /** Severities listed in full (ACTIVE, one listing each); the others are counted only. */
  readonly listedSeverities: readonly SlaSeverity[];
  readonly listed: readonly ReducedFinding[];
}

export interface VulnerabilitiesFacts {
  /** Regions whose Inspector status could be read. */
  readonly statuses: readonly RegionStatus[];
  /** Regions whose findings were read (Inspector on for the account, or for at least one scan type). */
  readonly findings: readonly RegionFindings[];
}

// ---- gather --------------------------------------------------------------------------------------------

function scanState(s: { status?: string; errorCode?: string; errorMessage?: string } | undefined) {
  if (!s) return undefined;
  return {
    status: s.status ?? 'UNKNOWN',
    ...(s.errorCode ? { errorCode: s.errorCode } : {}),
    ...(s.errorMessage ? { errorMessage: s.errorMessage } : {}),
  };
}

/** Reads BatchGetAccountStatus's answer for the calling account (called without accountIds, it answers for
 * the caller). A healthy answer is in `accounts`; an account Inspector could not read is in `failedAccounts`
 * with an error code (ACCESS_DENIED, INTERNAL_ERROR...): a failure to read, which gather records as the
 * region's error entry and assess does not judge; neither is kept as `none` and judged as not enabled. */
export function regionStatus(
  region: string,
  accounts: readonly AccountState[],
  failed: readonly FailedAccount[],
): RegionStatus {
  const a = accounts[0];
  if (a) {
    const rs = a.resourceState;
    const scanTypes: Partial<Record<ScanType, ScanTypeState>> = {};
    for (const t of SCAN_TYPES) {
      const s = scanState(rs?.[t]);
      if (s) scanTypes[t] = s;
    }
    return {
      region,
      accountId: a.accountId,
      answeredIn: 'accounts',
      accountStatus: a.state?.status,
      ...(a.state?.errorCode ? { errorCode: a.state.errorCode } : {}),
      ...(a.state?.errorMessage ? { errorMessage: a.state.errorMessage } : {}),
      scanTypes,
    };
  }
  const f = failed[0];
  if (f) {
    const scanTypes: Partial<Record<ScanType, ScanTypeState>> = {};
    for (const t of SCAN_TYPES) {
      const s = f.resourceStatus?.[t];
      if (s) scanTypes[t] = { status: s };
    }
    return {
      region,
      accountId: f.accountId,
      answeredIn: 'failedAccounts',
      accountStatus: f.status,
      errorCode: f.errorCode,
      errorMessage: f.errorMessage,
      scanTypes,
    };
  }
  return { region, answeredIn: 'none', scanTypes: {} };
}

/** Whether the region can hold findings of the account: Inspector or one of its scan types is on. A status
 * Inspector failed to read says nothing reliable: the region is treated as unread, like a call that threw. */
export function findingsReadable(s: RegionStatus): boolean {
  if (s.answeredIn === 'failedAccounts') return false;
  return s.accountStatus === ENABLED || Object.values(s.scanTypes).some((t) => t?.status === ENABLED);
}

function ec2Arn(region: string, account: string | undefined, id: string): string | undefined {
  if (id.startsWith('arn:')) return id;
  return account ? `arn:${partitionOf(region)}:ec2:${region}:${account}:instance/${id}` : undefined;
}

export function reduceFinding(region: string, f: InspectorFinding): ReducedFinding {
  const r = f.resources?.[0];
  const resourceArn =
    r?.id === undefined
      ? undefined
      : r.type === 'AWS_EC2_INSTANCE'
        ? ec2Arn(r.region ?? region, f.awsAccountId, r.id)
        : r.id.startsWith('arn:')
          ? r.id
          : undefined;
  const packages = (f.packageVulnerabilityDetails?.vulnerablePackages ?? []).slice(0, MAX_PACKAGES);
  return {
    id: f.findingArn ?? 'unknown',
    severity: f.severity ?? 'UNTRIAGED',
    type: f.type,
    title: f.title,
    vulnerabilityId: f.packageVulnerabilityDetails?.vulnerabilityId,
    resourceType: r?.type,
    resourceId: r?.id,
    resourceArn,
    packages: packages.map((p) => ({
      name: p.name,
      version: p.version,
      fixedInVersion: p.fixedInVersion,
      packageManager: p.packageManager,
    })),
    firstObservedAt: iso(f.firstObservedAt),
    lastObservedAt: iso(f.lastObservedAt),
    fixAvailable: f.fixAvailable,
    exploitAvailable: f.exploitAvailable,
    inspectorScore: f.inspectorScore,
  };
}

/** The severities listed in full: critical and high, each only while the SLA has a value for it. */
export function listedSeverities(sla: CollectorSettings['remediationSlaDays']): SlaSeverity[] {
  return SLA_SEVERITIES.filter((s) => sla[s] !== undefined);
}

async function readFindings(
  client: Inspector2Client,
  status: RegionStatus,
  severities: readonly SlaSeverity[],
): Promise<RegionFindings> {
  const account = status.accountId;
  const accountFilter = account ? [{ comparison: 'EQUALS' as const, value: account }] : undefined;
  const aggregate = withApi('inspector2:ListFindingAggregations', async () => {
    const rows: AccountAggregationResponse[] = [];
    for await (const page of paginateListFindingAggregations(
      { client, pageSize: PAGE_SIZE },
      { aggregationType: 'ACCOUNT', ...(accountFilter ? { accountIds: accountFilter } : {}) },
    ))
      for (const r of page.responses ?? []) if (r.accountAggregation) rows.push(r.accountAggregation);
    return rows.find((r) => !account || r.accountId === account);
  });
  const list = (severity: SlaSeverity) =>
    withApi('inspector2:ListFindings', async () => {
      const out: ReducedFinding[] = [];
      for await (const page of paginateListFindings(
        { client, pageSize: PAGE_SIZE },
        {
          filterCriteria: {
            // Always set: without it CLOSED and SUPPRESSED findings would be listed too.
            findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
            severity: [{ comparison: 'EQUALS', value: severity.toUpperCase() }],
            ...(accountFilter ? { awsAccountId: accountFilter } : {}),
          },
        },
      ))
        out.push(...(page.findings ?? []).map((f) => reduceFinding(status.region, f)));
      return out;
    });
  const [row, ...lists] = await Promise.all([aggregate, ...severities.map(list)]);
  const sc = row?.severityCounts;
  return {
    region: status.region,
    ...(row
      ? {
          aggregated: {
            all: sc?.all ?? 0,
            critical: sc?.critical ?? 0,
            high: sc?.high ?? 0,
            medium: sc?.medium ?? 0,
            ...(row.fixAvailableCount !== undefined ? { fixAvailable: row.fixAvailableCount } : {}),
            ...(row.exploitAvailableCount !== undefined
              ? { exploitAvailable: row.exploitAvailableCount }
              : {}),
          },
        }
      : {}),
    listedSeverities: [...severities],
    listed: lists.flat(),
  };
}

// ---- assess --------------------------------------------------------------------------------------------

const scanTypeNames: Record<ScanType, string> = {
  ec2: 'EC2 instance scanning',
  ecr: 'ECR container image scanning',
  lambda: 'Lambda standard scanning',
  lambdaCode: 'Lambda code scanning',
};

export const inspectorResource = (region: string, scanType?: ScanType) =>
  scanType ? `inspector2:${region}:${scanType}` : `inspector2:${region}`;

/** The error entry for a region whose status BatchGetAccountStatus answered in `failedAccounts`. */
export function failedStatusError(s: RegionStatus): ErrorEntry {
  const code = s.errorCode ?? 'UNKNOWN';
  return {
    region: s.region,
    api: 'inspector2:BatchGetAccountStatus',
    code,
    message:
      `Inspector could not read the account's status (failedAccounts, errorCode ${code})` +
      (s.errorMessage ? `: ${s.errorMessage}` : ''),
  };
}

/** One `inspector-enabled` finding per region and scan type; none for a status Inspector failed to read
 * (`failedAccounts`): that is an error entry of the run, not a verdict on the scan types. */
export function assessScanTypes(s: RegionStatus): Finding<VulnerabilitiesCheck>[] {
  if (s.answeredIn === 'failedAccounts') return [];
  return SCAN_TYPES.map((t) => {
    const state = s.scanTypes[t];
    const judged = (JUDGED_SCAN_TYPES as readonly string[]).includes(t);
    let status: FindingStatus;
    let reason: string;
    if (s.answeredIn === 'none') {
      status = judged ? 'FAIL' : 'INFO';
      reason =
        'BatchGetAccountStatus named no status for the account here: Amazon Inspector has never been enabled in this region';
    } else if (!state) {
      status = judged ? 'FAIL' : 'INFO';
      reason = `no ${t} status reported (account status ${s.accountStatus ?? 'none'}): ${scanTypeNames[t]} is not on`;
    } else if (state.status === ENABLED) {
      status = judged ? 'PASS' : 'INFO';
      reason = `${scanTypeNames[t]} is ENABLED`;
    } else if (state.status === ENABLING && judged) {
      status = 'WARN';
      reason = `${scanTypeNames[t]} is ENABLING: being turned on, not scanning yet`;
    } else {
      status = judged ? 'FAIL' : 'INFO';
      reason =
        s.accountStatus !== ENABLED && state.status === 'DISABLED'
          ? `${scanTypeNames[t]} is DISABLED: Amazon Inspector is ${s.accountStatus ?? 'not enabled'} in this region`
          : `${scanTypeNames[t]} is ${state.status}, not ENABLED`;
    }
    if (!judged) reason += ' (recorded, not judged)';
    return {
      resource: inspectorResource(s.region, t),
      check: 'inspector-enabled' as const,
      status,
      detail: {
        region: s.region,
        scanType: t,
        judged,
        scanStatus: state?.status ?? null,
        ...(state?.errorCode ? { scanErrorCode: state.errorCode } : {}),
        ...(state?.errorMessage ? { scanErrorMessage: state.errorMessage } : {}),
        accountStatus: s.accountStatus ?? null,
        answeredIn: s.answeredIn,
        ...(s.errorCode ? { accountErrorCode: s.errorCode } : {}),
        ...(s.errorMessage ? { accountErrorMessage: s.errorMessage } : {}),
        required: judged ? ENABLED : null,
        reason,
      },
    };
  });
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** One `vulnerability-sla` finding per active critical or high finding. The resource is the Inspector
 * finding's ARN: Inspector keeps one finding per vulnerability per resource and reopens the same finding when
 * a closed one recurs within 7 days, so the ARN follows one vulnerability on one resource from day to day,
 * where the resource ARN would merge every vulnerability of an instance into one row. */
export function assessSla(
  region: string,
  f: ReducedFinding,
  slaDays: number,
  now: Date,
): Finding<VulnerabilitiesCheck> {
  const severity = f.severity.toLowerCase();
  let status: FindingStatus;
  let reason: string;
  let ageDays: number | undefined;
  let dueAt: string | undefined;
  if (!f.firstObservedAt) {
    status = 'WARN';
    reason = `no firstObservedAt: the ${severity} finding cannot be timed against its ${slaDays}-day SLA`;
  } else {
    const first = Date.parse(f.firstObservedAt);
    const due = first + slaDays * DAY_MS;
    ageDays = round1((now.getTime() - first) / DAY_MS);
    dueAt = new Date(due).toISOString();
    if (now.getTime() > due) {
      status = 'FAIL';
      reason = `${severity} finding open ${ageDays} days, more than its ${slaDays}-day SLA (due ${dueAt.slice(0, 10)})`;
    } else {
      status = 'WARN';
      reason = `${severity} finding open ${ageDays} days, within its ${slaDays}-day SLA: due ${dueAt.slice(0, 10)}`;
    }
  }
  return {
    resource: f.id,
    check: 'vulnerability-sla',
    status,
    detail: {
      region,
      severity: f.severity,
      title: f.title,
      vulnerabilityId: f.vulnerabilityId,
      findingType: f.type,
      resourceType: f.resourceType,
      resourceId: f.resourceId,
      resourceArn: f.resourceArn,
      packages: f.packages,
      fixAvailable: f.fixAvailable,
      exploitAvailable: f.exploitAvailable,
      inspectorScore: f.inspectorScore,
      firstObservedAt: f.firstObservedAt,
      lastObservedAt: f.lastObservedAt,
      ageDays,
      slaDays,
      dueAt,
      reason,
    },
  };
}

export interface RegionCounts {
  critical: number;
  high: number;
  medium: number;
  /** LOW, INFORMATIONAL and UNTRIAGED: SeverityCounts counts them only inside `all`. */
  lowInformationalUntriaged: number;
  all: number;
  fixAvailable?: number;
}

/** The region's counts: critical and high from the ACTIVE listing where they were listed (exact by
 * definition), the rest from the account aggregation. */
export function regionCounts(r: RegionFindings): RegionCounts {
  const a = r.aggregated;
  const listedOf = (s: SlaSeverity) =>
    r.listedSeverities.includes(s)
      ? r.listed.filter((f) => f.severity === s.toUpperCase()).length
      : (a?.[s] ?? 0);
  const critical = listedOf('critical');
  const high = listedOf('high');
  const medium = a?.medium ?? 0;
  const other = a ? Math.max(0, a.all - a.critical - a.high - a.medium) : 0;
  return {
    critical,
    high,
    medium,
    lowInformationalUntriaged: other,
    all: critical + high + medium + other,
    ...(a?.fixAvailable !== undefined ? { fixAvailable: a.fixAvailable } : {}),
  };
}

export function assessCounts(r: RegionFindings): Finding<VulnerabilitiesCheck> {
  const counts = regionCounts(r);
  const a = r.aggregated;
  const listedFix = (s: SlaSeverity) =>
    r.listed.filter((f) => f.severity === s.toUpperCase() && f.fixAvailable === 'YES').length;
  const disagree = r.listedSeverities.filter((s) => a && a[s] !== counts[s]);
  return {
    resource: inspectorResource(r.region),
    check: 'vulnerability-counts',
    status: 'INFO',
    detail: {
      region: r.region,
      counts,
      fixAvailable: {
        ...(a?.fixAvailable !== undefined ? { all: a.fixAvailable } : {}),
        ...Object.fromEntries(r.listedSeverities.map((s) => [s, listedFix(s)])),
      },
      ...(a?.exploitAvailable !== undefined ? { exploitAvailable: a.exploitAvailable } : {}),
      listedInFull: r.listedSeverities,
      aggregated: a ?? null,
      ...(disagree.length
        ? {
            aggregationDisagrees: disagree,
            note: 'the ACTIVE listing and the account aggregation differ (the aggregation takes no status filter); the listed counts are used',
          }
        : {}),
      reason: `${counts.all} active findings: ${counts.critical} critical, ${counts.high} high, ${counts.medium} medium, ${counts.lowInformationalUntriaged} low, informational or untriaged`,
    },
  };
}

export function assessVulnerabilities(
  facts: VulnerabilitiesFacts,
  settings: Pick<CollectorSettings, 'remediationSlaDays'>,
  now: Date,
): { findings: Finding<VulnerabilitiesCheck>[]; figures: Record<string, number> } {
  const findings: Finding<VulnerabilitiesCheck>[] = [];
  for (const s of facts.statuses) findings.push(...assessScanTypes(s));
  const enabled = findings.filter((f) => f.check === 'inspector-enabled');
  const sla: Finding<VulnerabilitiesCheck>[] = [];
  const totals = { critical: 0, high: 0, medium: 0, other: 0, all: 0, fix: 0 };
  for (const r of facts.findings) {
    const c = regionCounts(r);
    totals.critical += c.critical;
    totals.high += c.high;
    totals.medium += c.medium;
    totals.other += c.lowInformationalUntriaged;
    totals.all += c.all;
    totals.fix += c.fixAvailable ?? 0;
    findings.push(assessCounts(r));
    for (const f of r.listed) {
      const days = settings.remediationSlaDays[f.severity.toLowerCase() as SlaSeverity];
      if (days !== undefined) sla.push(assessSla(r.region, f, days, now));
    }
  }
  findings.push(...sla);
  const slaOf = (sev: string, st: FindingStatus) =>
    sla.filter((f) => f.detail.severity === sev && f.status === st).length;
  return {
    findings,
    figures: {
      regionsRead: facts.statuses.filter((s) => s.answeredIn !== 'failedAccounts').length,
      scanTypesEnabled: enabled.filter((f) => f.status === 'PASS').length,
      scanTypesNotEnabled: enabled.filter((f) => f.status === 'FAIL' || f.status === 'WARN').length,
      activeFindings: totals.all,
      activeCritical: totals.critical,
      activeHigh: totals.high,
      activeMedium: totals.medium,
      activeLowInformationalUntriaged: totals.other,
      activeFixAvailable: totals.fix,
      criticalOverSla: slaOf('CRITICAL', 'FAIL'),
      criticalWithinSla: slaOf('CRITICAL', 'WARN'),
      highOverSla: slaOf('HIGH', 'FAIL'),
      highWithinSla: slaOf('HIGH', 'WARN'),
    },
  };
}

// ---- the collector -------------------------------------------------------------------------------------

export const vulnerabilities: Collector<VulnerabilitiesFacts, VulnerabilitiesCheck> = {
  ...VULNERABILITIES_IDENTITY,
  iamActions: [
    'inspector2:BatchGetAccountStatus',
    'inspector2:ListFindingAggregations',
    'inspector2:ListFindings',
  ],
  policy: (s) => ({
    requiredScanTypes: [...JUDGED_SCAN_TYPES],
    recordedScanTypes: [...RECORDED_SCAN_TYPES],
    scanTypeEnabling: 'WARN (being turned on, not scanning yet)',
    neverEnabledRegion: 'FAIL (BatchGetAccountStatus names no status, or DISABLED)',
    failedAccounts:
      'an error entry for the region naming the errorCode (run PARTIAL); its scan types and findings are not judged',
    remediationSlaDays: s.remediationSlaDays,
    judgedSeverities: listedSeverities(s.remediationSlaDays),
    slaClock: 'firstObservedAt of the active finding',
    overSla: 'FAIL',
    withinSla: 'WARN, with its due date',
    findingsCounted: 'findingStatus ACTIVE',
    countsSource:
      'critical and high: ListFindings (ACTIVE, one listing per severity); medium and the rest: ListFindingAggregations ACCOUNT',
  }),

  async gather(ctx) {
    const regions = ctx.settings.regions;
    const severities = listedSeverities(ctx.settings.remediationSlaDays);
    const statuses = await readRegions(regions, 'inspector2:BatchGetAccountStatus', (region) =>
      withApi('inspector2:BatchGetAccountStatus', async () => {
        const out = await ctx.clients
          .get(Inspector2Client, region)
          .send(new BatchGetAccountStatusCommand({}));
        return regionStatus(region, out.accounts ?? [], out.failedAccounts ?? []);
      }),
    );
    const read = statuses.results.flatMap((r) => (r.value ? [r.value] : []));
    const readable = read.filter(findingsReadable);
    const byRegion = new Map(readable.map((s) => [s.region, s]));
    const found = await readRegions(
      readable.map((s) => s.region),
      'inspector2:ListFindings',
      (region) => readFindings(ctx.clients.get(Inspector2Client, region), byRegion.get(region)!, severities),
    );
    const findings = found.results.flatMap((r) => (r.value ? [r.value] : []));
    const generatedAt = ctx.now.toISOString();
    const sources: RawSource[] = [
      {
        name: 'inspector-status.json',
        api: 'inspector2:BatchGetAccountStatus',
        contentType: 'application/json',
        body: canonicalBytes({ regions: read }),
        generatedAt,
      },
      {
        name: 'inspector-findings.json',
        api: 'inspector2:ListFindings',
        contentType: 'application/json',
        body: canonicalBytes({
          filter: { findingStatus: 'ACTIVE', severities: severities.map((s) => s.toUpperCase()) },
          regions: findings,
        }),
        generatedAt,
      },
    ];
    return {
      facts: { statuses: read, findings },
      sources,
      errors: [
        ...statuses.errors,
        ...read.filter((s) => s.answeredIn === 'failedAccounts').map(failedStatusError),
        ...found.errors,
      ],
    };
  },

  assess: (facts, settings, now) => assessVulnerabilities(facts, settings, now),
};
