import { mapWithConcurrency } from '../../aws/concurrency';
import { errorEntry } from '../../aws/aws-error';
import { canonicalBytes } from '../../evidence/canonical-json';
import type { ErrorEntry, Finding, FindingStatus } from '../../evidence/envelope';
import type { RawSource } from '../../evidence/write-evidence';
import type { CollectorSettings } from '../../settings';
import type { Collector } from '../collector';
import { partitionOf } from '../../aws/arn';
import {
  describeTrails,
  MAX_PAGES,
  PAGE_INTERVAL_MS,
  PAGE_LIMIT_CODE,
  readRegionSignins,
  type LookupOptions,
  type RegionSignins,
} from './region-signins';
import type { SigninEvent } from './signin-event';
import { CONSOLE_SIGNINS_IDENTITY, type ConsoleSigninsCheck } from './checks';

export interface ConsoleSigninsFacts {
  readonly window: { readonly from: string; readonly to: string };
  readonly regions: readonly RegionSignins[];
}

export const LOOKBACK_HOURS = 24;
/** LookupEvents' budget is per region, so regions can overlap; two at once keeps DescribeTrails and
 * GetTrailStatus bursts small too. */
const REGION_CONCURRENCY = 2;
/**
 * Where LookupEvents records the global services' events (console sign-in, including root's, IAM, STS) in
 * each partition. Since November 2021 event history shows them only there, so a run configured for other
 * regions alone would read an empty day and pass it.
 */
const GLOBAL_EVENTS_REGION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** The configured regions plus, once, the global-events region of each partition they belong to. */
export function signinRegions(configured: readonly string[]): string[] {
  const regions = [...configured];
  for (const region of configured) {
    const global = GLOBAL_EVENTS_REGION[partitionOf(region)];
    if (global) regions.push(global);
  }
  return [...new Set(regions)];
}

/** Users (or source IPs) listed in one finding; counts are always complete. */
const MAX_LISTED = 20;

/** Sign-ins whose MFA CloudTrail can see. Federated sign-ins (SAML, IAM Identity Center, custom brokers)
 * arrive as AssumedRole/FederatedUser with MFAUsed "No" even when the identity provider enforced MFA, so
 * judging them here would be a false FAIL. */
const MFA_JUDGED_TYPES = new Set(['IAMUser', 'Root']);

function signinMfaFinding(region: string, events: readonly SigninEvent[]): Finding<ConsoleSigninsCheck> {
  const first = events[0]!;
  const successes = events.filter((e) => e.result === 'Success');
  const withoutMfa = successes.filter((e) => e.mfaUsed === false);
  const mfaUnknown = successes.filter((e) => e.mfaUsed === 'unknown');
  let status: FindingStatus;
  let reason: string | undefined;
  if (successes.length === 0) {
    status = 'INFO';
    reason = 'no successful sign-in in the window';
  } else if (!MFA_JUDGED_TYPES.has(first.userType)) {
    status = 'INFO';
    reason = `a ${first.userType} sign-in: MFA is enforced by the identity provider and not visible in CloudTrail`;
  } else if (withoutMfa.length > 0) status = 'FAIL';
  else if (mfaUnknown.length > 0) {
    status = 'WARN';
    reason = 'CloudTrail did not record whether MFA was used';
  } else status = 'PASS';
  const times = successes.map((e) => e.time).sort();
  return {
    resource: first.principal,
    check: 'signin-mfa',
    status,
    detail: {
      region,
      user: first.user,
      userType: first.userType,
      successes: successes.length,
      failures: events.length - successes.length,
      withoutMfa: withoutMfa.length,
      ...(mfaUnknown.length > 0 ? { mfaUnknown: mfaUnknown.length } : {}),
      ...(withoutMfa.length > 0
        ? {
            withoutMfaAt: withoutMfa
              .map((e) => ({ time: e.time, sourceIp: e.sourceIp }))
              .slice(0, MAX_LISTED),
          }
        : {}),
      ...(times.length > 0 ? { lastSignIn: times[times.length - 1] } : {}),
      ...(reason ? { reason } : {}),
    },
  };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k) ?? [];
    list.push(item);
    map.set(k, list);
  }
  return map;
}

export function assessConsoleSignins(
  facts: ConsoleSigninsFacts,
  settings: Pick<CollectorSettings, 'failedSigninThreshold'>,
): { findings: Finding<ConsoleSigninsCheck>[]; figures: Record<string, number> } {
  const findings: Finding<ConsoleSigninsCheck>[] = [];
  const all: SigninEvent[] = [];
  let regionsWithoutLoggingTrail = 0;
  let sourceIpsOverThreshold = 0;
  for (const r of facts.regions) {
    if (r.trails !== 'unknown') {
      const logging = r.trails.filter((t) => t.isLogging === true);
      // Every trail known to be stopped (or none at all): logging is off, which is a finding, not a failure to
      // read. A trail whose status could not be read leaves it open; its error entry already says so.
      const notLogging = !r.trails.some((t) => t.isLogging !== false);
      if (notLogging) regionsWithoutLoggingTrail++;
      findings.push({
        resource: logging[0]?.arn ?? `cloudtrail:${r.region}`,
        check: 'trail-logging',
        status: logging.length > 0 ? 'PASS' : notLogging ? 'FAIL' : 'INFO',
        detail: {
          region: r.region,
          window: facts.window,
          trails: r.trails,
          ...(logging.length > 0
            ? {}
            : {
                reason: notLogging
                  ? `no CloudTrail trail is logging in ${r.region} (${describeTrails(r.trails)}): sign-in evidence would be empty for the wrong reason`
                  : `no trail is known to be logging in ${r.region}: the status of ${r.trails
                      .filter((t) => t.isLogging === 'unknown')
                      .map((t) => t.name)
                      .join(', ')} could not be read`,
              }),
        },
      });
    }
    if (!r.events) continue;
    all.push(...r.events);
    for (const e of r.events.filter((x) => x.userType === 'Root')) {
      findings.push({
        resource: e.principal,
        check: 'root-signin',
        // A failed root attempt is someone trying the most powerful credential: flagged, not a breach.
        status: e.result === 'Success' ? 'FAIL' : 'WARN',
        detail: {
          region: r.region,
          time: e.time,
          sourceIp: e.sourceIp,
          mfaUsed: e.mfaUsed,
          result: e.result,
          eventId: e.eventId,
        },
      });
    }
    for (const events of groupBy(r.events, (e) => e.principal).values()) {
      findings.push(signinMfaFinding(r.region, events));
    }
    const failures = r.events.filter((e) => e.result === 'Failure');
    for (const [sourceIp, fromIp] of groupBy(failures, (e) => e.sourceIp)) {
      if (fromIp.length <= settings.failedSigninThreshold) continue;
      sourceIpsOverThreshold++;
      const times = fromIp.map((e) => e.time).sort();
      const users = [...new Set(fromIp.map((e) => e.user))].sort();
      findings.push({
        resource: `source-ip:${sourceIp}`,
        check: 'repeated-signin-failures',
        status: 'WARN',
        detail: {
          region: r.region,
          sourceIp,
          failures: fromIp.length,
          threshold: settings.failedSigninThreshold,
          userCount: users.length,
          users: users.slice(0, MAX_LISTED),
          first: times[0],
          last: times[times.length - 1],
        },
      });
    }
  }
  const successes = all.filter((e) => e.result === 'Success');
  return {
    findings,
    figures: {
      signIns: successes.length,
      failedSignIns: all.length - successes.length,
      usersSignedIn: new Set(successes.map((e) => e.principal)).size,
      signInsWithoutMfa: successes.filter((e) => MFA_JUDGED_TYPES.has(e.userType) && e.mfaUsed === false)
        .length,
      rootSignIns: successes.filter((e) => e.userType === 'Root').length,
      sourceIpsOverThreshold,
      regionsWithoutLoggingTrail,
    },
  };
}

/** Reduced events only: the same fields the findings use, never CloudTrail's full payload. */
function reducedSource(facts: ConsoleSigninsFacts, generatedAt: string): RawSource | undefined {
  const byRegion: Record<string, unknown[]> = {};
  for (const r of facts.regions) {
    if (!r.events) continue;
    byRegion[r.region] = r.events.map((e) => ({
      eventId: e.eventId,
      time: e.time,
      user: e.user,
      userType: e.userType,
      sourceIp: e.sourceIp,
      mfaUsed: e.mfaUsed,
      result: e.result,
    }));
  }
  if (Object.keys(byRegion).length === 0) return undefined;
  return {
    name: 'console-signins.json',
    api: 'cloudtrail:LookupEvents',
    contentType: 'application/json',
    body: canonicalBytes({ window: facts.window, eventsByRegion: byRegion }),
    generatedAt,
  };
}

export function createConsoleSignins(
  options: Partial<LookupOptions> = {},
): Collector<ConsoleSigninsFacts, ConsoleSigninsCheck> {
  const lookup: LookupOptions = {
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    clock: options.clock ?? Date.now,
    maxPages: options.maxPages ?? MAX_PAGES,
  };
  return {
    ...CONSOLE_SIGNINS_IDENTITY,
    iamActions: ['cloudtrail:LookupEvents', 'cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'],
    policy: (settings) => ({
      lookbackHours: LOOKBACK_HOURS,
      failedSigninThreshold: settings.failedSigninThreshold,
      rootSignIn: 'FAIL',
      signInWithoutMfa: 'FAIL (IAM users and root; federated sign-ins are recorded, not judged)',
      repeatedFailuresFromOneSourceIp: 'WARN',
      lookupPageIntervalMs: PAGE_INTERVAL_MS,
      lookupPacing: 'consecutive LookupEvents calls in a region start at least lookupPageIntervalMs apart',
      lookupMaxPages: lookup.maxPages,
      lookupPageLimit: `an error entry (${PAGE_LIMIT_CODE}) when a region has more events than the page limit reads: the run is not complete`,
      regionsRead: signinRegions(settings.regions),
      regionsReadNote:
        'the configured regions plus us-east-1 (cn-north-1, us-gov-west-1 in those partitions): event history records console sign-ins through the global endpoint, root included, only there',
      trailNotLogging: 'FAIL',
    }),

    async gather(ctx) {
      const window = { from: new Date(ctx.now.getTime() - LOOKBACK_HOURS * 3_600_000), to: ctx.now };
      const errors: ErrorEntry[] = [];
      const regions = await mapWithConcurrency(
        signinRegions(ctx.settings.regions),
        REGION_CONCURRENCY,
        async (region) => {
          try {
            const read = await readRegionSignins(ctx, region, window, lookup);
            errors.push(...read.errors);
            return read.value;
          } catch (err) {
            // readRegionSignins records each call's failure itself; this catches only the unexpected.
            errors.push(errorEntry(err, region, 'cloudtrail:LookupEvents'));
            return { region, trails: 'unknown' as const };
          }
        },
      );
      // An event id is unique; one returned by two regions' histories is judged once.
      const seen = new Set<string>();
      const deduped = regions.map((r) =>
        r.events
          ? {
              ...r,
              events: r.events.filter((e) => (seen.has(e.eventId) ? false : (seen.add(e.eventId), true))),
            }
          : r,
      );
      const facts: ConsoleSigninsFacts = {
        window: { from: window.from.toISOString(), to: window.to.toISOString() },
        regions: deduped,
      };
      const source = reducedSource(facts, ctx.now.toISOString());
      return { facts, sources: source ? [source] : [], errors };
    },

    assess: (facts, settings) => assessConsoleSignins(facts, settings),
  };
}

export const consoleSignins = createConsoleSignins();
