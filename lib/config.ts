import { partition } from '@aws-sdk/core/client';
import { z } from 'zod';
import { COLLECTORS } from '../lambdas/collectors/registry';
import type { Frequency } from '../lambdas/collectors/collector';
import { DEFAULT_SETTINGS, TLS_VERSIONS, type CollectorSettings } from '../lambdas/settings';
import {
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MEMBER_ROLE_NAME,
  type OrganizationSettings,
} from '../lambdas/organization/contract';
import { scheduleExpressionProblem, scheduleFrequencyProblem } from './schedule-expression';

/** The cdk.json context key holding this app's configuration. */
export const CONTEXT_KEY = 'soc2Evidence';

/** The stack's name (bin/app.ts); every function is named `<stack>-<collector>`. */
export const STACK_NAME = 'Soc2Evidence';

export const DEFAULT_CRON: Record<Frequency, string> = {
  daily: 'cron(0 6 * * ? *)',
  weekly: 'cron(0 6 ? * MON *)',
  quarterly: 'cron(0 9 1 1,4,7,10 ? *)',
};

/** The seed documents' remediation SLAs (critical 7 days, high 30) and 90 days for medium. */
export const DEFAULT_REMEDIATION_SLA_DAYS = DEFAULT_SETTINGS.remediationSlaDays;

export interface ScheduleConfig {
  readonly cron: string;
  readonly timeZone: string;
  readonly enabled: boolean;
}

export interface Soc2EvidenceConfig extends CollectorSettings {
  readonly securityEmail?: string;
  readonly senderEmail?: string;
  readonly alarmEmail?: string;
  readonly timeZone: string;
  readonly retention: {
    readonly mode: 'COMPLIANCE' | 'GOVERNANCE';
    readonly days: number;
    /** Required with GOVERNANCE, whose locks yield to s3:BypassGovernanceRetention. */
    readonly acknowledgeGovernanceBypass: boolean;
    /** Required with COMPLIANCE under 365 days, which may end before an audit period and its fieldwork. */
    readonly acknowledgeShortRetention: boolean;
  };
  /** The only role that may delete evidence versions or loosen the bucket; absent means nobody. */
  readonly breakGlassRoleArn?: string;
  /** One entry for every collector, defaults filled in. */
  readonly schedules: Readonly<Record<string, ScheduleConfig>>;
  /** A read-only role for auditors to pull and verify evidence; absent means no such role. */
  readonly auditor?: AuditorConfig;
  /** Who answers for the controls, as named in the controls matrix. */
  readonly controlOwner: string;
  /** Organization mode (the stack is the hub of every in-scope account); absent: single-account mode. */
  readonly organization?: OrganizationConfig;
}

/** Config `organization`: the hub's view of the organization, defaults filled in. */
export interface OrganizationConfig extends OrganizationSettings {
  /** Accounts the Distributed Map runs at once. */
  readonly maxConcurrency: number;
  /**
   * Who creates the member StackSet: `DELEGATED_ADMIN` when the hub is registered as a CloudFormation StackSets
   * delegated administrator (the usual evidence account), `SELF` when the hub is the management account.
   */
  readonly stackSetCallAs: 'DELEGATED_ADMIN' | 'SELF';
}

export interface AuditorConfig {
  /** Who may assume the auditor role: IAM role, user or account-root ARNs (often in the audit firm's account). */
  readonly principalArns: readonly string[];
  /** Required in sts:AssumeRole (confused-deputy protection for a third party). */
  readonly externalId: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration (cdk.json context "${CONTEXT_KEY}"):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz);
  } catch {
    return false;
  }
}

const expected = (form: string) => ({ error: form });
const email = () => z.email(expected('an email address such as security@example.com')).optional();
const timeZone = z
  .string(expected('an IANA time zone name such as "Europe/Paris" or "UTC"'))
  .refine(isTimeZone, expected('an IANA time zone name such as "Europe/Paris" or "UTC"'));
const intRange = (min: number, max: number) =>
  z
    .number(expected(`an integer from ${min} to ${max}`))
    .int(expected(`an integer from ${min} to ${max}`))
    .min(min, expected(`an integer from ${min} to ${max}`))
    .max(max, expected(`an integer from ${min} to ${max}`));
const PORT_LIST_FORM = 'a list of port numbers from 0 to 65535 without duplicates, such as [22, 3389]';
const portList = () =>
  z
    .array(intRange(0, 65535), expected(PORT_LIST_FORM))
    .refine((p) => new Set(p).size === p.length, expected(PORT_LIST_FORM));
const REGION_LIST_FORM = 'a list of one or more AWS region codes such as ["us-east-1", "eu-west-1"]';
const REGION_CODE = /^[a-z]{2,4}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/**
 * A region the AWS SDK knows: listed in the partition data of the installed @aws-sdk/core (every partition:
 * aws, aws-cn, aws-us-gov, the ISO partitions, the European Sovereign Cloud). A region code that only fits a
 * partition's pattern ("eu-west-9" does) is refused: the pattern accepts names that do not exist, and a typo
 * would otherwise deploy collectors that read nothing there. A region launched after this SDK version is
 * accepted once the SDK is updated.
 */
export function isKnownRegion(code: string): boolean {
  return REGION_CODE.test(code) && (partition(code) as { description?: string }).description !== undefined;
}
const REGION_FORM = 'an AWS region code such as "eu-west-1"';
const region = z.string(expected(REGION_FORM)).superRefine((code, ctx) => {
  if (!REGION_CODE.test(code)) ctx.addIssue({ code: 'custom', message: REGION_FORM });
  else if (!isKnownRegion(code))
    ctx.addIssue({
      code: 'custom',
      message:
        'a region the AWS SDK knows, such as "eu-west-1" (no such region; a region newer than the SDK needs an SDK update)',
    });
});
const SCHEDULE_FORM = 'an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)"';
const HOURLY_AT_MOST_FORM =
  'a schedule that runs at most once an hour, such as "cron(0 6 * * ? *)" or "rate(1 hour)" (each run writes evidence nobody can delete until its retention ends)';
/** Below this, COMPLIANCE retention must be acknowledged: an audit period is usually twelve months. */
export const SHORT_COMPLIANCE_RETENTION_DAYS = 365;

const scheduleSchema = z.strictObject(
  {
    cron: z
      .string(expected(SCHEDULE_FORM))
      .superRefine((value, ctx) => {
        const problem = scheduleExpressionProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: `${SCHEDULE_FORM} (${problem})` });
        else {
          const tooOften = scheduleFrequencyProblem(value);
          if (tooOften) ctx.addIssue({ code: 'custom', message: `${HOURLY_AT_MOST_FORM}; ${tooOften}` });
        }
      })
      .optional(),
    timeZone: timeZone.optional(),
    enabled: z.boolean(expected('true or false')).optional(),
  },
  expected('an object such as { "cron": "cron(0 6 * * ? *)", "timeZone": "UTC" }'),
);

const AUDITOR_PRINCIPAL_FORM = 'IAM principal ARN such as "arn:aws:iam::123456789012:role/Auditor"';
const AUDITOR_LIST_FORM =
  'a list of one or more IAM principal ARNs such as ["arn:aws:iam::123456789012:role/Auditor"]';
const TAG_KEY_FORM = 'a tag key of 1 to 128 characters, such as "Environment"';
const TAG_VALUE_FORM = 'a tag value of 0 to 256 characters, such as "production"';
const resourceTag = (example: string) =>
  z
    .strictObject(
      {
        key: z.string(expected(TAG_KEY_FORM)).min(1, expected(TAG_KEY_FORM)).max(128, expected(TAG_KEY_FORM)),
        value: z.string(expected(TAG_VALUE_FORM)).max(256, expected(TAG_VALUE_FORM)).optional(),
      },
      expected(`an object such as ${example}`),
    )
    .optional();
const APPROVED_ADMIN_FORM = 'an IAM user, role or group ARN such as "arn:aws:iam::123456789012:role/Admin"';
const EXTERNAL_ID_FORM = 'an external id of 2 to 1224 characters from A-Z a-z 0-9 and +=,.@:/-_';
const ORG_ID_FORM = 'an organization id such as "o-a1b2c3d4e5"';
const OU_FORM = 'a root or organizational unit id such as "r-a1b2" or "ou-a1b2-c3d4e5f6"';
const OU_LIST_FORM = `a list of 1 to 100 root or organizational unit ids such as ["ou-a1b2-c3d4e5f6"]`;
const ACCOUNT_FORM = 'a 12-digit AWS account id such as "123456789012"';
const ROLE_NAME_FORM = 'an IAM role name of 1 to 64 characters from A-Z a-z 0-9 and +=,.@_-';
const organizationSchema = z
  .strictObject(
    {
      id: z.string(expected(ORG_ID_FORM)).regex(/^o-[a-z0-9]{10,32}$/, expected(ORG_ID_FORM)),
      organizationalUnits: z
        .array(
          z
            .string(expected(OU_FORM))
            .regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, expected(OU_FORM)),
          expected(OU_LIST_FORM),
        )
        .min(1, expected(OU_LIST_FORM))
        .max(100, expected(OU_LIST_FORM))
        .refine((a) => new Set(a).size === a.length, expected('a list without duplicates')),
      excludeAccounts: z
        .array(
          z.string(expected(ACCOUNT_FORM)).regex(/^\d{12}$/, expected(ACCOUNT_FORM)),
          expected(`a list of ${ACCOUNT_FORM.replace(/^a /, '')}s`),
        )
        .max(200, expected('a list of at most 200 account ids (exclude an OU by leaving it out instead)'))
        .refine((a) => new Set(a).size === a.length, expected('a list without duplicates'))
        .default([]),
      memberRoleName: z
        .string(expected(ROLE_NAME_FORM))
        .regex(/^[\w+=,.@-]{1,64}$/, expected(ROLE_NAME_FORM))
        .default(DEFAULT_MEMBER_ROLE_NAME),
      // The daily collectors' machines start at the same hour (the weekly ones with them on Mondays): 15 × this
      // must stay under the account's Lambda concurrency (1,000 by default) or be staggered (docs/OPERATIONS.md).
      maxConcurrency: intRange(1, 100).default(DEFAULT_MAX_CONCURRENCY),
      stackSetCallAs: z
        .enum(
          ['DELEGATED_ADMIN', 'SELF'],
          expected(
            '"DELEGATED_ADMIN" (the hub is a StackSets delegated administrator) or "SELF" (the hub is the management account)',
          ),
        )
        .default('DELEGATED_ADMIN'),
      identityCenterRegion: region.optional(),
    },
    expected('an object such as { "id": "o-a1b2c3d4e5", "organizationalUnits": ["ou-a1b2-c3d4e5f6"] }'),
  )
  .optional();

const schema = z.strictObject(
  {
    securityEmail: email(),
    senderEmail: email(),
    alarmEmail: email(),
    timeZone: timeZone.default('UTC'),
    controlOwner: z
      .string(expected('a team or person, such as "Engineering"'))
      .trim()
      .min(1, expected('a team or person, such as "Engineering"'))
      .max(200, expected('at most 200 characters'))
      .default('Engineering'),
    regions: z
      .array(region, expected(REGION_LIST_FORM))
      .min(1, expected(REGION_LIST_FORM))
      .refine((r) => new Set(r).size === r.length, expected('a list without duplicates'))
      .default(['us-east-1']),
    retention: z
      .strictObject(
        {
          mode: z
            .enum(['COMPLIANCE', 'GOVERNANCE'], expected('"COMPLIANCE" or "GOVERNANCE"'))
            .default('COMPLIANCE'),
          days: intRange(1, 36500).default(400),
          acknowledgeGovernanceBypass: z.boolean(expected('true or false')).default(false),
          acknowledgeShortRetention: z.boolean(expected('true or false')).default(false),
        },
        expected('an object such as { "mode": "COMPLIANCE", "days": 400 }'),
      )
      .default({
        mode: 'COMPLIANCE',
        days: 400,
        acknowledgeGovernanceBypass: false,
        acknowledgeShortRetention: false,
      }),
    inactiveAfterDays: intRange(1, 3650).default(90),
    auditor: z
      .strictObject(
        {
          principalArns: z
            .array(
              z
                .string(expected(`an ${AUDITOR_PRINCIPAL_FORM}`))
                .regex(
                  /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/,
                  expected(`an ${AUDITOR_PRINCIPAL_FORM}`),
                ),
              expected(AUDITOR_LIST_FORM),
            )
            .min(1, expected(AUDITOR_LIST_FORM)),
          externalId: z
            .string(expected(EXTERNAL_ID_FORM))
            .regex(/^[\w+=,.@:/-]{2,1224}$/, expected(EXTERNAL_ID_FORM)),
        },
        expected(
          'an object such as { "principalArns": ["arn:aws:iam::123456789012:role/Auditor"], "externalId": "audit-2026" }',
        ),
      )
      .optional(),
    breakGlassRoleArn: z
      .string(expected('an IAM role ARN such as "arn:aws:iam::123456789012:role/EvidenceBreakGlass"'))
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
        expected('an IAM role ARN such as "arn:aws:iam::123456789012:role/EvidenceBreakGlass"'),
      )
      .optional(),
    adminPorts: portList().default([22, 3389, 3306, 5432, 1433, 27017, 6379, 9200]),
    publicWebPorts: portList().default([80, 443]),
    failedSigninThreshold: intRange(1, 10000).default(5),
    backupMaxAgeHours: intRange(1, 8760).default(26),
    // ListBackupJobs returns the last 30 days only: a longer window would silently hold fewer days.
    backupJobWindowDays: intRange(1, 30).default(7),
    requireKmsForBuckets: z.boolean(expected('true or false')).default(false),
    minimumTlsVersion: z
      .enum(TLS_VERSIONS, expected('one of "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"'))
      .default('TLSv1.2'),
    concurrency: intRange(1, 64).default(8),
    remediationSlaDays: z
      .strictObject(
        {
          critical: intRange(1, 3650).optional(),
          high: intRange(1, 3650).optional(),
          medium: intRange(1, 3650).optional(),
          low: intRange(1, 3650).optional(),
        },
        expected('an object of days by severity such as { "critical": 7, "high": 30, "medium": 90 }'),
      )
      .default(DEFAULT_REMEDIATION_SLA_DAYS),
    threatResponseHours: z
      .strictObject(
        { critical: intRange(1, 8760).default(24), high: intRange(1, 8760).default(72) },
        expected('an object of hours by severity such as { "critical": 24, "high": 72 }'),
      )
      .default(DEFAULT_SETTINGS.threatResponseHours),
    requireSecurityHub: z.boolean(expected('true or false')).default(false),
    logRetentionDays: intRange(1, 3653).default(DEFAULT_SETTINGS.logRetentionDays),
    passwordPolicy: z
      .strictObject(
        {
          // IAM accepts 6 to 128.
          minimumLength: intRange(6, 128).default(DEFAULT_SETTINGS.passwordPolicy.minimumLength),
          requireSymbols: z.boolean(expected('true or false')).default(true),
          requireNumbers: z.boolean(expected('true or false')).default(true),
          requireUppercase: z.boolean(expected('true or false')).default(true),
          requireLowercase: z.boolean(expected('true or false')).default(true),
          // IAM remembers 1 to 24 previous passwords; 0 requires nothing.
          reusePrevention: intRange(0, 24).default(DEFAULT_SETTINGS.passwordPolicy.reusePrevention),
          // IAM's MaxPasswordAge is 1 to 1095 days.
          maxAgeDays: intRange(1, 1095).optional(),
        },
        expected('an object such as { "minimumLength": 14, "reusePrevention": 24 }'),
      )
      .default(DEFAULT_SETTINGS.passwordPolicy),
    maxAccessKeyAgeDays: intRange(1, 3650).default(DEFAULT_SETTINGS.maxAccessKeyAgeDays),
    productionTag: resourceTag('{ "key": "Environment", "value": "production" }'),
    versioningExemptTag: resourceTag('{ "key": "Purpose", "value": "logs" }'),
    restoreTestMaxAgeDays: intRange(1, 3650).default(DEFAULT_SETTINGS.restoreTestMaxAgeDays),
    approvedAdministrators: z
      .array(
        z
          .string(expected(APPROVED_ADMIN_FORM))
          .regex(
            /^arn:aws[a-z-]*:iam::\d{12}:(role|user|group)\/[\w+=,.@/-]+$/,
            expected(APPROVED_ADMIN_FORM),
          ),
        expected(`a list of ${APPROVED_ADMIN_FORM.replace(/^an /, '')}s`),
      )
      .max(100, expected('a list of at most 100 ARNs (use a group or a role for more people)'))
      .refine((a) => new Set(a).size === a.length, expected('a list without duplicates'))
      .default([]),
    organization: organizationSchema,
    schedules: z
      .strictObject(
        Object.fromEntries(COLLECTORS.map((c) => [c.id, scheduleSchema.optional()])),
        expected('an object keyed by collector id'),
      )
      .default({}),
  },
  expected('an object'),
);

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest known key, if it is close enough to be a typo. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    root,
  );
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let s: z.ZodType = schema;
  for (const k of path) {
    while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    if (!(s instanceof z.ZodObject)) return [];
    s = (s.shape as Record<string, z.ZodType>)[String(k)] ?? z.never();
  }
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function formatIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const path = issue.path.reduce<string>(
    (p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`),
    CONTEXT_KEY,
  );
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((key) => {
      const hint = didYouMean(key, known);
      return `${path} has an unknown key ${JSON.stringify(key)}${hint ? ` (did you mean "${hint}"?)` : ''}; known keys: ${known.join(', ')}`;
    });
  }
  const value = valueAt(input, issue.path);
  if (value === undefined) return [`${path} is required: ${issue.message}`];
  return [`${path} must be ${issue.message}, got ${show(value)}`];
}

export interface ParseOptions {
  /** The deployed stack needs every email; local CLI runs do not. */
  readonly requireEmails?: boolean;
}

/** Validates the raw `soc2Evidence` context value and fills in every default. Throws ConfigError listing every problem. */
export function parseConfig(raw: unknown, options: ParseOptions = {}): Soc2EvidenceConfig {
  const input = raw ?? {};
  const result = schema.safeParse(input);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...formatIssue(issue, input));
    throw new ConfigError(problems);
  }
  const c = result.data;
  // GOVERNANCE looks like COMPLIANCE in the console, but anyone granted s3:BypassGovernanceRetention (the
  // bucket policy only denies it to principals other than the break-glass role) can shorten it: opt in.
  if (c.retention.mode === 'GOVERNANCE' && !c.retention.acknowledgeGovernanceBypass) {
    problems.push(
      `${CONTEXT_KEY}.retention.acknowledgeGovernanceBypass must be true when retention.mode is "GOVERNANCE" (principals with s3:BypassGovernanceRetention can delete evidence early)`,
    );
  }
  // Each object keeps the retention it was written with (a longer default later covers only new objects, and
  // extending old ones is a call per object version): COMPLIANCE shorter than the audit period (usually twelve
  // months, plus fieldwork) lets its first months expire while the auditor still needs them. Opt in.
  if (
    c.retention.mode === 'COMPLIANCE' &&
    c.retention.days < SHORT_COMPLIANCE_RETENTION_DAYS &&
    !c.retention.acknowledgeShortRetention
  ) {
    problems.push(
      `${CONTEXT_KEY}.retention.acknowledgeShortRetention must be true when retention.mode is "COMPLIANCE" and retention.days is under ${SHORT_COMPLIANCE_RETENTION_DAYS} (got ${c.retention.days}: evidence would expire before a twelve-month audit period ends)`,
    );
  }
  if (options.requireEmails) {
    for (const key of ['securityEmail', 'senderEmail', 'alarmEmail'] as const) {
      if (!c[key])
        problems.push(`${CONTEXT_KEY}.${key} is required: an email address such as security@example.com`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const settingsBytes = Buffer.byteLength(JSON.stringify(collectorSettings(c)));
  if (settingsBytes > MAX_SETTINGS_BYTES) {
    // Name what makes them too large: the list of administrators, unless the settings are too large without it.
    const without = Buffer.byteLength(
      JSON.stringify(collectorSettings({ ...c, approvedAdministrators: [] })),
    );
    const culprit =
      without <= MAX_SETTINGS_BYTES
        ? `${CONTEXT_KEY}.approvedAdministrators makes the settings`
        : `${CONTEXT_KEY}'s collector settings (the longest lists: adminPorts, publicWebPorts, regions, approvedAdministrators) make the settings`;
    const advice =
      without <= MAX_SETTINGS_BYTES
        ? 'approve a group or a role instead of each person'
        : 'shorten those lists';
    throw new ConfigError([
      `${culprit} every collector function receives ${settingsBytes} bytes, more than the ${MAX_SETTINGS_BYTES} a Lambda environment can hold beside its other variables (4 KB in all): ${advice}`,
    ]);
  }
  const organization = c.organization ? organizationConfig(c.organization) : undefined;
  if (organization) {
    const orgBytes = Buffer.byteLength(JSON.stringify(organizationSettings(organization)));
    if (orgBytes > MAX_SETTINGS_BYTES)
      throw new ConfigError([
        `${CONTEXT_KEY}.organization makes the organization settings ${orgBytes} bytes, more than the ${MAX_SETTINGS_BYTES} a Lambda environment can hold beside its other variables (4 KB in all): list parent OUs instead of each child, and fewer excludeAccounts`,
      ]);
    // The access review's function receives both, beside its other variables.
    if (settingsBytes + orgBytes > MAX_SETTINGS_BYTES)
      throw new ConfigError([
        `${CONTEXT_KEY}.organization and the collector settings make ${settingsBytes + orgBytes} bytes in the access review's environment, which receives both, more than the ${MAX_SETTINGS_BYTES} a Lambda environment can hold beside its other variables (4 KB in all): list parent OUs instead of each child, fewer excludeAccounts, or approve a group or a role instead of each administrator`,
      ]);
  }
  const schedules = Object.fromEntries(
    COLLECTORS.map((collector) => {
      const s =
        (c.schedules as Record<string, z.infer<typeof scheduleSchema> | undefined>)[collector.id] ?? {};
      return [
        collector.id,
        {
          cron: s.cron ?? DEFAULT_CRON[collector.frequency],
          timeZone: s.timeZone ?? c.timeZone,
          enabled: s.enabled ?? true,
        },
      ];
    }),
  );
  return {
    ...(c.securityEmail ? { securityEmail: c.securityEmail } : {}),
    ...(c.senderEmail ? { senderEmail: c.senderEmail } : {}),
    ...(c.alarmEmail ? { alarmEmail: c.alarmEmail } : {}),
    timeZone: c.timeZone,
    controlOwner: c.controlOwner,
    regions: c.regions,
    retention: c.retention,
    ...(c.breakGlassRoleArn ? { breakGlassRoleArn: c.breakGlassRoleArn } : {}),
    inactiveAfterDays: c.inactiveAfterDays,
    ...(c.auditor ? { auditor: c.auditor } : {}),
    adminPorts: c.adminPorts,
    publicWebPorts: c.publicWebPorts,
    failedSigninThreshold: c.failedSigninThreshold,
    backupMaxAgeHours: c.backupMaxAgeHours,
    backupJobWindowDays: c.backupJobWindowDays,
    requireKmsForBuckets: c.requireKmsForBuckets,
    minimumTlsVersion: c.minimumTlsVersion,
    concurrency: c.concurrency,
    remediationSlaDays: c.remediationSlaDays,
    threatResponseHours: c.threatResponseHours,
    requireSecurityHub: c.requireSecurityHub,
    logRetentionDays: c.logRetentionDays,
    passwordPolicy: c.passwordPolicy,
    maxAccessKeyAgeDays: c.maxAccessKeyAgeDays,
    ...(c.productionTag ? { productionTag: c.productionTag } : {}),
    ...(c.versioningExemptTag ? { versioningExemptTag: c.versioningExemptTag } : {}),
    restoreTestMaxAgeDays: c.restoreTestMaxAgeDays,
    approvedAdministrators: c.approvedAdministrators,
    ...(organization ? { organization } : {}),
    schedules,
  };
}

function organizationConfig(o: NonNullable<z.infer<typeof organizationSchema>>): OrganizationConfig {
  return {
    id: o.id,
    organizationalUnits: o.organizationalUnits,
    excludeAccounts: o.excludeAccounts,
    memberRoleName: o.memberRoleName,
    maxConcurrency: o.maxConcurrency,
    stackSetCallAs: o.stackSetCallAs,
    ...(o.identityCenterRegion ? { identityCenterRegion: o.identityCenterRegion } : {}),
  };
}

/** What the hub's functions receive of `organization` (ORGANIZATION_ENV). */
export function organizationSettings(o: OrganizationConfig): OrganizationSettings {
  return {
    id: o.id,
    organizationalUnits: o.organizationalUnits,
    excludeAccounts: o.excludeAccounts,
    memberRoleName: o.memberRoleName,
    ...(o.identityCenterRegion ? { identityCenterRegion: o.identityCenterRegion } : {}),
  };
}

/** What each address is for, as a deploy refusal names it. */
const ADDRESS_PURPOSE = {
  securityEmail: 'receives the quarterly access review',
  senderEmail: 'sends the access review; SES emails it a verification link',
  alarmEmail: 'receives the alarms; SNS emails it a subscription confirmation',
} as const;

/**
 * Addresses at a domain reserved for examples (RFC 2606 and RFC 6761: example.com, example.net,
 * example.org and their subdomains, and the .example, .test, .invalid and .localhost top-level domains).
 * Nobody can read mail sent there: the shipped cdk.json holds such placeholders, and a stack deployed with
 * them would send its alarms and access reviews nowhere.
 */
export function placeholderAddresses(
  config: Pick<Soc2EvidenceConfig, keyof typeof ADDRESS_PURPOSE>,
): { readonly key: keyof typeof ADDRESS_PURPOSE; readonly address: string }[] {
  const reserved = /@(.+\.)?(example\.(com|net|org)|[^@]+\.(example|test|invalid|localhost))$/i;
  return (Object.keys(ADDRESS_PURPOSE) as (keyof typeof ADDRESS_PURPOSE)[]).flatMap((key) => {
    const address = config[key];
    return address && reserved.test(address) ? [{ key, address }] : [];
  });
}

/** One message naming each placeholder key, what it is for, and what to set. */
export function placeholderRefusal(found: ReturnType<typeof placeholderAddresses>): string {
  const keys = found.map((f) => `${CONTEXT_KEY}.${f.key} is "${f.address}" (${ADDRESS_PURPOSE[f.key]})`);
  return `${keys.join('; ')}: these are placeholders at a reserved example domain; set them in cdk.json to real addresses you can read, then deploy again`;
}

/**
 * The collector settings travel in one environment variable (COLLECTOR_SETTINGS), and Lambda allows 4 KB for
 * all of a function's variables: the rest (bucket, key ids, stack names) takes well under 1 KB.
 */
export const MAX_SETTINGS_BYTES = 3072;

/** The part of the configuration a collector run needs, as passed to each function. */
export function collectorSettings(config: CollectorSettings): CollectorSettings {
  return {
    regions: config.regions,
    inactiveAfterDays: config.inactiveAfterDays,
    adminPorts: config.adminPorts,
    publicWebPorts: config.publicWebPorts,
    failedSigninThreshold: config.failedSigninThreshold,
    backupMaxAgeHours: config.backupMaxAgeHours,
    backupJobWindowDays: config.backupJobWindowDays,
    requireKmsForBuckets: config.requireKmsForBuckets,
    minimumTlsVersion: config.minimumTlsVersion,
    concurrency: config.concurrency,
    threatResponseHours: config.threatResponseHours,
    requireSecurityHub: config.requireSecurityHub,
    logRetentionDays: config.logRetentionDays,
    remediationSlaDays: config.remediationSlaDays,
    passwordPolicy: config.passwordPolicy,
    maxAccessKeyAgeDays: config.maxAccessKeyAgeDays,
    ...(config.productionTag ? { productionTag: config.productionTag } : {}),
    ...(config.versioningExemptTag ? { versioningExemptTag: config.versioningExemptTag } : {}),
    restoreTestMaxAgeDays: config.restoreTestMaxAgeDays,
    approvedAdministrators: config.approvedAdministrators,
  };
}
