import type { AdvancedEventSelector, EventSelector, Trail } from '@aws-sdk/client-cloudtrail';
import type { Finding, FindingStatus } from '../../evidence/envelope';
import type { AuditLoggingCheck } from './checks';

/** A trail's event selectors in reduced form: the basic or the advanced kind (a trail has one or the other). */
export type SelectorFacts =
  | {
      readonly kind: 'basic';
      readonly selectors: readonly {
        readonly readWriteType: string;
        readonly includeManagementEvents: boolean;
        readonly excludeManagementEventSources: readonly string[];
      }[];
    }
  | {
      readonly kind: 'advanced';
      readonly selectors: readonly {
        readonly name?: string;
        readonly fieldSelectors: readonly {
          readonly field: string;
          readonly operators: Readonly<Record<string, readonly string[]>>;
        }[];
      }[];
    };

export interface TrailFacts {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion?: string;
  readonly multiRegion: boolean;
  readonly organization: boolean;
  readonly logFileValidation: boolean;
  readonly s3Bucket?: string;
  readonly kmsKeyId?: string;
  readonly cloudWatchLogsLogGroupArn?: string;
  /** GetTrailStatus; undefined when it could not be read (an error entry says why). */
  readonly status?: {
    readonly isLogging: boolean;
    readonly latestDeliveryError?: string;
    readonly latestDeliveryTime?: string;
  };
  /** GetEventSelectors; undefined when it could not be read (an error entry says why) or was not asked. */
  readonly selectors?: SelectorFacts;
  /**
   * Set for an organization trail owned by another account (the organization's management account, which
   * owns every organization trail, even one a delegated administrator created), seen from a member account.
   * Its event selectors are readable only by the owner (GetEventSelectors from a member is refused with
   * CloudTrailARNInvalidException or TrailNotFoundException), so they are not asked for; they are judged in
   * the owner's own evidence. `statusRefused` is the error code if GetTrailStatus was refused the same way.
   */
  readonly heldBy?: { readonly account: string; readonly statusRefused?: string };
}

export interface CloudTrailFacts {
  /** The region DescribeTrails (with shadow trails) was called in. */
  readonly readRegion: string;
  readonly trails: readonly TrailFacts[];
}

export function trailFacts(t: Trail): Omit<TrailFacts, 'status' | 'selectors'> {
  return {
    name: t.Name ?? 'unknown',
    arn: t.TrailARN ?? `trail/${t.Name ?? 'unknown'}`,
    homeRegion: t.HomeRegion,
    multiRegion: t.IsMultiRegionTrail === true,
    organization: t.IsOrganizationTrail === true,
    logFileValidation: t.LogFileValidationEnabled === true,
    s3Bucket: t.S3BucketName,
    kmsKeyId: t.KmsKeyId,
    cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn,
  };
}

const OPERATORS = ['Equals', 'NotEquals', 'StartsWith', 'NotStartsWith', 'EndsWith', 'NotEndsWith'] as const;

export function selectorFacts(
  basic: readonly EventSelector[] | undefined,
  advanced: readonly AdvancedEventSelector[] | undefined,
): SelectorFacts {
  if (advanced && advanced.length > 0)
    return {
      kind: 'advanced',
      selectors: advanced.map((s) => ({
        ...(s.Name ? { name: s.Name } : {}),
        fieldSelectors: (s.FieldSelectors ?? []).map((f) => ({
          field: f.Field ?? '',
          operators: Object.fromEntries(
            OPERATORS.flatMap((op) => (f[op] && f[op].length > 0 ? [[op, [...f[op]]]] : [])),
          ),
        })),
      })),
    };
  return {
    kind: 'basic',
    selectors: (basic ?? []).map((s) => ({
      // ReadWriteType and IncludeManagementEvents default to All and true when a selector is written.
      readWriteType: s.ReadWriteType ?? 'All',
      includeManagementEvents: s.IncludeManagementEvents !== false,
      excludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
    })),
  };
}

/** Which management events a trail's selectors record, whatever the selectors are named. */
export interface ManagementCoverage {
  readonly reads: boolean;
  readonly writes: boolean;
  /** Conditions that leave some management events out (e.g. KMS or RDS Data API events excluded). */
  readonly narrowedBy: readonly string[];
}

function describeField(f: { field: string; operators: Readonly<Record<string, readonly string[]>> }): string {
  return Object.entries(f.operators)
    .map(([op, values]) => `${f.field} ${op} [${values.join(', ')}]`)
    .join('; ');
}

/**
 * Management-event coverage, the union over the trail's selectors (an event is logged if any selector
 * matches it). Basic: `IncludeManagementEvents` with `ReadWriteType` All, ReadOnly or WriteOnly. Advanced: a
 * selector with `eventCategory` Equals `Management`; its `readOnly` field, if any, picks reads or writes;
 * any other field (e.g. `eventSource` NotEquals `kms.amazonaws.com`) narrows it. The selector's name is not
 * read: the console names its selector "Management events selector", but selectors written through the API
 * or infrastructure as code carry any name or none, and log the same events.
 */
export function managementCoverage(selectors: SelectorFacts): ManagementCoverage {
  let reads = false;
  let writes = false;
  const narrowedBy: string[] = [];
  if (selectors.kind === 'basic') {
    for (const s of selectors.selectors) {
      if (!s.includeManagementEvents) continue;
      if (s.readWriteType === 'All' || s.readWriteType === 'ReadOnly') reads = true;
      if (s.readWriteType === 'All' || s.readWriteType === 'WriteOnly') writes = true;
      if (s.excludeManagementEventSources.length > 0)
        narrowedBy.push(`ExcludeManagementEventSources [${s.excludeManagementEventSources.join(', ')}]`);
    }
    return { reads, writes, narrowedBy };
  }
  for (const s of selectors.selectors) {
    const category = s.fieldSelectors.find((f) => f.field === 'eventCategory');
    if (!category || !(category.operators.Equals ?? []).includes('Management')) continue;
    const readOnly = s.fieldSelectors.find((f) => f.field === 'readOnly');
    let r = true;
    let w = true;
    if (readOnly) {
      const eq = readOnly.operators.Equals ?? [];
      const ne = readOnly.operators.NotEquals ?? [];
      r = (eq.length === 0 || eq.includes('true')) && !ne.includes('true');
      w = (eq.length === 0 || eq.includes('false')) && !ne.includes('false');
    }
    reads ||= r;
    writes ||= w;
    for (const f of s.fieldSelectors)
      if (f.field !== 'eventCategory' && f.field !== 'readOnly') narrowedBy.push(describeField(f));
  }
  return { reads, writes, narrowedBy };
}

/** A trail's standing: qualifies fully, qualifies but for a narrowing (WARN), unknown, or does not. */
type TrailStanding = 'qualifies' | 'narrowed' | 'unknown' | 'no';

export interface TrailJudgement {
  readonly standing: TrailStanding;
  /** Why the trail does not fully qualify; empty when it does. */
  readonly reasons: readonly string[];
  readonly coverage?: ManagementCoverage;
  /** What the judgement assumes rather than saw (an organization trail's selectors, held by its owner). */
  readonly assumes?: string;
}

/** The account in a trail ARN (`arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`). */
export function trailAccount(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Where a foreign organization trail's selectors are, in the evidence. */
export const heldSelectorsNote = (account: string) =>
  `set and evidenced in the organization's management account ${account} (not readable from a member account)`;

export function judgeTrail(t: TrailFacts): TrailJudgement {
  const blocking: string[] = [];
  const softer: string[] = [];
  const unknown: string[] = [];
  if (!t.multiRegion) blocking.push('single-region trail');
  if (t.status === undefined)
    unknown.push(
      t.heldBy?.statusRefused
        ? `logging status readable only in the organization's management account ${t.heldBy.account} (GetTrailStatus refused from this account: ${t.heldBy.statusRefused})`
        : 'logging status unreadable (GetTrailStatus failed)',
    );
  else if (!t.status.isLogging) blocking.push('not logging (stopped)');
  else if (t.status.latestDeliveryError)
    softer.push(`latest delivery to S3 failed: ${t.status.latestDeliveryError}`);
  if (!t.logFileValidation) blocking.push('log file validation off');
  let coverage: ManagementCoverage | undefined;
  let assumes: string | undefined;
  if (t.selectors === undefined && t.heldBy)
    assumes = `its event selectors, ${heldSelectorsNote(t.heldBy.account)}, record management reads and writes, as an organization trail's do unless they are set to exclude them`;
  else if (t.selectors === undefined) unknown.push('event selectors unreadable (GetEventSelectors failed)');
  else {
    coverage = managementCoverage(t.selectors);
    if (!coverage.reads && !coverage.writes) blocking.push('records no management events');
    else if (!coverage.reads) blocking.push('records management write events only, not reads');
    else if (!coverage.writes) blocking.push('records management read events only, not writes');
    if (coverage.narrowedBy.length > 0)
      softer.push(`management events narrowed by ${coverage.narrowedBy.join('; ')}`);
  }
  const standing: TrailStanding =
    blocking.length > 0
      ? 'no'
      : unknown.length > 0
        ? 'unknown'
        : softer.length > 0
          ? 'narrowed'
          : 'qualifies';
  return {
    standing,
    reasons: [...blocking, ...unknown, ...softer],
    ...(coverage ? { coverage } : {}),
    ...(assumes ? { assumes } : {}),
  };
}

export const TRAIL_RESOURCE = 'cloudtrail:account';

/**
 * One account-level finding: PASS when at least one trail is multi-region, logging, validates its log
 * files and records management reads and writes; WARN when the best trail records them only in part
 * (sources excluded, or its latest S3 delivery failed), or when a trail that might qualify could not be
 * fully read; FAIL otherwise, naming why each trail falls short.
 *
 * An organization trail owned by another account (the management account) is judged from a member account
 * on what the member can see: it exists and reaches this account, multi-region, log file validation, and
 * logging (GetTrailStatus by ARN works from members). Its event selectors are the owner's alone to read, so
 * the PASS assumes they record management reads and writes (an organization trail does unless its selectors
 * exclude them) and says so; the management account's own evidence judges those selectors. If its status
 * is refused too, the trail is unknown (WARN) with that reason, and no error entry.
 */
export function assessTrails(facts: CloudTrailFacts): Finding<AuditLoggingCheck> {
  const judged = facts.trails.map((t) => ({ t, j: judgeTrail(t) }));
  const names = (standing: TrailStanding) =>
    judged.filter((x) => x.j.standing === standing).map((x) => x.t.name);
  const qualifying = names('qualifies');
  const narrowed = names('narrowed');
  const unknown = names('unknown');
  let status: FindingStatus;
  let reason: string;
  if (qualifying.length > 0) {
    status = 'PASS';
    reason = `${qualifying.join(', ')} ${qualifying.length === 1 ? 'is a' : 'are'} logging, multi-region trail${qualifying.length === 1 ? '' : 's'} with log file validation recording management reads and writes`;
    // Only when no fully seen trail qualifies does the PASS rest on an assumption; then it says which.
    const seen = judged.find((x) => x.j.standing === 'qualifies' && !x.j.assumes);
    const assumed = judged.find((x) => x.j.standing === 'qualifies' && x.j.assumes);
    if (!seen && assumed) reason += `; assumed for ${assumed.t.name}: ${assumed.j.assumes}`;
  } else if (narrowed.length > 0) {
    status = 'WARN';
    reason = `no trail qualifies in full: ${narrowed.join(', ')} would, but ${judged.find((x) => x.j.standing === 'narrowed')?.j.reasons.join('; ')}`;
  } else if (unknown.length > 0) {
    status = 'WARN';
    reason = `no trail is known to qualify; these might, but could not be read in full: ${judged
      .filter((x) => x.j.standing === 'unknown')
      .map(({ t, j }) => `${t.name} (${j.reasons.join('; ')})`)
      .join(', ')}`;
  } else {
    status = 'FAIL';
    reason =
      facts.trails.length === 0
        ? 'no CloudTrail trail exists (nor an organization trail reaching this account)'
        : `no trail is a logging, multi-region trail with log file validation recording management reads and writes: ${judged
            .map(({ t, j }) => `${t.name} (${j.reasons.join('; ')})`)
            .join(', ')}`;
  }
  return {
    resource: TRAIL_RESOURCE,
    check: 'cloudtrail-multi-region',
    status,
    detail: {
      readRegion: facts.readRegion,
      trails: judged.map(({ t, j }) => ({
        name: t.name,
        arn: t.arn,
        homeRegion: t.homeRegion,
        multiRegion: t.multiRegion,
        organizationTrail: t.organization,
        logging: t.status?.isLogging,
        logFileValidation: t.logFileValidation,
        ...(t.heldBy
          ? {
              ownerAccount: t.heldBy.account,
              eventSelectors: heldSelectorsNote(t.heldBy.account),
              ...(t.heldBy.statusRefused ? { statusRefused: t.heldBy.statusRefused } : {}),
            }
          : {}),
        selectorKind: t.selectors?.kind,
        managementReads: j.coverage?.reads,
        managementWrites: j.coverage?.writes,
        s3Bucket: t.s3Bucket,
        kmsEncrypted: t.kmsKeyId !== undefined,
        ...(t.status?.latestDeliveryError ? { latestDeliveryError: t.status.latestDeliveryError } : {}),
        qualifies: j.standing === 'qualifies',
        ...(j.reasons.length > 0 ? { whyNot: j.reasons } : {}),
        ...(j.assumes ? { assumes: j.assumes } : {}),
      })),
      qualifyingTrails: qualifying,
      reason,
    },
  };
}
