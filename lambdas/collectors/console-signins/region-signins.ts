import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  type Event,
} from '@aws-sdk/client-cloudtrail';
import { errorEntry } from '../../aws/aws-error';
import type { ErrorEntry } from '../../evidence/envelope';
import type { GatherContext } from '../collector';
import { isMalformed, parseSigninEvent, type SigninEvent } from './signin-event';

export interface TrailState {
  readonly name: string;
  readonly arn?: string;
  readonly homeRegion?: string;
  readonly multiRegion: boolean;
  readonly organizationTrail: boolean;
  /** `unknown` when GetTrailStatus failed for this trail (its error is recorded). */
  readonly isLogging: boolean | 'unknown';
}

export interface RegionSignins {
  readonly region: string;
  /** Undefined when LookupEvents failed in this region. */
  readonly events?: readonly SigninEvent[];
  /** `unknown` when DescribeTrails failed in this region. */
  readonly trails: readonly TrailState[] | 'unknown';
}

export interface LookupOptions {
  /** Waits out the rest of a page interval; injectable so tests run instantly and can check the pacing. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds, read when each LookupEvents call starts; injectable with `sleep` for tests. */
  readonly clock: () => number;
  /** Pages read per region before giving up (50 events a page). */
  readonly maxPages: number;
}

/**
 * LookupEvents allows 2 requests per second per account and region: consecutive calls in a region start at
 * least this far apart. A call that took longer than the interval is followed at once; a quicker one is
 * followed after the remainder, so a page costs max(latency, 500 ms), not latency plus 500 ms.
 */
export const PAGE_INTERVAL_MS = 500;
export const MAX_PAGES = 200;
/** The error code of a region whose sign-ins were not all read because the page limit was reached. */
export const PAGE_LIMIT_CODE = 'PageLimitReached';
/** LookupEvents' largest page. */
const PAGE_SIZE = 50;

async function readTrails(
  client: CloudTrailClient,
  region: string,
  errors: ErrorEntry[],
): Promise<TrailState[] | 'unknown'> {
  let trailList;
  try {
    // Shadow trails are the replicas of multi-region (and organization) trails homed elsewhere: they are what
    // logs this region when no trail lives here.
    trailList = (await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
  } catch (err) {
    errors.push(errorEntry(err, region, 'cloudtrail:DescribeTrails'));
    return 'unknown';
  }
  const trails: TrailState[] = [];
  for (const t of trailList) {
    let isLogging: boolean | 'unknown';
    try {
      // A shadow trail's status can only be read by ARN (and an organization trail's, from a member account).
      const status = await client.send(new GetTrailStatusCommand({ Name: t.TrailARN ?? t.Name }));
      isLogging = status.IsLogging === true;
    } catch (err) {
      isLogging = 'unknown';
      errors.push(errorEntry(err, region, 'cloudtrail:GetTrailStatus'));
    }
    trails.push({
      name: t.Name ?? t.TrailARN ?? 'unknown',
      ...(t.TrailARN ? { arn: t.TrailARN } : {}),
      ...(t.HomeRegion ? { homeRegion: t.HomeRegion } : {}),
      multiRegion: t.IsMultiRegionTrail === true,
      organizationTrail: t.IsOrganizationTrail === true,
      isLogging,
    });
  }
  return trails;
}

async function lookupSignins(
  client: CloudTrailClient,
  region: string,
  window: { from: Date; to: Date },
  options: LookupOptions,
  errors: ErrorEntry[],
): Promise<SigninEvent[] | undefined> {
  const events: SigninEvent[] = [];
  let token: string | undefined;
  let pages = 0;
  let lastStart: number | undefined;
  try {
    do {
      if (lastStart !== undefined) {
        const wait = PAGE_INTERVAL_MS - (options.clock() - lastStart);
        if (wait > 0) await options.sleep(wait);
      }
      lastStart = options.clock();
      const page = await client.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }],
          StartTime: window.from,
          EndTime: window.to,
          MaxResults: PAGE_SIZE,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      pages++;
      for (const raw of page.Events ?? ([] as Event[])) {
        const parsed = parseSigninEvent(raw, region);
        if (isMalformed(parsed))
          errors.push({
            region,
            api: 'cloudtrail:LookupEvents',
            code: 'MalformedEvent',
            message: `event ${parsed.eventId}: ${parsed.problem}`,
          });
        else events.push(parsed);
      }
      token = page.NextToken;
    } while (token && pages < options.maxPages);
  } catch (err) {
    errors.push(errorEntry(err, region, 'cloudtrail:LookupEvents'));
    return undefined;
  }
  if (token) errors.push(pageLimitError(region, window, pages, events));
  return events;
}

/**
 * The error entry of a region left unfinished at the page limit: the events read are judged, and the run is
 * PARTIAL (or FAIL, incomplete) rather than a silent pass of a day it did not finish reading. Event history
 * lists the newest events first, so what was not read is the older part of the window.
 */
export function pageLimitError(
  region: string,
  window: { from: Date; to: Date },
  pages: number,
  events: readonly SigninEvent[],
): ErrorEntry {
  const oldest = events.map((e) => e.time).sort()[0];
  return {
    region,
    api: 'cloudtrail:LookupEvents',
    code: PAGE_LIMIT_CODE,
    message:
      `stopped at the limit of ${pages} LookupEvents pages (${events.length} ConsoleLogin events read) with more ` +
      `left: older ConsoleLogin events in ${region} between ${window.from.toISOString()} and ` +
      `${oldest ?? window.to.toISOString()} were not read or judged`,
  };
}

export function describeTrails(trails: readonly TrailState[]): string {
  if (trails.length === 0) return 'no trail exists';
  return `trails: ${trails.map((t) => `${t.name} (${t.isLogging === 'unknown' ? 'status unknown' : t.isLogging ? 'logging' : 'stopped'})`).join(', ')}`;
}

/**
 * One region's sign-ins and trail status. Never throws: each failed call is an error entry, and what could
 * be read stands (the trail status is still evidence when the event lookup is denied, and the reverse).
 * A trail that is not logging is read successfully: it is judged (`trail-logging` FAIL), not an error.
 */
export async function readRegionSignins(
  ctx: GatherContext,
  region: string,
  window: { from: Date; to: Date },
  options: LookupOptions,
): Promise<{ value: RegionSignins; errors: ErrorEntry[] }> {
  const client = ctx.clients.get(CloudTrailClient, region);
  const errors: ErrorEntry[] = [];
  const trails = await readTrails(client, region, errors);
  const events = await lookupSignins(client, region, window, options, errors);
  return { value: { region, trails, ...(events ? { events } : {}) }, errors };
}
