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
  /** Waits between LookupEvents pages; injectable so tests run instantly and can check the pacing. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Pages read per region before giving up (50 events a page). */
  readonly maxPages: number;
}

/** LookupEvents allows 2 requests per second per account and region; one page every 500 ms stays under it. */
export const PAGE_INTERVAL_MS = 500;
export const MAX_PAGES = 200;
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
  try {
    do {
      if (pages > 0) await options.sleep(PAGE_INTERVAL_MS);
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
  if (token)
    errors.push({
      region,
      api: 'cloudtrail:LookupEvents',
      code: 'Truncated',
      message: `more than ${options.maxPages * PAGE_SIZE} ConsoleLogin events in ${region} in the window; only the first ${events.length} were judged`,
    });
  return events;
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
