import type { Event } from '@aws-sdk/client-cloudtrail';
import { partitionOf } from '../../aws/arn';

/**
 * A console sign-in reduced to what CC7.2 needs: who, when, from where, with or without MFA, and whether it
 * worked. The full CloudTrail payload (user agent, session details, request parameters) is never kept.
 */
export interface SigninEvent {
  /** The CloudTrail event id, so an auditor can look the event up in the account's own history. */
  readonly eventId: string;
  readonly region: string;
  readonly time: string;
  /** `root`, the IAM user name, or the assumed-role session (`role/session`) for federated users. */
  readonly user: string;
  /** The principal's ARN when CloudTrail gives one (failed sign-ins often omit it). */
  readonly principal: string;
  /** CloudTrail's userIdentity.type: Root, IAMUser, AssumedRole, FederatedUser, SAMLUser, ... */
  readonly userType: string;
  readonly sourceIp: string;
  /** additionalEventData.MFAUsed; `unknown` when CloudTrail did not say. */
  readonly mfaUsed: boolean | 'unknown';
  readonly result: 'Success' | 'Failure';
}

export interface MalformedEvent {
  readonly eventId: string;
  readonly region: string;
  readonly problem: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function userOf(identity: Record<string, unknown>, type: string, fallback: string | undefined): string {
  if (type === 'Root') return 'root';
  const arn = text(identity.arn);
  if (type === 'AssumedRole' && arn) return arn.split(':assumed-role/')[1] ?? arn;
  return text(identity.userName) ?? arn ?? text(identity.principalId) ?? fallback ?? 'unknown';
}

function principalOf(identity: Record<string, unknown>, type: string, user: string, region: string): string {
  const arn = text(identity.arn);
  if (arn) return arn;
  const account = text(identity.accountId);
  const partition = partitionOf(region);
  if (account && type === 'Root') return `arn:${partition}:iam::${account}:root`;
  if (account && type === 'IAMUser') return `arn:${partition}:iam::${account}:user/${user}`;
  return `console-user:${user}`;
}

/**
 * Reads one LookupEvents entry. CloudTrailEvent is a JSON string whose shape AWS does not version for
 * clients, so every field is checked; anything that cannot be judged is returned as a problem naming the
 * event, never thrown.
 */
export function parseSigninEvent(event: Event, region: string): SigninEvent | MalformedEvent {
  const eventId = event.EventId ?? 'unknown';
  const bad = (problem: string): MalformedEvent => ({ eventId, region, problem });
  if (!event.CloudTrailEvent) return bad('the event has no CloudTrailEvent');
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.CloudTrailEvent);
  } catch {
    return bad('CloudTrailEvent is not valid JSON');
  }
  const body = record(parsed);
  if (!body) return bad('CloudTrailEvent is not a JSON object');
  const identity = record(body.userIdentity);
  const type = text(identity?.type);
  if (!identity || !type) return bad('userIdentity.type is missing');
  const result = record(body.responseElements)?.ConsoleLogin;
  if (result !== 'Success' && result !== 'Failure')
    return bad(
      `responseElements.ConsoleLogin must be Success or Failure, got ${JSON.stringify(result ?? null)}`,
    );
  const time = text(body.eventTime) ?? event.EventTime?.toISOString();
  if (!time || Number.isNaN(Date.parse(time))) return bad('eventTime is missing or not a date');
  const mfa = record(body.additionalEventData)?.MFAUsed;
  const user = userOf(identity, type, event.Username);
  return {
    eventId,
    region,
    time: new Date(time).toISOString(),
    user,
    principal: principalOf(identity, type, user, region),
    userType: type,
    sourceIp: text(body.sourceIPAddress) ?? 'unknown',
    mfaUsed: mfa === 'Yes' ? true : mfa === 'No' ? false : 'unknown',
    result,
  };
}

export function isMalformed(e: SigninEvent | MalformedEvent): e is MalformedEvent {
  return 'problem' in e;
}
