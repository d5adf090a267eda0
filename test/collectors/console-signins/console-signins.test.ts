import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  type Event,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import {
  assessConsoleSignins,
  consoleSignins,
  createConsoleSignins,
  signinRegions,
  type ConsoleSigninsFacts,
} from '../../../lambdas/collectors/console-signins/collector';
import type { RegionSignins, TrailState } from '../../../lambdas/collectors/console-signins/region-signins';
import {
  isMalformed,
  parseSigninEvent,
  type SigninEvent,
} from '../../../lambdas/collectors/console-signins/signin-event';
import { NOW, runInTempDir } from '../../helpers/run';
import { collectorSettings, parseConfig } from '../../../lib/config';

const cloudtrail = mockClient(CloudTrailClient);
beforeEach(() => cloudtrail.reset());

const ACCOUNT = '123456789012';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
const WINDOW = { from: '2026-11-22T06:00:03.120Z', to: '2026-11-23T06:00:03.120Z' };
const SETTINGS = { failedSigninThreshold: 5 };

interface EventSpec {
  type?: string;
  user?: string;
  result?: string;
  mfa?: string;
  ip?: string;
  time?: string;
}

function identity(type: string, user: string): Record<string, unknown> {
  if (type === 'Root')
    return { type, principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
  if (type === 'AssumedRole')
    return {
      type,
      principalId: `AROAEXAMPLE:${user}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AdminSSO/${user}`,
      accountId: ACCOUNT,
    };
  return {
    type,
    principalId: 'AIDAEXAMPLE',
    arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
    accountId: ACCOUNT,
    userName: user,
  };
}

/** A LookupEvents entry as CloudTrail returns it, with the full payload a collector must not keep. */
function ctEvent(id: string, spec: EventSpec = {}): Event {
  const {
    type = 'IAMUser',
    user = 'alice',
    result = 'Success',
    mfa = 'Yes',
    ip = '203.0.113.5',
    time = '2026-11-22T10:00:00Z',
  } = spec;
  return {
    EventId: id,
    EventName: 'ConsoleLogin',
    EventTime: new Date(time),
    Username: user,
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.08',
      userIdentity: identity(type, user),
      eventTime: time,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: ip,
      userAgent: 'Mozilla/5.0 (secret-user-agent)',
      requestParameters: null,
      responseElements: { ConsoleLogin: result },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: mfa },
      eventID: id,
      eventType: 'AwsConsoleSignIn',
      recipientAccountId: ACCOUNT,
    }),
  };
}

function parsed(id: string, spec: EventSpec = {}, region = 'us-east-1'): SigninEvent {
  const e = parseSigninEvent(ctEvent(id, spec), region);
  if (isMalformed(e)) throw new Error(e.problem);
  return e;
}

const LOGGING: TrailState[] = [
  {
    name: 'main',
    arn: TRAIL_ARN,
    homeRegion: 'us-east-1',
    multiRegion: true,
    organizationTrail: false,
    isLogging: true,
  },
];
const STOPPED: TrailState[] = [{ ...LOGGING[0]!, isLogging: false }];

function facts(events: SigninEvent[], trails: RegionSignins['trails'] = LOGGING): ConsoleSigninsFacts {
  return { window: WINDOW, regions: [{ region: 'us-east-1', trails, events }] };
}

describe('parseSigninEvent', () => {
  it('keeps only user, time, source IP, MFA and result (plus event id and user type)', () => {
    expect(parsed('ev-1')).toEqual({
      eventId: 'ev-1',
      region: 'us-east-1',
      time: '2026-11-22T10:00:00.000Z',
      user: 'alice',
      principal: `arn:aws:iam::${ACCOUNT}:user/alice`,
      userType: 'IAMUser',
      sourceIp: '203.0.113.5',
      mfaUsed: true,
      result: 'Success',
    });
  });

  it('names an assumed-role session by role and session', () => {
    expect(parsed('ev-2', { type: 'AssumedRole', user: 'carol@example.com' }).user).toBe(
      'AdminSSO/carol@example.com',
    );
  });

  it('builds a user ARN when a failed sign-in omits it', () => {
    const e = ctEvent('ev-3', { result: 'Failure' });
    const body = JSON.parse(e.CloudTrailEvent!) as { userIdentity: Record<string, unknown> };
    delete body.userIdentity.arn;
    const p = parseSigninEvent({ ...e, CloudTrailEvent: JSON.stringify(body) }, 'us-east-1');
    expect(p).toMatchObject({ principal: `arn:aws:iam::${ACCOUNT}:user/alice`, result: 'Failure' });
  });

  it("builds a missing ARN in the region's partition", () => {
    const e = ctEvent('ev-4', { type: 'Root', result: 'Failure' });
    const body = JSON.parse(e.CloudTrailEvent!) as { userIdentity: Record<string, unknown> };
    delete body.userIdentity.arn;
    const p = parseSigninEvent({ ...e, CloudTrailEvent: JSON.stringify(body) }, 'us-gov-west-1');
    expect(p).toMatchObject({ principal: `arn:aws-us-gov:iam::${ACCOUNT}:root` });
  });

  it.each<[string, Event, string]>([
    [
      'not JSON',
      { EventId: 'bad-1', CloudTrailEvent: '{"userIdentity": ' },
      'CloudTrailEvent is not valid JSON',
    ],
    ['missing', { EventId: 'bad-2' }, 'the event has no CloudTrailEvent'],
    ['a JSON array', { EventId: 'bad-3', CloudTrailEvent: '[]' }, 'CloudTrailEvent is not a JSON object'],
    [
      'without a result',
      {
        EventId: 'bad-4',
        CloudTrailEvent: JSON.stringify({
          userIdentity: { type: 'IAMUser' },
          eventTime: '2026-11-22T10:00:00Z',
        }),
      },
      'responseElements.ConsoleLogin must be Success or Failure, got null',
    ],
    [
      'without an identity',
      {
        EventId: 'bad-5',
        CloudTrailEvent: JSON.stringify({ responseElements: { ConsoleLogin: 'Success' } }),
      },
      'userIdentity.type is missing',
    ],
  ])('reports a malformed event (%s) by its id instead of throwing', (_label, event, problem) => {
    expect(parseSigninEvent(event, 'eu-west-1')).toEqual({
      eventId: event.EventId,
      region: 'eu-west-1',
      problem,
    });
  });
});

describe('assessConsoleSignins', () => {
  it('passes a user who always signed in with MFA', () => {
    const { findings } = assessConsoleSignins(facts([parsed('a1'), parsed('a2')]), SETTINGS);
    expect(findings.find((f) => f.check === 'signin-mfa')).toMatchObject({
      resource: `arn:aws:iam::${ACCOUNT}:user/alice`,
      status: 'PASS',
      detail: {
        region: 'us-east-1',
        user: 'alice',
        successes: 2,
        failures: 0,
        withoutMfa: 0,
        lastSignIn: '2026-11-22T10:00:00.000Z',
      },
    });
  });

  it('fails a user who signed in without MFA, with the count', () => {
    const events = [
      parsed('b1', { user: 'bob', mfa: 'No', time: '2026-11-22T09:00:00Z' }),
      parsed('b2', { user: 'bob', mfa: 'No', time: '2026-11-22T11:00:00Z' }),
      parsed('b3', { user: 'bob', mfa: 'Yes' }),
      parsed('b4', { user: 'bob', mfa: 'No', result: 'Failure' }),
    ];
    const { findings, figures } = assessConsoleSignins(facts(events), SETTINGS);
    expect(findings.find((f) => f.check === 'signin-mfa')).toMatchObject({
      status: 'FAIL',
      detail: {
        user: 'bob',
        successes: 3,
        failures: 1,
        withoutMfa: 2,
        withoutMfaAt: [
          { time: '2026-11-22T09:00:00.000Z', sourceIp: '203.0.113.5' },
          { time: '2026-11-22T11:00:00.000Z', sourceIp: '203.0.113.5' },
        ],
      },
    });
    expect(figures).toMatchObject({ signIns: 3, failedSignIns: 1, signInsWithoutMfa: 2, usersSignedIn: 1 });
  });

  it('fails any root sign-in with when and from where', () => {
    const { findings, figures } = assessConsoleSignins(
      facts([parsed('r1', { type: 'Root', ip: '198.51.100.9' })]),
      SETTINGS,
    );
    expect(findings.find((f) => f.check === 'root-signin')).toEqual({
      resource: `arn:aws:iam::${ACCOUNT}:root`,
      check: 'root-signin',
      status: 'FAIL',
      detail: {
        region: 'us-east-1',
        time: '2026-11-22T10:00:00.000Z',
        sourceIp: '198.51.100.9',
        mfaUsed: true,
        result: 'Success',
        eventId: 'r1',
      },
    });
    expect(figures.rootSignIns).toBe(1);
  });

  it('warns on a failed root attempt', () => {
    const { findings } = assessConsoleSignins(
      facts([parsed('r2', { type: 'Root', result: 'Failure' })]),
      SETTINGS,
    );
    expect(findings.find((f) => f.check === 'root-signin')!.status).toBe('WARN');
  });

  it('records federated sign-ins without judging MFA the identity provider enforces', () => {
    const { findings, figures } = assessConsoleSignins(
      facts([parsed('f1', { type: 'AssumedRole', user: 'dave@example.com', mfa: 'No' })]),
      SETTINGS,
    );
    expect(findings.find((f) => f.check === 'signin-mfa')).toMatchObject({
      status: 'INFO',
      detail: { userType: 'AssumedRole', withoutMfa: 1 },
    });
    expect(figures.signInsWithoutMfa).toBe(0);
  });

  it('warns on more than the threshold of failures from one source IP, not at the threshold', () => {
    const fails = (ip: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        parsed(`${ip}-${i}`, {
          ip,
          user: i % 2 ? 'alice' : 'mallory',
          result: 'Failure',
          time: `2026-11-22T1${i}:00:00Z`,
        }),
      );
    const { findings, figures } = assessConsoleSignins(
      facts([...fails('203.0.113.66', 6), ...fails('203.0.113.77', 5)]),
      SETTINGS,
    );
    const repeated = findings.filter((f) => f.check === 'repeated-signin-failures');
    expect(repeated).toEqual([
      {
        resource: 'source-ip:203.0.113.66',
        check: 'repeated-signin-failures',
        status: 'WARN',
        detail: {
          region: 'us-east-1',
          sourceIp: '203.0.113.66',
          failures: 6,
          threshold: 5,
          userCount: 2,
          users: ['alice', 'mallory'],
          first: '2026-11-22T10:00:00.000Z',
          last: '2026-11-22T15:00:00.000Z',
        },
      },
    ]);
    expect(figures.sourceIpsOverThreshold).toBe(1);
    expect(
      assessConsoleSignins(facts(fails('203.0.113.77', 5)), { failedSigninThreshold: 4 }).findings.some(
        (f) => f.check === 'repeated-signin-failures',
      ),
    ).toBe(true);
  });

  it('passes an empty day when the trail is logging', () => {
    const { findings, figures } = assessConsoleSignins(facts([]), SETTINGS);
    expect(findings).toEqual([
      {
        resource: TRAIL_ARN,
        check: 'trail-logging',
        status: 'PASS',
        detail: { region: 'us-east-1', window: WINDOW, trails: LOGGING },
      },
    ]);
    expect(figures).toEqual({
      signIns: 0,
      failedSignIns: 0,
      usersSignedIn: 0,
      signInsWithoutMfa: 0,
      rootSignIns: 0,
      sourceIpsOverThreshold: 0,
      regionsWithoutLoggingTrail: 0,
    });
  });

  it('fails a stopped trail, saying why, and still judges the events history returned', () => {
    const { findings, figures } = assessConsoleSignins(
      facts([parsed('s1', { mfa: 'No' })], STOPPED),
      SETTINGS,
    );
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ['trail-logging', 'FAIL'],
      ['signin-mfa', 'FAIL'],
    ]);
    expect(findings[0]!.detail).toEqual({
      region: 'us-east-1',
      window: WINDOW,
      trails: STOPPED,
      reason:
        'no CloudTrail trail is logging in us-east-1 (trails: main (stopped)): sign-in evidence would be empty for the wrong reason',
    });
    expect(figures.regionsWithoutLoggingTrail).toBe(1);
  });

  it('fails a region with no trail at all', () => {
    const { findings } = assessConsoleSignins(facts([], []), SETTINGS);
    expect(findings).toEqual([
      expect.objectContaining({
        resource: 'cloudtrail:us-east-1',
        check: 'trail-logging',
        status: 'FAIL',
        detail: expect.objectContaining({
          reason:
            'no CloudTrail trail is logging in us-east-1 (no trail exists): sign-in evidence would be empty for the wrong reason',
        }),
      }),
    ]);
  });

  it('leaves logging unjudged when a trail might be logging but its status could not be read', () => {
    const unknown: TrailState[] = [...STOPPED, { ...LOGGING[0]!, name: 'org', isLogging: 'unknown' }];
    const { findings, figures } = assessConsoleSignins(facts([], unknown), SETTINGS);
    expect(findings[0]).toMatchObject({
      check: 'trail-logging',
      status: 'INFO',
      detail: { reason: 'no trail is known to be logging in us-east-1: the status of org could not be read' },
    });
    expect(figures.regionsWithoutLoggingTrail).toBe(0);
  });
});

describe('console-signins collector end to end', () => {
  /** A fake clock: sleeping advances it, and so does each LookupEvents call by its simulated latency. */
  let clockMs = 0;
  const clock = () => clockMs;
  const sleep = jest.fn(async (ms: number) => {
    clockMs += ms;
  });
  const collector = createConsoleSignins({ sleep, clock });
  beforeEach(() => {
    clockMs = 1_000_000;
    sleep.mockClear();
    cloudtrail.on(DescribeTrailsCommand).resolves({
      trailList: [{ Name: 'main', TrailARN: TRAIL_ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: true }],
    });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  });

  it('reads every page of the last 24 hours, paced, and keeps only reduced fields', async () => {
    cloudtrail
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [ctEvent('p1', { type: 'Root', mfa: 'No' })], NextToken: 'page-2' })
      .resolvesOnce({ Events: [ctEvent('p2', { user: 'bob', mfa: 'No' })] });

    const { written, sourceObjects } = await runInTempDir(collector);

    const calls = cloudtrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      {
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }],
        StartTime: new Date(WINDOW.from),
        EndTime: NOW,
        MaxResults: 50,
      },
      {
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }],
        StartTime: new Date(WINDOW.from),
        EndTime: NOW,
        MaxResults: 50,
        NextToken: 'page-2',
      },
    ]);
    expect(sleep.mock.calls).toEqual([[500]]);
    expect(cloudtrail.commandCalls(DescribeTrailsCommand)[0]!.args[0].input).toEqual({
      includeShadowTrails: true,
    });
    expect(cloudtrail.commandCalls(GetTrailStatusCommand)[0]!.args[0].input).toEqual({ Name: TRAIL_ARN });

    expect(written).toMatchObject({
      collector: 'console-signins',
      controls: ['CC7.2'],
      region: 'multi-region',
    });
    expect(written.summary).toMatchObject({ status: 'FAIL', failed: 3, passed: 1 });
    expect(written.findings.map((f) => [f.check, f.status])).toEqual([
      ['trail-logging', 'PASS'],
      ['root-signin', 'FAIL'],
      ['signin-mfa', 'FAIL'],
      ['signin-mfa', 'FAIL'],
    ]);
    expect(written.sources).toEqual([
      expect.objectContaining({ name: 'console-signins.json', api: 'cloudtrail:LookupEvents' }),
    ]);
    const everything = readFileSync(sourceObjects[0]!.location, 'utf8') + JSON.stringify(written);
    expect(everything).not.toContain('secret-user-agent');
    expect(everything).not.toContain('MobileVersion');
    const raw = JSON.parse(readFileSync(sourceObjects[0]!.location, 'utf8')) as {
      eventsByRegion: Record<string, object[]>;
    };
    expect(raw.eventsByRegion['us-east-1']![1]).toEqual({
      eventId: 'p2',
      time: '2026-11-22T10:00:00.000Z',
      user: 'bob',
      userType: 'IAMUser',
      sourceIp: '203.0.113.5',
      mfaUsed: false,
      result: 'Success',
    });
  });

  it('keeps one region when another is denied (PARTIAL)', async () => {
    const denied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const inDenied = async (getClient: () => CloudTrailClient) =>
      (await getClient().config.region()) === 'eu-west-1';
    cloudtrail.on(LookupEventsCommand).callsFake(async (_input, getClient) => {
      if (await inDenied(getClient)) throw denied();
      return { Events: [ctEvent('ok-1')] };
    });
    cloudtrail.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
      if (await inDenied(getClient)) throw denied();
      return { trailList: [{ Name: 'main', TrailARN: TRAIL_ARN }] };
    });

    const { written } = await runInTempDir(collector, { regions: ['us-east-1', 'eu-west-1'] });

    expect(written.summary.status).toBe('PARTIAL');
    expect(written.errors).toEqual([
      {
        region: 'eu-west-1',
        api: 'cloudtrail:DescribeTrails',
        code: 'AccessDeniedException',
        message: 'not authorized',
      },
      {
        region: 'eu-west-1',
        api: 'cloudtrail:LookupEvents',
        code: 'AccessDeniedException',
        message: 'not authorized',
      },
    ]);
    expect(written.findings.map((f) => [f.detail.region, f.check, f.status])).toEqual([
      ['us-east-1', 'trail-logging', 'PASS'],
      ['us-east-1', 'signin-mfa', 'PASS'],
    ]);
  });

  it('fails (logging is off) rather than erring (could not read) when no trail is logging', async () => {
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    const { written } = await runInTempDir(collector, { regions: ['us-east-1'] });
    expect(written.errors).toEqual([]);
    expect(written.summary).toMatchObject({ status: 'FAIL', failed: 1 });
    expect(written.summary.figures.regionsWithoutLoggingTrail).toBe(1);
    expect(written.findings).toEqual([
      expect.objectContaining({
        check: 'trail-logging',
        status: 'FAIL',
        detail: expect.objectContaining({
          reason:
            'no CloudTrail trail is logging in us-east-1 (trails: main (stopped)): sign-in evidence would be empty for the wrong reason',
        }),
      }),
    ]);
  });

  it('fails when a region has no trail at all, without an error entry', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    const { written } = await runInTempDir(collector);
    expect(written.errors).toEqual([]);
    expect(written.findings).toEqual([
      expect.objectContaining({ resource: 'cloudtrail:us-east-1', check: 'trail-logging', status: 'FAIL' }),
    ]);
  });

  it('reads us-east-1 too, where console sign-ins through the global endpoint (root included) are recorded', async () => {
    cloudtrail.on(LookupEventsCommand).callsFake(async (_input, getClient) => {
      const region = await (getClient as () => CloudTrailClient)().config.region();
      return { Events: region === 'us-east-1' ? [ctEvent('global-root', { type: 'Root' })] : [] };
    });
    const { written } = await runInTempDir(collector, { regions: ['eu-west-1'] });
    const regionsRead = await Promise.all(
      cloudtrail.commandCalls(LookupEventsCommand).map(async (c) => {
        const client = c.thisValue as CloudTrailClient;
        return client.config.region();
      }),
    );
    expect(regionsRead.sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(written.findings.filter((f) => f.check === 'root-signin')).toEqual([
      expect.objectContaining({ status: 'FAIL', detail: expect.objectContaining({ region: 'us-east-1' }) }),
    ]);
    expect(written.policy).toMatchObject({ regionsRead: ['eu-west-1', 'us-east-1'] });
    expect(written.policy.regionsReadNote).toEqual(expect.stringContaining('us-east-1'));
  });

  it('passes an empty day', async () => {
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    const { written } = await runInTempDir(consoleSignins);
    expect(written.summary).toMatchObject({ status: 'PASS', passed: 1, failed: 0 });
    expect(written.summary.figures.signIns).toBe(0);
    expect(written.policy).toMatchObject({ lookbackHours: 24, failedSigninThreshold: 5 });
  });

  it('turns a malformed event into an error naming it and judges the rest', async () => {
    cloudtrail.on(LookupEventsCommand).resolves({
      Events: [{ EventId: 'broken-1', CloudTrailEvent: 'not json' }, ctEvent('good-1', { mfa: 'No' })],
    });
    const { written } = await runInTempDir(collector);
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'cloudtrail:LookupEvents',
        code: 'MalformedEvent',
        message: 'event broken-1: CloudTrailEvent is not valid JSON',
      },
    ]);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false, failed: 1 });
  });

  it('starts consecutive LookupEvents calls at least 500 ms apart, sleeping only what a quick call left', async () => {
    const latencies = [120, 650, 500, 30];
    const starts: number[] = [];
    cloudtrail.on(LookupEventsCommand).callsFake(async () => {
      const page = starts.length;
      starts.push(clockMs);
      clockMs += latencies[page]!;
      return {
        Events: [ctEvent(`e${page}`)],
        ...(page < latencies.length - 1 ? { NextToken: `page-${page + 1}` } : {}),
      };
    });
    const { written } = await runInTempDir(collector);
    // 120 ms call: 380 ms left to wait; 650 ms and 500 ms calls: none; the last page is not waited after.
    expect(sleep.mock.calls).toEqual([[380]]);
    expect(starts.slice(1).map((t, i) => t - starts[i]!)).toEqual([500, 650, 500]);
    expect(written.errors).toEqual([]);
    expect(written.findings.filter((f) => f.check === 'signin-mfa')).toHaveLength(1);
  });

  it("paces each region on its own clock reading and never sleeps before a region's first call", async () => {
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    await runInTempDir(collector, { regions: ['us-east-1', 'eu-west-1'] });
    expect(cloudtrail.commandCalls(LookupEventsCommand)).toHaveLength(2);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('stops at the page limit with a named error, judges what it read, and leaves the run incomplete', async () => {
    let n = 0;
    cloudtrail.on(LookupEventsCommand).callsFake(async () => {
      n++;
      return {
        Events: [ctEvent(`loop-${n}`, { time: `2026-11-23T0${5 - n}:00:00Z` })],
        NextToken: 'again',
      };
    });
    const { written } = await runInTempDir(createConsoleSignins({ sleep, clock, maxPages: 3 }));
    expect(cloudtrail.commandCalls(LookupEventsCommand)).toHaveLength(3);
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'cloudtrail:LookupEvents',
        code: 'PageLimitReached',
        message:
          'stopped at the limit of 3 LookupEvents pages (3 ConsoleLogin events read) with more left: older ' +
          'ConsoleLogin events in us-east-1 between 2026-11-22T06:00:03.120Z and 2026-11-23T02:00:00.000Z ' +
          'were not read or judged',
      },
    ]);
    // The three sign-ins read used MFA and pass: the run is PARTIAL, not a PASS of a day it did not finish.
    expect(written.summary).toMatchObject({ status: 'PARTIAL', complete: false, failed: 0 });
    expect(written.findings.find((f) => f.check === 'signin-mfa')?.status).toBe('PASS');
    expect(written.policy).toMatchObject({ lookupMaxPages: 3, lookupPageIntervalMs: 500 });
  });

  it('reads to the last page without an error when the last page carries no token', async () => {
    cloudtrail
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [ctEvent('a')], NextToken: 't2' })
      .resolvesOnce({ Events: [], NextToken: 't3' })
      .resolvesOnce({ Events: [ctEvent('b')] });
    const { written } = await runInTempDir(createConsoleSignins({ sleep, clock, maxPages: 3 }));
    expect(cloudtrail.commandCalls(LookupEventsCommand)).toHaveLength(3);
    expect(written.errors).toEqual([]);
  });
});

describe('signinRegions', () => {
  it.each([
    [['eu-west-1'], ['eu-west-1', 'us-east-1']],
    [
      ['us-east-1', 'eu-west-1'],
      ['us-east-1', 'eu-west-1'],
    ],
    [
      ['eu-west-1', 'us-east-1', 'eu-west-1'],
      ['eu-west-1', 'us-east-1'],
    ],
    [['cn-northwest-1'], ['cn-northwest-1', 'cn-north-1']],
    [['us-gov-east-1'], ['us-gov-east-1', 'us-gov-west-1']],
  ])('%j → %j (once, in the same partition)', (configured, read) => {
    expect(signinRegions(configured)).toEqual(read);
  });
});

describe('configuration (failedSigninThreshold)', () => {
  it('defaults to 5 and accepts a positive integer', () => {
    expect(collectorSettings(parseConfig({})).failedSigninThreshold).toBe(5);
    expect(collectorSettings(parseConfig({ failedSigninThreshold: 10 })).failedSigninThreshold).toBe(10);
  });

  it.each([0, 2.5, '5'])('rejects %j', (value) => {
    expect(() => parseConfig({ failedSigninThreshold: value })).toThrow(
      `soc2Evidence.failedSigninThreshold must be an integer from 1 to 10000, got ${JSON.stringify(value)}`,
    );
  });
});
