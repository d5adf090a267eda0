import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { accessReview } from '../lambdas/collectors/access-review/collector';
import { runAccessReview, type ReviewResult } from '../lambdas/collectors/access-review/review';
import { OfflineClientFactory } from './demo/offline-clients';
import { COLLECTORS, EVIDENCE_KINDS, PRODUCER_IDS } from '../lambdas/collectors/registry';
import { producerOfKey } from './package/checks';
import { renderTrustFile, TRUST_FILE_KIND } from './trust/trust-file';
import { expectedRunDays } from '../lambdas/evidence/coverage';
import { DirectoryStore } from '../lambdas/evidence/directory-store';
import { dayPrefix, parseEvidenceKey } from '../lambdas/evidence/keys';
import { LocalSigner } from '../lambdas/evidence/signer';
import { s3Reader } from '../lambdas/evidence/read-store';
import { SEALER_PRODUCER } from '../lambdas/evidence/producers';
import { sealDays, type SealResult } from '../lambdas/sealer/seal';
import { runCollector, type RunContext, type RunResult } from '../lambdas/run-collector';
import { collectorSettings, parseConfig, type ScheduleConfig } from '../lib/config';
import { checkOutputDir } from './arguments';
import { CliError } from './cli-error';
import { statusText } from './collect';
import { SAMPLE_ACCOUNT_ID } from './demo/sample-account';
import { sampleAnswers } from './demo/sample-answers';
import { bucketAnswers } from './demo/bucket-answers';
import { EvidenceBucket } from './demo/evidence-bucket';
import { INDEX_FILE } from './package/manifest';
import { pull } from './pull';
import { verify } from './verify';
import { csvFilename } from '../lambdas/collectors/access-review/render';
import { decisionDigest } from '../lambdas/risk-register/decision';
import { registerDecision, type RegisterResult } from '../lambdas/risk-register/record';
import { signedIdentityRequest } from './exception';
import { runOrganizationReview } from '../lambdas/collectors/access-review/organization';
import { organizationCsvFilename } from '../lambdas/collectors/access-review/organization-render';
import { listAccounts } from '../lambdas/organization/accounts';
import { prepareAccountRun } from '../lambdas/organization/account-run';
import {
  ACCOUNT_RUN_SOURCE,
  LIST_ACCOUNTS_SOURCE,
  ORGANIZATION_REVIEW_SOURCE,
} from '../lambdas/organization/contract';
import { organizationSettings } from '../lib/config';
import {
  accountAnswers,
  accountOfDemoSession,
  DEMO_BROKEN_ACCOUNT,
  DEMO_ORGANIZATION_CONFIG,
  hubOrganizationAnswers,
} from './demo/organization';
import { identityCenterAnswers } from './demo/samples/identity-center';

const DAY_MS = 86_400_000;
/** Not a bucket anyone owns: the demo's pull is answered in-process. */
export const DEMO_BUCKET = 'soc2-evidence-demo';
/** The label of a producer's throw-away demo key (a KMS key ARN in production). */
const demoKeyId = (producer: string) => `demo-${producer}-signing-key`;
export const PACKAGE_DIR = 'auditor-package';
export const EMAIL_DIR = 'access-review';
/** The demo's trust anchor: each producer's public key, as `soc2-evidence pin` writes it for a stack. */
export const TRUST_FILE = 'demo-trust.json';
/** What demos before per-producer keys wrote; still recognised (and removed) as the demo's own. */
const OLD_PUBLIC_KEY_FILE = 'demo-signing-key.pem';
/** Written first into every demo output directory, so the next run knows the directory is its own to replace. */
export const DEMO_MARKER = '.soc2-evidence-demo';
/** What the demo writes at the top of its output directory; a rerun removes exactly these. */
const DEMO_ENTRIES = new Set([
  DEMO_MARKER,
  'evidence',
  'digests',
  EMAIL_DIR,
  PACKAGE_DIR,
  TRUST_FILE,
  OLD_PUBLIC_KEY_FILE,
]);

export interface DemoOptions {
  /** Days of history, today included, so the package's calendar has something to show. @default 14 */
  readonly days?: number;
  /** Which earlier day (days before today) is left without any run, to show a gap; null for none. @default 4 */
  readonly gapDaysAgo?: number | null;
  /**
   * The collectors that run, by id: the others' schedules are disabled and the package is pulled for these
   * (and the evidence written beside them) only. Tests that need the story, not every collector, run fewer.
   * @default every collector
   */
  readonly collectors?: readonly string[];
  /** Told, in one line, when an earlier demo's output in the directory is removed. @default ignore */
  readonly notice?: (line: string) => void;
  /**
   * Run as the hub of a three-account organization (cli/demo/organization.ts): each collector's run lists the
   * in-scope accounts (signed), then runs in each account with its member role; one account's role is broken
   * (ERROR evidence), and the access review covers IAM Identity Center and every account in one email.
   * @default false (the single sample account)
   */
  readonly organization?: boolean;
}

/** The evidence kinds a run of `collectors` writes: theirs and those written beside them (the review email). */
function demoKinds(collectors: readonly string[]): string[] {
  return EVIDENCE_KINDS.filter((k) => collectors.includes(k.partOf ?? k.id)).map((k) => k.id);
}

export interface DemoResult {
  readonly out: string;
  /** Organization mode: the accounts today's runs covered, and the one whose member role is broken. */
  readonly organization?: {
    readonly accounts: readonly string[];
    readonly broken: string;
    readonly listKeys: readonly string[];
  };
  /** Today's run of every collector, in registry order. */
  readonly results: readonly RunResult[];
  readonly history: {
    readonly from: string;
    readonly to: string;
    readonly runs: number;
    readonly objects: number;
    readonly gapDate?: string;
    /** Daily digests the real sealer wrote, one per day and account, the gap day and today included. */
    readonly digests: number;
    /** The risk the security lead accepted (`exception accept`), when the history reaches its day. */
    readonly acceptance?: RegisterResult;
  };
  readonly email: {
    readonly quarter: string;
    readonly html: string;
    readonly eml: string;
    readonly csv: string;
  };
  readonly auditorPackage: {
    readonly dir: string;
    readonly index: string;
    readonly pullExitCode: number;
    readonly pullLines: readonly string[];
    readonly verifyExitCode: number;
    readonly verifyLines: readonly string[];
  };
  readonly elapsedMs: number;
}

const isoDate = (t: Date) => t.toISOString().slice(0, 10);

/**
 * The accepted risk of the demo's story: legacy-crm's storage is unencrypted (RDS cannot encrypt a database
 * in place) and the CRM is retired next quarter, so the security lead accepts the risk 10 days before the
 * demo's today, for 90 days. The period report shows that exception as accepted.
 */
const ACCEPTANCE = {
  daysAgo: 10,
  expiresDaysAfterToday: 80,
  check: 'rds-storage-encrypted',
  resource: `arn:aws:rds:us-east-1:${SAMPLE_ACCOUNT_ID}:db:legacy-crm`,
  owner: 'security-lead@example.com',
  reason:
    'RDS cannot encrypt an existing database in place (snapshot copy and restore, with downtime); the legacy CRM is retired next quarter',
  caller: `arn:aws:sts::${SAMPLE_ACCOUNT_ID}:assumed-role/SecurityLead/security-lead`,
} as const;

/**
 * `exception accept` as it runs against a stack, offline: the CLI's own signed GetCallerIdentity request
 * (throw-away demo credentials), the risk register's own checks of it, STS's answer simulated for the
 * sample account, and the decision recorded and signed with the register's demo key.
 */
async function acceptLegacyCrm(bucket: EvidenceBucket, at: Date, today: Date): Promise<RegisterResult> {
  const decision = {
    action: 'accept' as const,
    check: ACCEPTANCE.check,
    resource: ACCEPTANCE.resource,
    owner: ACCEPTANCE.owner,
    reason: ACCEPTANCE.reason,
    expires: isoDate(new Date(today.getTime() + ACCEPTANCE.expiresDaysAfterToday * DAY_MS)),
  };
  const identity = await signedIdentityRequest(decisionDigest(decision), {
    region: 'us-east-1',
    credentials: { accessKeyId: 'DEMO', secretAccessKey: 'demo-only-not-a-secret' },
  });
  const sts = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${ACCEPTANCE.caller}</Arn><UserId>AROADEMO:security-lead</UserId><Account>${SAMPLE_ACCOUNT_ID}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`;
  return registerDecision({
    store: bucket,
    account: SAMPLE_ACCOUNT_ID,
    payload: { decision, identity },
    now: at,
    runId: randomUUID(),
    fetch: () => Promise.resolve(new Response(sts, { status: 200 })),
  });
}

/** The demo's keys as a trust file, the form `soc2-evidence pin` writes for a deployed stack. */
function demoTrustFile(signers: ReadonlyMap<string, LocalSigner>, now: Date): string {
  return renderTrustFile({
    schemaVersion: 1,
    kind: TRUST_FILE_KIND,
    pinnedAt: now.toISOString(),
    source: 'soc2-evidence demo: throw-away keys generated for this run',
    producers: Object.fromEntries(
      [...signers].map(([id, s]) => [id, { keyArn: s.keyId, publicKey: s.publicKeyPem() }]),
    ),
  });
}

/** Whether the schedule runs on `date`; for `rate(N days)`, whose phase is unknown, every Nth day back. */
function scheduledOn(schedule: ScheduleConfig, date: string, daysAgo: number): boolean {
  if (!schedule.enabled) return false;
  const days = expectedRunDays({ expression: schedule.cron, timeZone: schedule.timeZone }, date, date);
  return days instanceof Set ? days.has(date) : daysAgo % days.everyDays === 0;
}

/**
 * Makes `out` an empty demo directory, so a rerun never leaves an earlier run's evidence beside the new one.
 * An earlier demo's output (it holds DEMO_MARKER; or, written before the marker existed, only the demo's own
 * entries and its signing key) is removed after saying so; what else the user put beside it stays. Any other
 * non-empty directory is refused: the demo never deletes what it did not write.
 */
async function freshDemoDir(outDir: string, out: string, notice: (line: string) => void): Promise<void> {
  checkOutputDir('--out', outDir);
  const entries = existsSync(out) ? await readdir(out) : [];
  if (entries.length > 0) {
    const earlierDemo =
      entries.includes(DEMO_MARKER) ||
      (entries.includes(OLD_PUBLIC_KEY_FILE) && entries.every((e) => DEMO_ENTRIES.has(e)));
    if (!earlierDemo)
      throw new CliError(
        `--out ${outDir} is not empty and holds no earlier demo output (no ${DEMO_MARKER}): ` +
          'give a new or empty directory; the demo does not delete what it did not write',
      );
    notice(`--out ${outDir} holds an earlier demo run: removing it before writing this one`);
    for (const e of entries)
      if (DEMO_ENTRIES.has(e)) await rm(join(out, e), { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
  await writeFile(
    join(out, DEMO_MARKER),
    'Written by `soc2-evidence demo`: the next demo run into this directory removes its output and writes afresh.\n',
  );
}

/**
 * Runs every collector against the bundled sample account (cli/demo/sample-account.ts) through the same
 * gather, assess and store code the Lambdas use; only the source of the AWS answers differs. It replays
 * `days` days of schedule (each collector on the days its schedule runs it, every collector today), signs
 * every object with its producer's throw-away key, seals each day with the real sealer (its daily digests),
 * renders the access review email without sending it, then pulls and verifies an auditor package from the
 * result with the real `pull` and `verify`.
 */
export async function runDemo(
  outDir: string,
  now = new Date(),
  options: DemoOptions = {},
): Promise<DemoResult> {
  const started = Date.now();
  const out = resolve(outDir);
  if (options.collectors) {
    const unknown = options.collectors.filter((id) => !COLLECTORS.some((c) => c.id === id));
    if (unknown.length > 0 || !options.collectors.includes(accessReview.id))
      throw new Error(
        `the demo's collectors must be collector ids (${COLLECTORS.map((c) => c.id).join(', ')}) and include ${accessReview.id}, whose email the demo renders${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
      );
  }
  const days = Math.max(1, options.days ?? 14);
  const gapDaysAgo = options.gapDaysAgo === undefined ? 4 : options.gapDaysAgo;
  await freshDemoDir(outDir, out, options.notice ?? (() => undefined));
  const config = parseConfig({
    regions: ['us-east-1', 'eu-west-1'],
    securityEmail: 'security@example.com',
    senderEmail: 'soc2-evidence@example.com',
    // The Admins group is the account's approved administrators (alice is in it): iam-privilege judges its
    // administrator rights PASS and still FAILs the OrganizationAdmin role nobody approved.
    approvedAdministrators: [`arn:aws:iam::${SAMPLE_ACCOUNT_ID}:group/Admins`],
    // The sample team uses Security Hub as its findings hub: a region without it FAILs (eu-west-1).
    requireSecurityHub: true,
    ...(options.organization ? { organization: DEMO_ORGANIZATION_CONFIG } : {}),
    ...(options.collectors
      ? {
          schedules: Object.fromEntries(
            COLLECTORS.filter((c) => !options.collectors!.includes(c.id)).map((c) => [
              c.id,
              { enabled: false },
            ]),
          ),
        }
      : {}),
  });
  // One throw-away key per producer, as the stack deploys one KMS key per function.
  const signers = new Map(PRODUCER_IDS.map((id) => [id, LocalSigner.generate(demoKeyId(id))]));
  let clock = now;
  // Signed and locked as in S3, served to pull in memory; the files are what the user browses (freshDemoDir
  // removed any earlier run's, so they are exactly this bucket's objects).
  const bucket = new EvidenceBucket({
    signer: (key) => signers.get(producerOfKey(key) ?? ''),
    retention: config.retention,
    now: () => clock,
    versionId: () => randomBytes(24).toString('base64url'),
    files: new DirectoryStore(out),
  });

  // The sealer reads the bucket as the deployed one does, through the S3 API.
  const reader = s3Reader(new OfflineClientFactory(bucketAnswers(bucket)).get(S3Client), DEMO_BUCKET);
  const sealer = signers.get(SEALER_PRODUCER)!;
  let digests = 0;
  /** The real sealer's run at 00:30Z after `date` (its schedule, SEALER_CRON), sealing that day. */
  const seal = async (date: string): Promise<SealResult> => {
    clock = new Date(Date.parse(`${date}T00:30:00.000Z`) + DAY_MS);
    const sealed = await sealDays({
      reader,
      store: bucket,
      account: SAMPLE_ACCOUNT_ID,
      now: clock,
      runId: `demo-seal-${date}`,
      publicKey: sealer.publicKey,
    });
    if (sealed.problems.length > 0) throw new Error(`the demo's sealer: ${sealed.problems.join('; ')}`);
    digests += sealed.sealed.length;
    return sealed;
  };

  const answersOf = (at: Date) => sampleAnswers(at, now);
  /** Organization mode's pieces: the hub's clients (Organizations, STS, Identity Center, and its own
   * account), each session's clients (the member account's answers), and a memo per account and day. */
  const org = options.organization
    ? {
        settings: organizationSettings(config.organization!),
        listKeys: [] as string[],
        accounts: [] as readonly string[],
        memos: new Map<string, Map<string, Promise<unknown>>>(),
        memo(account: string) {
          let m = this.memos.get(account);
          if (!m) this.memos.set(account, (m = new Map()));
          return m;
        },
        hub(answers: ReturnType<typeof sampleAnswers>) {
          return new OfflineClientFactory(
            { ...answers, ...hubOrganizationAnswers(), ...identityCenterAnswers(now) },
            {
              forCredentials: (session) =>
                new OfflineClientFactory(
                  accountAnswers(answers, accountOfDemoSession(session.accessKeyId) ?? SAMPLE_ACCOUNT_ID),
                ),
            },
          );
        },
      }
    : undefined;
  let results: RunResult[] = [];
  let review: Pick<ReviewResult, 'quarter' | 'html' | 'raw' | 'csv'> | undefined;
  let acceptance: RegisterResult | undefined;
  let runs = 0;
  for (let daysAgo = days - 1; daysAgo >= 0; daysAgo--) {
    const at = new Date(now.getTime() - daysAgo * DAY_MS);
    if (daysAgo === gapDaysAgo && daysAgo > 0) {
      // No run at all that day; the sealer still seals it (an empty digest keeps the chain daily).
      await seal(isoDate(at));
      continue;
    }
    clock = at;
    const date = isoDate(at);
    const base: Omit<RunContext, 'schedule'> = {
      clients: new OfflineClientFactory(answersOf(at)),
      store: bucket,
      account: SAMPLE_ACCOUNT_ID,
      settings: collectorSettings(config),
      now: () => at,
      memo: new Map(),
    };
    const today: RunResult[] = [];
    const answers = sampleAnswers(at, now);
    for (const collector of COLLECTORS) {
      const schedule = config.schedules[collector.id]!;
      if (!schedule.enabled) continue;
      if (daysAgo > 0 && !scheduledOn(schedule, date, daysAgo)) continue;
      const ctx: RunContext = {
        ...base,
        schedule: { expression: schedule.cron, timeZone: schedule.timeZone },
      };
      const reviewToday = daysAgo === 0 && collector.id === accessReview.id;
      if (org) {
        // The state machine's path: ListAccounts (signed list), then one run per account with its member
        // role's session (an account whose role refuses the hub gets its ERROR envelope), then the review.
        const execution = `arn:aws:states:us-east-1:${SAMPLE_ACCOUNT_ID}:execution:Soc2Evidence-${collector.id}:demo-${date}`;
        const listed = await listAccounts({
          clients: org.hub(answers),
          store: bucket,
          hubAccount: SAMPLE_ACCOUNT_ID,
          settings: org.settings,
          event: { source: LIST_ACCOUNTS_SOURCE, collector: collector.id, execution },
          now: at,
        });
        if (daysAgo === 0) org.listKeys.push(listed.listKey);
        for (const account of listed.accounts) {
          const prepared = await prepareAccountRun(
            { source: ACCOUNT_RUN_SOURCE, collector: collector.id, account, execution },
            { clients: org.hub(answers), partition: 'aws', memberRoleName: org.settings.memberRoleName },
          );
          runs++;
          today.push(
            await runCollector(collector, {
              ...ctx,
              clients: prepared.clients,
              account,
              memo: org.memo(account),
              ...(prepared.unavailable ? { unavailable: prepared.unavailable } : {}),
            }),
          );
        }
        if (reviewToday) {
          review = await runOrganizationReview({
            ...ctx,
            clients: org.hub(answers),
            event: {
              source: ORGANIZATION_REVIEW_SOURCE,
              execution,
              accounts: listed.accounts,
              listKey: listed.listKey,
            },
            organization: org.settings,
            reader,
            senderEmail: config.senderEmail!,
            securityEmail: config.securityEmail!,
            location: { dir: out },
            timeZone: schedule.timeZone,
            dryRun: true,
          });
          org.accounts = listed.accounts;
        }
        continue;
      }
      runs++;
      if (reviewToday) {
        // The same path as `review send --dry-run`: the population and the message are stored, SES is not called.
        const reviewed = await runAccessReview({
          ...ctx,
          senderEmail: config.senderEmail!,
          securityEmail: config.securityEmail!,
          // The email's record command reads this run's evidence where the demo writes it.
          location: { dir: out },
          timeZone: schedule.timeZone,
          dryRun: true,
        });
        today.push(reviewed.population);
        review = reviewed;
      } else today.push(await runCollector(collector, ctx));
    }
    if (daysAgo === 0) results = today;
    if (daysAgo === ACCEPTANCE.daysAgo) {
      clock = new Date(at.getTime() + 60_000);
      acceptance = await acceptLegacyCrm(bucket, clock, now);
    }
    await seal(date);
  }
  if (!review) throw new Error('the demo did not run the access review');

  const emailDir = join(out, EMAIL_DIR);
  await mkdir(emailDir, { recursive: true });
  const email = {
    quarter: review.quarter,
    html: join(emailDir, 'email.html'),
    eml: join(emailDir, 'message.eml'),
    // The attachment's own name, which the email's `review record` command refers to.
    csv: join(emailDir, org ? organizationCsvFilename(review.quarter) : csvFilename(review.quarter)),
  };
  await writeFile(email.html, review.html);
  await writeFile(email.eml, review.raw);
  await writeFile(email.csv, review.csv);

  const packageDir = join(out, PACKAGE_DIR);
  await mkdir(packageDir, { recursive: true });
  const trust = join(out, TRUST_FILE);
  await writeFile(trust, demoTrustFile(signers, now));
  const from = isoDate(new Date(now.getTime() - (days - 1) * DAY_MS));
  const to = isoDate(now);
  const pullLines: string[] = [];
  const pullExitCode = await pull(
    {
      bucket: DEMO_BUCKET,
      from,
      to,
      out: packageDir,
      trust,
      ...(options.collectors ? { collector: demoKinds(options.collectors) } : {}),
    },
    {
      s3: new OfflineClientFactory(bucketAnswers(bucket)).get(S3Client),
      out: (line) => pullLines.push(line),
      now: () => now,
    },
  );
  const verifyLines: string[] = [];
  const verifyExitCode = await verify(
    packageDir,
    {
      trust,
      // The auditor's side of a filtered pull: verify is told the same filter, as `verify --collector` is.
      scope: { from, to, ...(options.collectors ? { collector: demoKinds(options.collectors) } : {}) },
    },
    (line) => verifyLines.push(line),
  );

  return {
    out,
    ...(org
      ? { organization: { accounts: org.accounts, broken: DEMO_BROKEN_ACCOUNT, listKeys: org.listKeys } }
      : {}),
    results,
    history: {
      from,
      to,
      runs,
      objects: bucket.size - digests,
      digests,
      ...(acceptance ? { acceptance } : {}),
      ...(gapDaysAgo !== null && gapDaysAgo > 0 && gapDaysAgo < days
        ? { gapDate: isoDate(new Date(now.getTime() - gapDaysAgo * DAY_MS)) }
        : {}),
    },
    email,
    auditorPackage: {
      dir: packageDir,
      index: join(packageDir, INDEX_FILE),
      pullExitCode,
      pullLines,
      verifyExitCode,
      verifyLines,
    },
    elapsedMs: Date.now() - started,
  };
}

/** `<collector>/<account>/<region>/<HHmmss>Z-<runId prefix>*`: the envelope and its sources, under the day. */
function shortStem(key: string): string {
  const p = parseEvidenceKey(key);
  if (!p) return key;
  return `${p.collector}/${p.account}/${p.region}/${p.time}Z-${p.runId.slice(0, 8)}*`;
}

/**
 * Whether the demo's own `verify` said what the demo staged: exit 3 (gaps, no integrity problem) when a day
 * was left out on purpose, 0 when none was; anything else, exit 4 above all, is a bug.
 */
export function verifiedAsStaged(result: DemoResult): boolean {
  return result.auditorPackage.verifyExitCode === (result.history.gapDate || result.organization ? 3 : 0);
}

export function demoTable(result: DemoResult): string[] {
  const first = result.results[0] ? parseEvidenceKey(result.results[0].envelopeObject.key) : undefined;
  const dayDir = first ? join(result.out, dayPrefix(first.date)) : result.out;
  const keyFile = join(result.out, TRUST_FILE);
  const rows = result.results.map((r) => {
    const s = r.envelope.summary;
    return [
      r.envelope.collector,
      statusText(s),
      String(s.passed),
      String(s.failed),
      String(s.warnings),
      shortStem(r.envelopeObject.key),
    ];
  });
  const head = ['collector', 'status', 'passed', 'failed', 'warnings', 'files (envelope .json and sources)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const h = result.history;
  const p = result.auditorPackage;
  const pulled = p.pullLines.find((l) => l.startsWith('pulled ')) ?? '';
  const counts = /: (\d+) with integrity problems(?: \(\d+ late\))?, (\d+) gaps$/.exec(pulled);
  const objects = /^pulled (\d+) objects/.exec(pulled)?.[1] ?? '?';
  const pulledDigests = /, (\d+) daily digests\)/.exec(pulled)?.[1] ?? '?';
  const verified = p.verifyLines[p.verifyLines.length - 1] ?? '';
  return [
    `Today's run, files under ${dayDir}:`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `History: ${h.runs} runs from ${h.from} to ${h.to}, each collector on the days its schedule runs it.`,
    `  ${h.objects} objects, each signed with its producer's throw-away key; the public halves are in ${keyFile}`,
    `  ${h.digests} daily digests under ${join(result.out, 'digests')}, written by the real sealer at 00:30 UTC after` +
      ' each day (today included), signed with its own key and chained day to day',
    ...(h.gapDate
      ? [
          `No run at all on ${h.gapDate}, on purpose: the package reports it as a gap (its digest, sealed, lists nothing).`,
        ]
      : []),
    ...(h.acceptance
      ? [
          `Accepted risk (exception accept by ${h.acceptance.recordedBy.arn}, as STS would prove it; answered offline here): ${ACCEPTANCE.check} on ${ACCEPTANCE.resource}`,
          `  signed by the risk register's key: ${join(result.out, h.acceptance.key)}`,
        ]
      : []),
    ...(result.organization
      ? [
          '',
          `Organization ${DEMO_ORGANIZATION_CONFIG.id} (cli/demo/organization.ts), OUs ${DEMO_ORGANIZATION_CONFIG.organizationalUnits.join(', ')}: each run listed its accounts first, signed (${result.organization.listKeys.length} lists today, e.g. ${shortStem(result.organization.listKeys[0] ?? '')}),`,
          `  then ran in ${result.organization.accounts.join(', ')} through each account's member role; 333333333333 (suspended) is recorded out of scope.`,
          `  ${result.organization.broken}'s member role refuses the hub (AccessDenied): every run there is ERROR evidence, and the package shows those days as gaps.`,
        ]
      : []),
    '',
    `Access review email for ${result.email.quarter} (rendered, not sent): ${result.email.html}`,
    `  the exact message SES would send: ${result.email.eml}`,
    `  its attachment: ${result.email.csv}`,
    '',
    `Auditor package (soc2-evidence pull): ${p.index}`,
    ...p.pullLines.filter((l) => l.startsWith('period report')).map((l) => `  ${l}`),
    `  ${objects} objects (${pulledDigests} of them daily digests), ${counts?.[1] ?? '?'} with integrity problems, ${counts?.[2] ?? '?'} gaps` +
      ` (pull exit code ${p.pullExitCode}${p.pullExitCode === 3 ? ': gaps' : ''})`,
    ...(verifiedAsStaged(result)
      ? [
          `  soc2-evidence verify --trust ${keyFile} (exit ${p.verifyExitCode}${p.verifyExitCode === 3 ? (result.organization ? ': the staged gaps only, the broken account and the day without runs' : ': the staged gap only') : ''}):`,
          `    ${verified}`,
        ]
      : [
          `  soc2-evidence verify FAILED (exit ${p.verifyExitCode}):`,
          ...p.verifyLines.map((l) => `    ${l}`),
        ]),
    '',
    `Done in ${(result.elapsedMs / 1000).toFixed(1)} s. ` +
      'Edit cli/demo/sample-account.ts and run the demo again to see the findings change.',
  ];
}
