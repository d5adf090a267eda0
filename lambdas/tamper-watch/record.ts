/**
 * The tamper watch, pure half: one EventBridge "AWS API Call via CloudTrail" event (its detail is the
 * CloudTrail record) becomes one envelope draft with one finding naming the protected resource, who changed
 * it, from where and how, and the event itself kept verbatim as the raw source. Nothing is dropped: what
 * cannot be read from a malformed event is an error entry, and the event is still recorded.
 */
import { draftEnvelope, type EnvelopeDraft } from '../evidence/draft';
import type { ErrorEntry, Finding } from '../evidence/envelope';
import { TAMPER_WATCH_KIND } from '../evidence/producers';
import type { RawSource } from '../evidence/write-evidence';
import { TAMPER_WATCH_CONTROLS, type TamperWatchCheck } from './checks';

/** The raw source's name and the `api` it is recorded under (the EventBridge detail-type, in words). */
export const EVENT_SOURCE_NAME = 'cloudtrail-event.json';
export const EVENT_API = 'events:AwsApiCallViaCloudTrail';

type Json = Record<string, unknown>;
const record = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$/;
const RUN_ID = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?!-))*$/;

/** Request parameter values longer than this are left to the raw event. */
const MAX_PARAMETER_CHARS = 256;

/** The ARNs of the resources a CloudTrail record names (its `resources`, else by its service); none found: []. */
export function resourceOf(detail: Json, account: string, region: string): string[] {
  const listed = (Array.isArray(detail.resources) ? detail.resources : [])
    .map((r) => text(record(r)?.ARN))
    .filter((a): a is string => a !== undefined);
  if (listed.length > 0) return listed;
  const p = record(detail.requestParameters) ?? {};
  const arnOr = (value: string | undefined, arn: (v: string) => string) =>
    value === undefined ? [] : [value.startsWith('arn:') ? value : arn(value)];
  const at = `${region}:${account}`;
  switch (text(detail.eventSource)) {
    case 'kms.amazonaws.com':
      return [
        ...arnOr(text(p.keyId) ?? text(p.targetKeyId), (id) => `arn:aws:kms:${at}:key/${id}`),
        ...arnOr(text(p.aliasName), (alias) => `arn:aws:kms:${at}:${alias}`),
      ];
    case 's3.amazonaws.com':
      return arnOr(text(p.bucketName), (b) => `arn:aws:s3:::${b}`);
    case 'lambda.amazonaws.com':
      return arnOr(text(p.functionName), (f) => `arn:aws:lambda:${at}:function:${f}`);
    case 'monitoring.amazonaws.com': {
      const names = Array.isArray(p.alarmNames) ? p.alarmNames : [p.alarmName];
      return names.flatMap((n) => arnOr(text(n), (a) => `arn:aws:cloudwatch:${at}:alarm:${a}`));
    }
    case 'events.amazonaws.com': {
      const bus = text(p.eventBusName);
      const prefix = bus && bus !== 'default' ? `${bus}/` : '';
      return arnOr(text(p.name) ?? text(p.rule), (r) => `arn:aws:events:${at}:rule/${prefix}${r}`);
    }
    case 'scheduler.amazonaws.com':
      return arnOr(
        text(p.name),
        (s) => `arn:aws:scheduler:${at}:schedule/${text(p.groupName) ?? 'default'}/${s}`,
      );
    case 'cloudtrail.amazonaws.com':
      return arnOr(text(p.name) ?? text(p.trailName), (t) => `arn:aws:cloudtrail:${at}:trail/${t}`);
    case 'iam.amazonaws.com':
      return arnOr(text(p.roleName), (r) => `arn:aws:iam::${account}:role/${r}`);
    case 'states.amazonaws.com':
      return arnOr(
        text(p.stateMachineArn) ?? text(p.executionArn) ?? text(p.mapRunArn) ?? text(p.stateMachineAliasArn),
        (m) => `arn:aws:states:${at}:stateMachine:${m}`,
      );
    case 'cloudformation.amazonaws.com':
      return arnOr(text(p.stackSetName), (n) => `arn:aws:cloudformation:${at}:stackset/${n}`);
    default:
      return [];
  }
}

/**
 * The request parameters that name the resource and the change: strings, numbers and booleans (and lists of
 * them) as they are; documents (policies, configurations) and long values only by name, since the raw
 * event beside the envelope holds them whole.
 */
export function reducedParameters(parameters: unknown): {
  parameters: Json;
  inRawEventOnly: string[];
} {
  const out: Json = {};
  const omitted: string[] = [];
  const simple = (v: unknown) =>
    typeof v === 'number' ||
    typeof v === 'boolean' ||
    (typeof v === 'string' && v.length <= MAX_PARAMETER_CHARS);
  for (const [name, value] of Object.entries(record(parameters) ?? {})) {
    if (simple(value) || (Array.isArray(value) && value.length <= 20 && value.every(simple)))
      out[name] = value;
    else omitted.push(name);
  }
  return { parameters: out, inRawEventOnly: omitted.sort() };
}

export interface TamperRecordInput {
  /** The EventBridge event as the function received it. */
  readonly event: unknown;
  /** The function's own account: the key's account when the event names none that can be read. */
  readonly fallbackAccount: string;
  readonly now: Date;
  /** Used when the event's CloudTrail eventID cannot serve as the run id of the key. */
  readonly fallbackRunId: string;
  readonly invocationId?: string;
}

export interface TamperRecord {
  readonly draft: EnvelopeDraft;
  readonly sources: readonly RawSource[];
  readonly runId: string;
}

/** One envelope draft and its raw source for one event; never throws on a malformed event. */
export function recordTamperEvent(input: TamperRecordInput): TamperRecord {
  const event = record(input.event);
  const detail = record(event?.detail);
  const unread: string[] = [];
  if (!event) unread.push('the event is not a JSON object');
  else if (!detail) unread.push('the event has no CloudTrail record in `detail`');

  const accountIn = text(detail?.recipientAccountId) ?? text(event?.account);
  const account = accountIn && ACCOUNT.test(accountIn) ? accountIn : input.fallbackAccount;
  if (event && account !== accountIn)
    unread.push(
      `no 12-digit account in detail.recipientAccountId or account (${JSON.stringify(accountIn ?? null)}): recorded under the function's account`,
    );
  const regionIn = text(detail?.awsRegion) ?? text(event?.region);
  const region = regionIn && REGION.test(regionIn) ? regionIn : 'global';
  if (event && region !== regionIn)
    unread.push(`no region in detail.awsRegion or region (${JSON.stringify(regionIn ?? null)})`);
  const eventId = text(detail?.eventID);
  const runId = eventId && RUN_ID.test(eventId) ? eventId : input.fallbackRunId;

  const findings: Finding<TamperWatchCheck>[] = [];
  if (detail) {
    const resources = resourceOf(detail, account, region);
    if (resources.length === 0)
      unread.push(
        `the CloudTrail record names no resource this watch recognises (eventSource ${JSON.stringify(detail.eventSource ?? null)})`,
      );
    for (const field of ['eventName', 'eventSource', 'eventTime'] as const)
      if (!text(detail[field])) unread.push(`the CloudTrail record has no ${field}`);
    const identity = record(detail.userIdentity);
    const errorCode = text(detail.errorCode);
    const { parameters, inRawEventOnly } = reducedParameters(detail.requestParameters);
    findings.push({
      resource:
        resources[0] ?? `${text(detail.eventSource) ?? 'unknown'}:${text(detail.eventName) ?? 'unknown'}`,
      check: errorCode ? 'protected-resource-change-denied' : 'protected-resource-changed',
      status: errorCode ? 'WARN' : 'FAIL',
      detail: {
        eventName: text(detail.eventName) ?? null,
        eventSource: text(detail.eventSource) ?? null,
        eventTime: text(detail.eventTime) ?? null,
        eventID: eventId ?? null,
        ...(resources.length > 1 ? { resources } : {}),
        userIdentity: {
          type: text(identity?.type) ?? null,
          arn: text(identity?.arn) ?? null,
          principalId: text(identity?.principalId) ?? null,
          ...(text(identity?.accountId) ? { accountId: text(identity?.accountId) } : {}),
          ...(text(identity?.invokedBy) ? { invokedBy: text(identity?.invokedBy) } : {}),
          ...(text(record(record(identity?.sessionContext)?.sessionIssuer)?.arn)
            ? { sessionIssuer: text(record(record(identity?.sessionContext)?.sessionIssuer)?.arn) }
            : {}),
        },
        sourceIPAddress: text(detail.sourceIPAddress) ?? null,
        userAgent: text(detail.userAgent) ?? null,
        ...(errorCode ? { errorCode, errorMessage: text(detail.errorMessage) ?? null } : {}),
        requestParameters: parameters,
        ...(inRawEventOnly.length ? { requestParametersInRawEventOnly: inRawEventOnly } : {}),
      },
    });
  }
  const errors: ErrorEntry[] = unread.map((message) => ({
    region,
    api: EVENT_API,
    code: 'MalformedEvent',
    message,
  }));

  const body = Buffer.from(`${JSON.stringify(input.event ?? null)}\n`, 'utf8');
  const draft = draftEnvelope({
    collector: TAMPER_WATCH_KIND,
    controls: TAMPER_WATCH_CONTROLS,
    account,
    region,
    collectedAt: input.now,
    policy: {
      trigger:
        'EventBridge "AWS API Call via CloudTrail" events that change a protected resource (the stack\'s rule names them)',
      changed: 'FAIL protected-resource-changed',
      attempted: 'WARN protected-resource-change-denied: the CloudTrail record carries an errorCode',
      malformed: 'recorded anyway, with what could not be read as an error entry',
    },
    findings,
    errors,
    runId,
    ...(input.invocationId ? { invocationId: input.invocationId } : {}),
  });
  return {
    draft,
    runId,
    sources: [{ name: EVENT_SOURCE_NAME, api: EVENT_API, contentType: 'application/json', body }],
  };
}
