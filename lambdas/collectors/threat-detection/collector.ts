import {
  AccessAnalyzerClient,
  paginateListAnalyzers,
  type AnalyzerSummary,
} from '@aws-sdk/client-accessanalyzer';
import {
  GetDetectorCommand,
  GetFindingsCommand,
  GuardDutyClient,
  paginateListDetectors,
  paginateListFindings,
  type Finding as GuardDutySdkFinding,
  type FindingCriteria,
  type Resource,
} from '@aws-sdk/client-guardduty';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { isAwsError, readAwsError, withApi } from '../../aws/aws-error';
import { mapWithConcurrency } from '../../aws/concurrency';
import type { Finding, FindingStatus } from '../../evidence/envelope';
import { iso } from '../../evidence/iso-date';
import { jsonSource, type RawSource } from '../../evidence/write-evidence';
import { readRegions } from '../../readers/regions';
import type { CollectorSettings } from '../../settings';
import type { Collector } from '../collector';
import { THREAT_DETECTION_IDENTITY, type ThreatDetectionCheck } from './checks';

// ---- AWS semantics, in one place -------------------------------------------------------------------------

/** GuardDuty's severity bands (docs: Low 1–3.9, Medium 4–6.9, High 7–8.9, Critical 9–10). */
export const HIGH_SEVERITY_FROM = 7;
export const CRITICAL_SEVERITY_FROM = 9;

/** ListFindings and GetFindings both take at most 50 (MaxResults; FindingIds). */
export const FINDINGS_PAGE = 50;

/**
 * Active high and critical findings: `GreaterThanOrEqual` (the `Gte` spelling is deprecated), and
 * `service.archived` set explicitly, since leaving it unset also returns archived (and so suppressed)
 * findings.
 */
export const ACTIVE_HIGH_CRITICAL: FindingCriteria = {
  Criterion: {
    severity: { GreaterThanOrEqual: HIGH_SEVERITY_FROM },
    'service.archived': { Equals: ['false'] },
  },
};

/** Analyzers of these types report external access (resources shared outside the zone of trust). The
 * `*_UNUSED_ACCESS` and `*_INTERNAL_ACCESS` types answer other questions and do not count. */
export const EXTERNAL_ACCESS_ANALYZER_TYPES = ['ACCOUNT', 'ORGANIZATION'] as const;

/** DescribeHub's answer when Security Hub (CSPM) is not enabled in the region; also its answer to some
 * callers that may not use the hub, so it reads "not enabled or not allowed". */
export const SECURITY_HUB_NOT_ENABLED = 'InvalidAccessException';

/** The clock a finding's response window runs on. */
export const RESPONSE_CLOCK = 'CreatedAt';

const HOUR_MS = 3_600_000;

// ---- facts -------------------------------------------------------------------------------------------------

export interface DetectorFacts {
  readonly detectorId: string;
  /** ENABLED or DISABLED (suspended). */
  readonly status: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly findingPublishingFrequency?: string;
  /** Protection plans (S3, EKS audit logs, EBS malware, RDS, Lambda, runtime...), by name and status. */
  readonly features: readonly { readonly name: string; readonly status: string }[];
}

/** A region's GuardDuty detectors: none means GuardDuty was never turned on there (or was disabled,
 * which deletes the detector). */
export interface GuardDutyRegion {
  readonly region: string;
  readonly detectors: readonly DetectorFacts[];
}

/** A GuardDuty finding in reduced form: what a reviewer needs to find it and to judge its age. */
export interface ThreatFinding {
  readonly region: string;
  readonly detectorId: string;
  readonly id: string;
  readonly arn?: string;
  readonly type?: string;
  readonly title?: string;
  readonly severity: number;
  /** When GuardDuty first raised the finding: the response clock. */
  readonly createdAt?: string;
  /** When a new occurrence of the same activity was last folded into the finding. */
  readonly updatedAt?: string;
  /** Occurrences aggregated into the finding. */
  readonly count?: number;
  readonly eventFirstSeen?: string;
  readonly eventLastSeen?: string;
  readonly resourceType?: string;
  /** The affected resource, as an ARN or id where the finding names one. */
  readonly resource?: string;
}

export interface FindingsRegion {
  readonly region: string;
  readonly detectorId: string;
  readonly findings: readonly ThreatFinding[];
}

export interface SecurityHubRegion {
  readonly region: string;
  readonly enabled: boolean;
  readonly hubArn?: string;
  readonly subscribedAt?: string;
  readonly autoEnableControls?: boolean;
  readonly controlFindingGenerator?: string;
  /** DescribeHub's error when it answered "not enabled or not allowed". */
  readonly answer?: { readonly code: string; readonly message: string };
}

export interface AnalyzerFacts {
  readonly arn: string;
  readonly name: string;
  readonly type: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createdAt?: string;
  readonly lastResourceAnalyzedAt?: string;
}

export interface AccessAnalyzerRegion {
  readonly region: string;
  readonly analyzers: readonly AnalyzerFacts[];
}

export interface ThreatDetectionFacts {
  /** Regions whose detectors could be read. */
  readonly guardDuty: readonly GuardDutyRegion[];
  /** Detectors whose findings could be read. */
  readonly findings: readonly FindingsRegion[];
  readonly securityHub: readonly SecurityHubRegion[];
  readonly accessAnalyzer: readonly AccessAnalyzerRegion[];
}

type Settings = Pick<CollectorSettings, 'threatResponseHours' | 'requireSecurityHub'>;

// ---- assess --------------------------------------------------------------------------------------------------

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The resource of a region's GuardDuty findings: the region, never the detector. The period report follows
 * (check, resource) from day to day, and a detector comes and goes (created, deleted, re-created with a new
 * id) while the question, whether this region is watched, stays; the detector id is in the detail.
 */
const guardDutyResource = (region: string) => `guardduty:${region}`;

export function assessGuardDutyRegion(g: GuardDutyRegion): Finding<ThreatDetectionCheck> {
  const enabled = g.detectors.find((d) => d.status === 'ENABLED');
  const shown = enabled ?? g.detectors[0];
  let status: FindingStatus;
  let reason: string;
  if (enabled) {
    status = 'PASS';
    reason = `detector ${enabled.detectorId} is ENABLED`;
  } else if (shown) {
    status = 'FAIL';
    reason = `detector ${shown.detectorId} is ${shown.status}: GuardDuty is suspended and analyses nothing`;
  } else {
    status = 'FAIL';
    reason = 'no GuardDuty detector in this region (ListDetectors is empty): GuardDuty is off';
  }
  const features = shown?.features ?? [];
  return {
    resource: guardDutyResource(g.region),
    check: 'guardduty-enabled',
    status,
    detail: {
      region: g.region,
      detectors: g.detectors.length,
      ...(shown
        ? {
            detectorId: shown.detectorId,
            detectorStatus: shown.status,
            detectorCreatedAt: shown.createdAt,
            findingPublishingFrequency: shown.findingPublishingFrequency,
            features,
            featuresDisabled: features.filter((f) => f.status !== 'ENABLED').map((f) => f.name),
          }
        : {}),
      reason,
    },
  };
}

export type SeverityBand = 'critical' | 'high';

/** The band of a GuardDuty severity, or undefined below High. */
export function severityBand(severity: number): SeverityBand | undefined {
  if (severity >= CRITICAL_SEVERITY_FROM) return 'critical';
  if (severity >= HIGH_SEVERITY_FROM) return 'high';
  return undefined;
}

/**
 * One active high or critical finding against its response window. The window runs from CreatedAt, when
 * GuardDuty first raised the finding: each recurrence of the same activity updates UpdatedAt and Count, so
 * UpdatedAt would restart the clock every time the threat is still active, and a finding that keeps
 * recurring would never be overdue. UpdatedAt and Count are recorded to show the activity is ongoing.
 */
export function assessThreatFinding(
  f: ThreatFinding,
  band: SeverityBand,
  windowHours: number,
  now: Date,
): Finding<ThreatDetectionCheck> {
  const created = f.createdAt ? Date.parse(f.createdAt) : NaN;
  const updated = f.updatedAt ? Date.parse(f.updatedAt) : NaN;
  const known = Number.isFinite(created);
  const ageHours = known ? round1((now.getTime() - created) / HOUR_MS) : undefined;
  const dueAt = known ? new Date(created + windowHours * HOUR_MS).toISOString() : undefined;
  const count = f.count ?? 1;
  const recurrence = count > 1 ? `, seen ${count} times, last updated ${f.updatedAt}` : '';
  let status: FindingStatus;
  let reason: string;
  if (ageHours === undefined) {
    status = 'WARN';
    reason = `active ${band} finding with no CreatedAt: its age against the ${windowHours}-hour window cannot be shown`;
  } else if (ageHours > windowHours) {
    status = 'FAIL';
    reason = `active ${band} finding raised ${ageHours} hours ago, past its ${windowHours}-hour response window (due ${dueAt})${recurrence}`;
  } else {
    status = 'WARN';
    reason = `active ${band} finding raised ${ageHours} hours ago, within its ${windowHours}-hour response window: to be resolved or archived by ${dueAt}${recurrence}`;
  }
  return {
    resource: f.arn ?? `${guardDutyResource(f.region)}:detector/${f.detectorId}/finding/${f.id}`,
    check: 'guardduty-finding-response',
    status,
    detail: {
      region: f.region,
      detectorId: f.detectorId,
      findingId: f.id,
      type: f.type,
      title: f.title,
      severity: f.severity,
      severityBand: band,
      resourceType: f.resourceType,
      affectedResource: f.resource,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
      count,
      eventFirstSeen: f.eventFirstSeen,
      eventLastSeen: f.eventLastSeen,
      ageHours,
      ...(Number.isFinite(updated) ? { hoursSinceUpdate: round1((now.getTime() - updated) / HOUR_MS) } : {}),
      responseWindowHours: windowHours,
      responseClock: RESPONSE_CLOCK,
      dueAt,
      reason,
    },
  };
}

export function assessSecurityHubRegion(
  h: SecurityHubRegion,
  required: boolean,
  enabledElsewhere: readonly string[],
): Finding<ThreatDetectionCheck> {
  let status: FindingStatus;
  let reason: string;
  if (h.enabled) {
    status = 'PASS';
    reason = `Security Hub is enabled (subscribed ${h.subscribedAt ?? 'at an unknown time'})`;
  } else if (required) {
    status = 'FAIL';
    reason =
      'Security Hub is not enabled (or not allowed), and the configuration requires it (requireSecurityHub)';
  } else if (enabledElsewhere.length > 0) {
    // In use, but not here: worth a look, yet only the configuration can make a missing hub a failure.
    status = 'WARN';
    reason = `Security Hub is in use (enabled in ${enabledElsewhere.join(', ')}) but not enabled here: this region's findings never reach it`;
  } else {
    status = 'INFO';
    reason =
      'Security Hub is not used in any configured region, and the configuration does not require it (requireSecurityHub false)';
  }
  return {
    // The region, whether or not a hub exists there today: the hub ARN, when there is one, is in the detail.
    resource: `securityhub:${h.region}`,
    check: 'securityhub-enabled',
    status,
    detail: {
      region: h.region,
      enabled: h.enabled,
      required,
      ...(h.enabled
        ? {
            hubArn: h.hubArn,
            subscribedAt: h.subscribedAt,
            autoEnableControls: h.autoEnableControls,
            controlFindingGenerator: h.controlFindingGenerator,
          }
        : {
            describeHub: h.answer,
            answerMeans: `${SECURITY_HUB_NOT_ENABLED}: not enabled in this region, or this caller is not allowed to use the hub; AWS answers both the same way`,
            enabledInOtherRegions: enabledElsewhere,
          }),
      reason,
    },
  };
}

const countsForExternalAccess = (a: AnalyzerFacts) =>
  (EXTERNAL_ACCESS_ANALYZER_TYPES as readonly string[]).includes(a.type);

export function assessAccessAnalyzerRegion(r: AccessAnalyzerRegion): Finding<ThreatDetectionCheck> {
  const external = r.analyzers.filter(countsForExternalAccess);
  const active = external.filter((a) => a.status === 'ACTIVE');
  const creating = external.filter((a) => a.status === 'CREATING');
  const others = r.analyzers.filter((a) => !countsForExternalAccess(a));
  let status: FindingStatus;
  let reason: string;
  if (active.length > 0) {
    status = 'PASS';
    reason = `ACTIVE external-access analyzer: ${active.map((a) => `${a.name} (${a.type})`).join(', ')}`;
  } else if (creating.length > 0) {
    status = 'WARN';
    reason = `external-access analyzer still CREATING: ${creating.map((a) => a.name).join(', ')}`;
  } else if (external.length > 0) {
    status = 'FAIL';
    reason = `no ACTIVE external-access analyzer: ${external.map((a) => `${a.name} is ${a.status}${a.statusReason ? ` (${a.statusReason})` : ''}`).join(', ')}`;
  } else if (others.length > 0) {
    status = 'FAIL';
    reason = `only ${others.map((a) => `${a.name} (${a.type})`).join(', ')}: unused-access and internal-access analyzers do not report resources shared outside the account or organization`;
  } else {
    status = 'FAIL';
    reason = 'no IAM Access Analyzer analyzer in this region';
  }
  return {
    // The region, whichever analyzer (if any) watches it today: every analyzer's ARN is in the detail.
    resource: `access-analyzer:${r.region}`,
    check: 'access-analyzer-enabled',
    status,
    detail: {
      region: r.region,
      ...(active.length > 0 ? { activeAnalyzerArns: active.map((a) => a.arn) } : {}),
      analyzers: r.analyzers.map((a) => ({
        name: a.name,
        arn: a.arn,
        type: a.type,
        status: a.status,
        ...(a.statusReason ? { statusReason: a.statusReason } : {}),
        countsForExternalAccess: countsForExternalAccess(a),
      })),
      ...(status === 'FAIL'
        ? {
            note: 'An organization analyzer lives in the management or delegated administrator account and is not listed in a member account: read that account to see it.',
          }
        : {}),
      reason,
    },
  };
}

const bySeverityThenAge = (a: ThreatFinding, b: ThreatFinding) =>
  b.severity - a.severity || (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id);

export function assessThreatDetection(
  facts: ThreatDetectionFacts,
  settings: Settings,
  now: Date,
): { findings: Finding<ThreatDetectionCheck>[]; figures: Record<string, number> } {
  const gd = facts.guardDuty.map(assessGuardDutyRegion);

  const responses: Finding<ThreatDetectionCheck>[] = [];
  let critical = 0;
  let high = 0;
  let belowHigh = 0;
  for (const r of facts.findings) {
    const judged: Finding<ThreatDetectionCheck>[] = [];
    for (const f of [...r.findings].sort(bySeverityThenAge)) {
      const band = severityBand(f.severity);
      if (!band) {
        belowHigh++; // not asked for; kept out of the judgement rather than misfiled as high
        continue;
      }
      if (band === 'critical') critical++;
      else high++;
      judged.push(assessThreatFinding(f, band, settings.threatResponseHours[band], now));
    }
    if (judged.length === 0)
      responses.push({
        resource: guardDutyResource(r.region),
        check: 'guardduty-finding-response',
        status: 'PASS',
        detail: {
          region: r.region,
          detectorId: r.detectorId,
          activeHighOrCritical: 0,
          reason: 'no active (unarchived) GuardDuty finding of severity 7 or more',
        },
      });
    responses.push(...judged);
  }

  const hubOn = facts.securityHub.filter((h) => h.enabled).map((h) => h.region);
  const hubs = facts.securityHub.map((h) =>
    assessSecurityHubRegion(
      h,
      settings.requireSecurityHub,
      hubOn.filter((r) => r !== h.region),
    ),
  );
  const analyzers = facts.accessAnalyzer.map(assessAccessAnalyzerRegion);

  const findings = [...gd, ...responses, ...hubs, ...analyzers];
  const perFinding = responses.filter((f) => f.detail.findingId !== undefined);
  return {
    findings,
    figures: {
      guardDutyRegionsEnabled: gd.filter((f) => f.status === 'PASS').length,
      guardDutyRegionsNotEnabled: gd.filter((f) => f.status === 'FAIL').length,
      activeCriticalFindings: critical,
      activeHighFindings: high,
      findingsPastResponseWindow: perFinding.filter((f) => f.status === 'FAIL').length,
      findingsWithinResponseWindow: perFinding.filter((f) => f.status === 'WARN').length,
      findingsBelowHighReturned: belowHigh,
      securityHubRegionsEnabled: hubOn.length,
      securityHubRegionsNotEnabled: facts.securityHub.length - hubOn.length,
      accessAnalyzerRegionsCovered: analyzers.filter((f) => f.status === 'PASS').length,
      accessAnalyzerRegionsNotCovered: analyzers.filter((f) => f.status !== 'PASS').length,
    },
  };
}

// ---- gather ----------------------------------------------------------------------------------------------

/** The resource a finding is about, as an ARN where the finding gives one, else the most specific id. */
export function affectedResource(r: Resource | undefined): string | undefined {
  if (!r) return undefined;
  const s3 = (r.S3BucketDetails ?? []).map((b) => b.Arn ?? b.Name).filter((x): x is string => !!x);
  return (
    (s3.length > 0 ? s3.join(' ') : undefined) ??
    r.InstanceDetails?.InstanceId ??
    r.EksClusterDetails?.Arn ??
    r.EcsClusterDetails?.Arn ??
    r.LambdaDetails?.FunctionArn ??
    r.RdsDbInstanceDetails?.DbInstanceArn ??
    r.RdsLimitlessDbDetails?.DbShardGroupArn ??
    r.EbsSnapshotDetails?.SnapshotArn ??
    r.RecoveryPointDetails?.RecoveryPointArn ??
    r.ContainerDetails?.Id ??
    (r.AccessKeyDetails?.UserName
      ? `${r.AccessKeyDetails.UserType ?? 'principal'}:${r.AccessKeyDetails.UserName}${
          r.AccessKeyDetails.AccessKeyId ? ` (${r.AccessKeyDetails.AccessKeyId})` : ''
        }`
      : undefined)
  );
}

export function reduceFinding(region: string, detectorId: string, f: GuardDutySdkFinding): ThreatFinding {
  return {
    region,
    detectorId,
    id: f.Id ?? 'unknown',
    arn: f.Arn,
    type: f.Type,
    title: f.Title,
    severity: f.Severity ?? 0,
    createdAt: f.CreatedAt,
    updatedAt: f.UpdatedAt,
    count: f.Service?.Count,
    eventFirstSeen: f.Service?.EventFirstSeen,
    eventLastSeen: f.Service?.EventLastSeen,
    resourceType: f.Resource?.ResourceType,
    resource: affectedResource(f.Resource),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function analyzerFacts(a: AnalyzerSummary): AnalyzerFacts {
  return {
    arn: a.arn ?? 'unknown',
    name: a.name ?? 'unknown',
    type: a.type ?? 'UNKNOWN',
    status: a.status ?? 'UNKNOWN',
    statusReason: a.statusReason?.code,
    createdAt: iso(a.createdAt),
    lastResourceAnalyzedAt: iso(a.lastResourceAnalyzedAt),
  };
}

export const threatDetection: Collector<ThreatDetectionFacts, ThreatDetectionCheck> = {
  ...THREAT_DETECTION_IDENTITY,
  iamActions: [
    'guardduty:ListDetectors',
    'guardduty:GetDetector',
    'guardduty:ListFindings',
    'guardduty:GetFindings',
    'securityhub:DescribeHub',
    'access-analyzer:ListAnalyzers',
  ],
  policy: (s) => ({
    threatResponseHours: { ...s.threatResponseHours },
    responseClock: `${RESPONSE_CLOCK} (first raised); UpdatedAt and Count are recorded, not used: a recurrence must not restart the window`,
    severityBands: { high: '7–8.9', critical: '9–10' },
    findingsJudged: 'active (service.archived false) findings of severity 7 or more',
    withinWindow: 'WARN, with its due time',
    pastWindow: 'FAIL',
    guardDutyDetector: 'ENABLED in every configured region; none or DISABLED is FAIL',
    requireSecurityHub: s.requireSecurityHub,
    securityHubNotEnabled: s.requireSecurityHub
      ? 'FAIL'
      : 'INFO when not enabled in any configured region; WARN in a region where it is off while enabled in another',
    securityHubNotEnabledAnswer: `${SECURITY_HUB_NOT_ENABLED} (not enabled, or not allowed)`,
    accessAnalyzer: `an ACTIVE analyzer of type ${EXTERNAL_ACCESS_ANALYZER_TYPES.join(' or ')} in every configured region; CREATING is WARN`,
  }),

  async gather(ctx) {
    const regions = ctx.settings.regions;
    const guardDuty = (region: string) => ctx.clients.get(GuardDutyClient, region);

    const readDetectors = () =>
      readRegions(regions, 'guardduty:ListDetectors', async (region): Promise<GuardDutyRegion> => {
        const client = guardDuty(region);
        const ids = await withApi('guardduty:ListDetectors', async () => {
          const out: string[] = [];
          for await (const page of paginateListDetectors({ client }, {}))
            out.push(...(page.DetectorIds ?? []));
          return out;
        });
        const read = await mapWithConcurrency(ids, ctx.settings.concurrency, (id) =>
          withApi('guardduty:GetDetector', () => client.send(new GetDetectorCommand({ DetectorId: id }))),
        );
        return {
          region,
          detectors: read.map((d, i) => ({
            detectorId: ids[i]!,
            status: d.Status ?? 'UNKNOWN',
            createdAt: d.CreatedAt,
            updatedAt: d.UpdatedAt,
            findingPublishingFrequency: d.FindingPublishingFrequency,
            features: (d.Features ?? []).map((f) => ({
              name: f.Name ?? 'UNKNOWN',
              status: f.Status ?? 'UNKNOWN',
            })),
          })),
        };
      });
    /** Each region's detectors, then the findings of every detector found: the findings wait only for the
     * detectors, not for Security Hub or Access Analyzer. */
    const readFindings = async () => {
      const detectors = await readDetectors();
      const gdRegions = detectors.results.flatMap((r) => (r.value ? [r.value] : []));
      // Findings of every detector, a suspended one included: its findings stay and still need a response.
      const withDetector = gdRegions.flatMap((g) =>
        g.detectors.map((d) => ({ region: g.region, id: d.detectorId })),
      );
      const findingReads = await readRegions(
        [...new Set(withDetector.map((d) => d.region))],
        'guardduty:ListFindings',
        async (region): Promise<FindingsRegion[]> => {
          const client = guardDuty(region);
          const out: FindingsRegion[] = [];
          for (const d of withDetector.filter((x) => x.region === region)) {
            const ids = await withApi('guardduty:ListFindings', async () => {
              const list: string[] = [];
              const pages = paginateListFindings(
                { client },
                { DetectorId: d.id, FindingCriteria: ACTIVE_HIGH_CRITICAL, MaxResults: FINDINGS_PAGE },
              );
              for await (const page of pages) list.push(...(page.FindingIds ?? []));
              return [...new Set(list)];
            });
            const batches = await mapWithConcurrency(
              chunks(ids, FINDINGS_PAGE),
              ctx.settings.concurrency,
              (batch) =>
                withApi('guardduty:GetFindings', () =>
                  client.send(new GetFindingsCommand({ DetectorId: d.id, FindingIds: batch })),
                ),
            );
            out.push({
              region,
              detectorId: d.id,
              findings: batches.flatMap((b) => (b.Findings ?? []).map((f) => reduceFinding(region, d.id, f))),
            });
          }
          return out;
        },
      );
      return { detectors, gdRegions, findingReads };
    };

    const [{ detectors, gdRegions, findingReads }, hubs, analyzers] = await Promise.all([
      readFindings(),
      readRegions(regions, 'securityhub:DescribeHub', async (region): Promise<SecurityHubRegion> => {
        const client = ctx.clients.get(SecurityHubClient, region);
        try {
          const hub = await withApi('securityhub:DescribeHub', () => client.send(new DescribeHubCommand({})));
          return {
            region,
            enabled: true,
            hubArn: hub.HubArn,
            subscribedAt: hub.SubscribedAt,
            autoEnableControls: hub.AutoEnableControls,
            controlFindingGenerator: hub.ControlFindingGenerator,
          };
        } catch (err) {
          // A fact, judged by assess; any other error (AccessDeniedException included) is an error entry.
          if (!isAwsError(err, SECURITY_HUB_NOT_ENABLED)) throw err;
          const e = readAwsError(err);
          return { region, enabled: false, answer: { code: e.code, message: e.message.slice(0, 300) } };
        }
      }),
      readRegions(regions, 'access-analyzer:ListAnalyzers', (region) =>
        withApi('access-analyzer:ListAnalyzers', async (): Promise<AccessAnalyzerRegion> => {
          const client = ctx.clients.get(AccessAnalyzerClient, region);
          const out: AnalyzerFacts[] = [];
          for await (const page of paginateListAnalyzers({ client }, {}))
            out.push(...(page.analyzers ?? []).map(analyzerFacts));
          return { region, analyzers: out };
        }),
      ),
    ]);
    const findingRegions = findingReads.results.flatMap((r) => r.value ?? []);
    const hubRegions = hubs.results.flatMap((r) => (r.value ? [r.value] : []));
    const analyzerRegions = analyzers.results.flatMap((r) => (r.value ? [r.value] : []));

    const sources: RawSource[] = [
      jsonSource('guardduty-detectors.json', 'guardduty:GetDetector', { regions: gdRegions }, ctx.now),
      jsonSource(
        'guardduty-findings.json',
        'guardduty:GetFindings',
        { findingCriteria: ACTIVE_HIGH_CRITICAL, detectors: findingRegions },
        ctx.now,
      ),
      jsonSource('securityhub-hubs.json', 'securityhub:DescribeHub', { regions: hubRegions }, ctx.now),
      jsonSource(
        'access-analyzers.json',
        'access-analyzer:ListAnalyzers',
        { regions: analyzerRegions },
        ctx.now,
      ),
    ];
    return {
      facts: {
        guardDuty: gdRegions,
        findings: findingRegions,
        securityHub: hubRegions,
        accessAnalyzer: analyzerRegions,
      },
      sources,
      errors: [...detectors.errors, ...findingReads.errors, ...hubs.errors, ...analyzers.errors],
    };
  },

  assess: (facts, settings, now) => assessThreatDetection(facts, settings, now),
};
