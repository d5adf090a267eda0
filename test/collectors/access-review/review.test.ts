import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { runAccessReview } from '../../../lambdas/collectors/access-review/review';
import { ClientFactory } from '../../../lambdas/aws/client-factory';
import { sha256Hex } from '../../../lambdas/evidence/canonical-json';
import { DirectoryStore } from '../../../lambdas/evidence/directory-store';
import { directoryReader } from '../../../lambdas/evidence/read-store';
import type { Envelope } from '../../../lambdas/evidence/envelope';
import type { EvidenceObject, EvidenceStore } from '../../../lambdas/evidence/store';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { expectValidEnvelope } from '../../helpers/envelope-schema';
import { ADMIN_DOC, enc, user } from './fixtures';
import { decodeHeader, leaves, parseMime } from './mime';

const iam = mockClient(IAMClient);
const ses = mockClient(SESv2Client);
const CSV = readFileSync(join(__dirname, '..', '..', 'fixtures', 'credential-report.csv'));
const NOW = new Date('2026-10-01T07:00:00.000Z');

function recordingStore(log: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'soc2-review-'));
  const inner = new DirectoryStore(dir);
  const store: EvidenceStore = {
    description: inner.description,
    put: async (o: EvidenceObject) => {
      log.push(`put ${o.key}`);
      return inner.put(o);
    },
  };
  return { store, dir };
}

function readJson(dir: string, key: string): Envelope {
  const env = JSON.parse(readFileSync(join(dir, key), 'utf8')) as Envelope;
  expectValidEnvelope(env);
  return env;
}

function context(log: string[], extra: { dryRun?: boolean } = {}) {
  const { store, dir } = recordingStore(log);
  return {
    dir,
    ctx: {
      clients: new ClientFactory(),
      store,
      account: '123456789012',
      settings: DEFAULT_SETTINGS,
      now: () => NOW,
      runId: 'review-run',
      senderEmail: 'soc2-evidence@example.com',
      securityEmail: 'security@example.com',
      location: { dir },
      timeZone: 'Europe/Paris',
      ...extra,
    },
  };
}

beforeEach(() => {
  iam.reset();
  ses.reset();
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam
    .on(GetCredentialReportCommand)
    .resolves({ Content: CSV, GeneratedTime: new Date('2026-10-01T06:30:00Z') });
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({
    UserDetailList: [
      user('alice', { UserPolicyList: [{ PolicyName: 'all', PolicyDocument: enc(ADMIN_DOC) }] }),
      user('bob'),
      user('<img src=x onerror=alert(1)>'),
    ],
    IsTruncated: false,
  });
});

describe('runAccessReview', () => {
  it('writes the frozen population before calling SES, then the email evidence', async () => {
    const log: string[] = [];
    ses.on(SendEmailCommand).callsFake(() => {
      log.push('ses SendEmail');
      return { MessageId: 'ses-message-1' };
    });
    const { ctx, dir } = context(log);
    const result = await runAccessReview(ctx);

    const sesAt = log.indexOf('ses SendEmail');
    const populationAt = log.findIndex((l) =>
      /\/access-review\/123456789012\/global\/\d{6}Z-review-run\.json$/.test(l),
    );
    expect(populationAt).toBeGreaterThanOrEqual(0);
    expect(populationAt).toBeLessThan(sesAt);
    expect(log.slice(0, populationAt).map((l) => l.replace(/.*--/, ''))).toEqual([
      'credential-report.csv',
      'authorization-details.json',
      'population.json',
      'access-review.csv',
    ]);
    expect(
      log
        .slice(sesAt + 1)
        .map((l) => l.replace(/.*\/(access-review-email)\/.*?(--message\.eml|\.json)$/, '$1$2')),
    ).toEqual(['access-review-email--message.eml', 'access-review-email.json']);

    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'soc2-evidence@example.com',
      Destination: { ToAddresses: ['security@example.com'] },
    });
    const sent = Buffer.from(input.Content!.Raw!.Data!);
    expect(sent.equals(result.raw)).toBe(true);

    const population = readJson(dir, result.population.envelopeObject.key);
    expect(population).toMatchObject({
      collector: 'access-review',
      controls: ['CC6.2', 'CC6.3'],
      policy: { inactiveAfterDays: 90 },
    });
    expect(population.summary.figures).toMatchObject({ users: 3, admins: 1 });
    const email = readJson(dir, result.email.envelopeObject.key);
    const csvSource = population.sources.find((s) => s.name === 'access-review.csv')!;
    const eml = email.sources.find((s) => s.name === 'message.eml')!;
    expect(email.policy).toMatchObject({
      quarter: '2026-Q4',
      sesMessageId: 'ses-message-1',
      csvSha256: csvSource.sha256,
      messageSha256: sha256Hex(sent),
      populationEnvelopeKey: result.population.envelopeObject.key,
      populationEnvelopeSha256: result.population.envelopeObject.sha256,
      populationSha256: population.sources.find((s) => s.name === 'population.json')!.sha256,
    });
    expect(eml.sha256).toBe(sha256Hex(sent));
    expect(readFileSync(join(dir, eml.key)).equals(sent)).toBe(true);
    expect(email.summary.status).toBe('PASS');

    const msg = parseMime(sent);
    expect(decodeHeader(msg.headers.subject!)).toBe('SOC 2 access review 2026-Q4 — AWS account 123456789012');
    const html = leaves(msg)
      .find((p) => p.headers['content-type']!.startsWith('text/html'))!
      .body.toString('utf8');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    const attached = leaves(msg).find((p) => p.headers['content-type']!.startsWith('text/csv'))!.body;
    expect(sha256Hex(attached)).toBe(csvSource.sha256);
  });

  it('stores but does not send on a dry run', async () => {
    const log: string[] = [];
    const { ctx, dir } = context(log, { dryRun: true });
    const result = await runAccessReview(ctx);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    const email = readJson(dir, result.email.envelopeObject.key);
    expect(email.policy).toMatchObject({ dryRun: true, sesMessageId: null });
    expect(email.findings[0]).toMatchObject({ check: 'review-email-sent', status: 'INFO' });
  });

  it('records a refused send as an error, then throws', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const log: string[] = [];
    const { ctx, dir } = context(log);
    await expect(runAccessReview(ctx)).rejects.toThrow(
      'the access review email was not sent (MessageRejected: Email address is not verified.)',
    );
    const emailKey = log
      .map((l) => l.slice(4))
      .find((k) => k.includes('/access-review-email/') && k.endsWith('.json'))!;
    const email = readJson(dir, emailKey);
    expect(email.summary).toMatchObject({ status: 'FAIL', complete: false });
    expect(email.errors[0]).toMatchObject({ api: 'ses:SendEmail', code: 'MessageRejected' });
  });

  it('sends nothing when the population cannot be read, and keeps the ERROR evidence', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
    const log: string[] = [];
    const { ctx, dir } = context(log);
    await expect(runAccessReview(ctx)).rejects.toThrow(
      /population could not be read \(.*iam:GetAccountAuthorizationDetails AccessDenied/,
    );
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    const key = log.at(-1)!.slice(4);
    expect(readJson(dir, key).summary.status).toBe('ERROR');
  });
});

describe('runAccessReview retried by Lambda (same invocation id)', () => {
  /** A directory store whose first write of the final email envelope fails, as S3 or KMS might. */
  function flakyStore(dir: string, failEmailEnvelope: boolean) {
    const inner = new DirectoryStore(dir);
    let failed = !failEmailEnvelope;
    const store: EvidenceStore = {
      description: inner.description,
      put: async (o: EvidenceObject) => {
        const finalEmail = /\/access-review-email\/.*Z-[a-z-]+(?<!-sending)\.json$/.test(o.key);
        if (finalEmail && !failed) {
          failed = true;
          throw new Error('S3 said no');
        }
        return inner.put(o);
      },
    };
    return store;
  }

  function attempt(dir: string, store: EvidenceStore, runId: string) {
    return runAccessReview({
      ...context([]).ctx,
      store,
      reader: directoryReader(dir),
      invocationId: '11111111-2222-3333-4444-555555555555',
      runId,
    });
  }

  it('does not send again when the first attempt sent but failed to record it', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    const dir = mkdtempSync(join(tmpdir(), 'soc2-review-'));
    await expect(attempt(dir, flakyStore(dir, true), 'first')).rejects.toThrow('S3 said no');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);

    const retry = await attempt(dir, flakyStore(dir, false), 'second');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(retry.skipped?.reason).toMatch(
      /attempt first of this invocation called SES and recorded no outcome/,
    );
    const email = readJson(dir, retry.email.envelopeObject.key);
    expect(email.findings[0]).toMatchObject({ check: 'review-email-sent', status: 'WARN' });
    expect(email.policy).toMatchObject({ resend: 'skipped', sesMessageId: null });
    expect(email.policy.previousEmailEnvelopeKey).toMatch(/Z-first-sending\.json$/);
  });

  it('does not send again when the first attempt sent and recorded it', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    const dir = mkdtempSync(join(tmpdir(), 'soc2-review-'));
    const first = await attempt(dir, flakyStore(dir, false), 'first');
    const retry = await attempt(dir, flakyStore(dir, false), 'second');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(retry.messageId).toBe('ses-message-1');
    expect(retry.skipped?.previousEmailEnvelopeKey).toBe(first.email.envelopeObject.key);
    expect(readJson(dir, retry.email.envelopeObject.key).findings[0]).toMatchObject({ status: 'INFO' });
  });

  it('sends again when the first attempt failed to send and recorded that', async () => {
    ses
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'Throttling' }))
      .resolves({ MessageId: 'ses-message-2' });
    const dir = mkdtempSync(join(tmpdir(), 'soc2-review-'));
    await expect(attempt(dir, flakyStore(dir, false), 'first')).rejects.toThrow(/not sent/);
    const retry = await attempt(dir, flakyStore(dir, false), 'second');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    expect(retry).toMatchObject({ messageId: 'ses-message-2' });
    expect(retry.skipped).toBeUndefined();
  });

  it('a different invocation on the same day sends', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    const dir = mkdtempSync(join(tmpdir(), 'soc2-review-'));
    await attempt(dir, flakyStore(dir, false), 'first');
    await runAccessReview({
      ...context([]).ctx,
      store: new DirectoryStore(dir),
      reader: directoryReader(dir),
      invocationId: '99999999-2222-3333-4444-555555555555',
      runId: 'other',
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });
});
