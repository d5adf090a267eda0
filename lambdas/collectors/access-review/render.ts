import type { AccessKeyEntry, Population, RoleEntry, UserEntry } from './population';

/** Rows of the "everyone" table in the HTML body; the CSV attachment always carries the whole population. */
export const HTML_ROW_CAP = 500;

/** Where the review's evidence is: what `review record` needs to find the population and store the decisions. */
export type EvidenceLocation = { readonly bucket: string } | { readonly dir: string };

export interface ReviewMeta {
  readonly quarter: string;
  readonly account: string;
  readonly location: EvidenceLocation;
  /**
   * What the record command's `--review` names: the quarter for a review that is sent; the population
   * envelope's key for a dry run, which `review record` never finds by its quarter. @default quarter
   */
  readonly review?: string;
}

/** The name of the CSV attached to the email: the decisions template the reviewer fills in. */
export const csvFilename = (quarter: string) => `access-review-${quarter}.csv`;

/** Quotes a word for a POSIX shell when it needs it (paths with spaces, say). */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that records the decisions, as it works when pasted (from the folder holding the CSV); the
 * organization review's CSV has its own name. */
export function recordCommand(meta: ReviewMeta, decisionsFile = csvFilename(meta.quarter)): string {
  const where = 'bucket' in meta.location ? ['--bucket', meta.location.bucket] : ['--dir', meta.location.dir];
  return [
    'soc2-evidence',
    'review',
    'record',
    '--review',
    meta.review ?? meta.quarter,
    ...where,
    '--decisions',
    decisionsFile,
  ]
    .map(shellQuote)
    .join(' ');
}

/** Dates as dates: `2026-10-01` from an ISO time. */
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

/** The calendar quarter a moment falls in, as seen in `timeZone` (the schedule's), e.g. `2026-Q4`. */
/** Plain, readable styling that mail clients honour; nothing remote, no scripts. */
const EMAIL_STYLE =
  '<style>body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:14px;color:#1f2328;' +
  'max-width:1100px}h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d0d7de;' +
  'padding-bottom:4px}table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;' +
  'padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}code{font-size:13px}</style>';

export function quarterOf(at: Date, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
  }).formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value ?? String(at.getUTCFullYear());
  const month = Number(parts.find((p) => p.type === 'month')?.value ?? at.getUTCMonth() + 1);
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

export function reviewSubject(meta: ReviewMeta): string {
  return `SOC 2 access review ${meta.quarter} — AWS account ${meta.account}`;
}

export interface ReviewCounts {
  readonly users: number;
  readonly admins: number;
  /** Not admin, but able to escalate to it or to nearly everything else. */
  readonly nearAdmins: number;
  readonly withoutMfa: number;
  readonly inactive: number;
  readonly roles: number;
  readonly adminRoles: number;
  readonly nearAdminRoles: number;
}

/** "Without MFA" counts console users only: MFA guards the console sign-in, keys cannot use it. */
const withoutMfa = (u: UserEntry) => u.consoleAccess === true && u.mfa === false;

export function reviewCounts(p: Population): ReviewCounts {
  return {
    users: p.users.length,
    admins: p.users.filter((u) => u.admin).length,
    nearAdmins: p.users.filter((u) => u.nearAdmin).length,
    withoutMfa: p.users.filter(withoutMfa).length,
    inactive: p.users.filter((u) => u.inactive).length,
    roles: p.roles.length,
    adminRoles: p.roles.filter((r) => r.admin).length,
    nearAdminRoles: p.roles.filter((r) => r.nearAdmin).length,
  };
}

// ---- CSV ----------------------------------------------------------------------------------------------

/**
 * The attached CSV is the decisions template: one row per user and per role people can assume, matched back
 * to the frozen population by `arn`; the reviewer fills in `decision` and `justification`.
 */
export const CSV_HEADER = [
  'type',
  'name',
  'arn',
  'admin',
  'console_access',
  'mfa',
  'last_activity',
  'inactive',
  'groups',
  'policies',
  'trusted_by',
  'created',
  // Appended, so the columns before keep their positions for anyone reading the CSV by index. Their values
  // are for a person: `created` and `last_activity` are dates (YYYY-MM-DD) or words such as `never`, and
  // roles fill them too; population.json keeps the exact ISO times.
  'near_admin',
  'admin_reason',
  'access_keys',
  'decision',
  'justification',
];

/** Quotes every cell and defuses spreadsheet formulas: a cell starting with = + - @ tab or CR gets a leading
 * apostrophe (OWASP CSV injection guidance), since names, tags and policy names are user-controlled. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A CSV cell for a flag that may be unknown. */
export const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

/** `key 1: 120 days old, last used 2026-09-30 (s3)`, one per key. */
function keyLines(keys: readonly AccessKeyEntry[]): string[] {
  return keys.map((k) => {
    const age = k.ageDays === null ? 'age unknown' : `${k.ageDays} day${k.ageDays === 1 ? '' : 's'} old`;
    const used = k.lastUsedAt
      ? `last used ${day(k.lastUsedAt)}${k.lastUsedService ? ` (${k.lastUsedService})` : ''}`
      : 'never used';
    return `key ${k.slot}${k.active ? '' : ' (inactive)'}: ${age}, ${used}`;
  });
}

/** A user's last activity; a user created within the inactivity window who has not signed in yet is new. */
function userActivityText(u: UserEntry, p: Population): string {
  if (u.lastActivity) return day(u.lastActivity)!;
  if (u.consoleAccess === false && u.accessKeys.every((k) => !k.active)) return 'no credentials';
  const created = u.createdAt ? Date.parse(u.createdAt) : NaN;
  const recent = Date.parse(p.frozenAt) - created < p.inactiveAfterDays * 86_400_000;
  return recent ? 'none yet (new user)' : 'never';
}

/** RoleLastUsed covers the trailing 400 days only. */
const roleLastUsed = (r: RoleEntry) =>
  r.lastUsedAt
    ? `${day(r.lastUsedAt)}${r.lastUsedRegion ? ` (${r.lastUsedRegion})` : ''}`
    : 'not in 400 days';

/** `2026-10-01 07:00 UTC` from an ISO time. */
const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const policyList = (e: UserEntry | RoleEntry) =>
  e.policies
    .map((p) => `${p.name} (${p.type}${p.via === 'user' || p.via === 'role' ? '' : `, ${p.via}`})`)
    .join('; ');

export function renderCsv(p: Population): string {
  // Each row becomes its line at once: the cells of every principal are never held together.
  const line = (cells: readonly string[]) => cells.map(csvCell).join(',');
  const lines: string[] = [line(CSV_HEADER)];
  for (const u of p.users) {
    lines.push(
      line([
        'user',
        u.name,
        u.arn,
        yesNo(u.admin),
        yesNo(u.consoleAccess),
        yesNo(u.mfa),
        userActivityText(u, p),
        yesNo(u.inactive),
        u.groups.join('; '),
        policyList(u),
        '',
        day(u.createdAt) ?? '',
        yesNo(u.nearAdmin),
        u.adminReasons.join('; '),
        keyLines(u.accessKeys).join('; '),
        '',
        '',
      ]),
    );
  }
  for (const r of p.roles) {
    lines.push(
      line([
        'role',
        r.name,
        r.arn,
        yesNo(r.admin),
        '',
        '',
        roleLastUsed(r),
        '',
        '',
        policyList(r),
        r.trustedBy.join('; '),
        day(r.createdAt) ?? '',
        yesNo(r.nearAdmin),
        r.adminReasons.join('; '),
        '',
        '',
        '',
      ]),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

// ---- HTML ---------------------------------------------------------------------------------------------

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const USER_COLUMNS = [
  'User',
  'Admin',
  'Console',
  'MFA',
  'Created',
  'Last activity',
  'Access keys',
  'Inactive',
  'Groups',
  'Policies',
];
const ADMIN_COLUMNS = [...USER_COLUMNS.slice(0, 2), 'Why', ...USER_COLUMNS.slice(2)];

/** `yes`, `near` (privilege escalation or nearly everything) or `no`. */
const adminLevel = (e: UserEntry | RoleEntry) => (e.admin ? 'yes' : e.nearAdmin ? 'near' : 'no');

/** A cell kept on one line (dates): a date broken at its hyphens reads badly. */
interface NoWrap {
  readonly nowrap: string;
}
const nowrap = (text: string): NoWrap => ({ nowrap: text });

/** A row of escaped cells; a cell given as lines is shown one line under the other. */
const row = (cells: readonly (string | readonly string[] | NoWrap)[]) =>
  `<tr>${cells
    .map((c) =>
      typeof c === 'string'
        ? `<td>${escapeHtml(c)}</td>`
        : 'nowrap' in c
          ? `<td style="white-space:nowrap">${escapeHtml(c.nowrap)}</td>`
          : `<td>${c.map(escapeHtml).join('<br>')}</td>`,
    )
    .join('')}</tr>`;

function userRow(u: UserEntry, p: Population, why = false): string {
  const keys = keyLines(u.accessKeys);
  return row([
    u.name,
    adminLevel(u),
    ...(why ? [u.adminReasons.join('; ')] : []),
    yesNo(u.consoleAccess),
    yesNo(u.mfa),
    nowrap(day(u.createdAt) ?? 'unknown'),
    nowrap(userActivityText(u, p)),
    keys.length > 0 ? keys : 'none',
    yesNo(u.inactive),
    u.groups.join(', '),
    u.policies.map((x) => x.name).join(', '),
  ]);
}

function table(title: string, columns: readonly string[], rows: readonly string[], note = ''): string {
  const head = `<tr>${columns.map((c) => `<th align="left">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.length > 0 ? rows.join('\n') : `<tr><td colspan="${columns.length}">None.</td></tr>`;
  return `<h2>${escapeHtml(title)} (${rows.length})</h2>\n${note}<table border="1" cellpadding="4" cellspacing="0">\n${head}\n${body}\n</table>`;
}

export function renderHtml(p: Population, meta: ReviewMeta): string {
  const c = reviewCounts(p);
  const everyone = p.users.slice(0, HTML_ROW_CAP).map((u) => userRow(u, p));
  const capNote =
    p.users.length > HTML_ROW_CAP
      ? `<p><strong>Showing the first ${HTML_ROW_CAP} of ${p.users.length} users; the attached CSV carries all of them.</strong></p>\n`
      : '';
  const roleRows = p.roles.map((r) =>
    row([
      r.name,
      adminLevel(r),
      r.adminReasons.join('; '),
      r.trustedBy.join(', '),
      nowrap(day(r.createdAt) ?? 'unknown'),
      nowrap(roleLastUsed(r)),
      r.policies.map((x) => x.name).join(', '),
    ]),
  );
  const steps = recordSteps(meta);
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(reviewSubject(meta))}</title>${EMAIL_STYLE}</head><body>`,
    `<h1>${escapeHtml(reviewSubject(meta))}</h1>`,
    `<p>Population frozen at ${escapeHtml(minute(p.frozenAt))}. Inactive means no credential used (or, if never used, issued) in the last ${p.inactiveAfterDays} days.</p>`,
    '<ul>',
    `<li>IAM users: ${c.users}</li>`,
    `<li>Administrators: ${c.admins}, and ${c.nearAdmins} near-administrators (can escalate to admin, or reach nearly everything)</li>`,
    `<li>Console users without MFA: ${c.withoutMfa}</li>`,
    `<li>Inactive users: ${c.inactive}</li>`,
    `<li>Roles people can assume: ${c.roles} (${c.adminRoles} with administrator access, ${c.nearAdminRoles} near-administrator)</li>`,
    '</ul>',
    '<h2>How to record the review</h2>',
    `<ol>${steps.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ol>`,
    `<pre style="background:#f6f8fa;border:1px solid #d0d7de;padding:8px;white-space:pre-wrap;word-break:break-all">${escapeHtml(recordCommand(meta))}</pre>`,
    `<p>${escapeHtml(recordNote(meta))}</p>`,
    table(
      'Administrators and near-administrators',
      ADMIN_COLUMNS,
      p.users.filter((u) => u.admin || u.nearAdmin).map((u) => userRow(u, p, true)),
    ),
    table(
      'Console users without MFA',
      USER_COLUMNS,
      p.users.filter(withoutMfa).map((u) => userRow(u, p)),
    ),
    table(
      'Inactive users',
      USER_COLUMNS,
      p.users.filter((u) => u.inactive).map((u) => userRow(u, p)),
    ),
    table(
      'Roles people can assume',
      ['Role', 'Admin', 'Why', 'Trusted by', 'Created', 'Last used', 'Policies'],
      roleRows,
    ),
    table('Everyone', USER_COLUMNS, everyone, capNote),
    '</body></html>',
  ].join('\n');
}

// ---- how to record --------------------------------------------------------------------------------------

function recordSteps(meta: ReviewMeta): string[] {
  return [
    `Open the attached ${csvFilename(meta.quarter)} in a spreadsheet: it has a row for every user and every role people can assume, with each one's access keys, creation date and last activity.`,
    'Fill in the decision column (keep, remove or modify) on every user row, and on the role rows you decide (a role row left empty stays undecided). Add a justification where it helps an auditor; your own row needs one (a self-review). Leave the arn column as it is; other columns may be added, sorted or left alone.',
    'Save it as CSV under the same name and run this command from the folder it is in:',
  ];
}

function recordNote(meta: ReviewMeta): string {
  const dryRun =
    meta.review !== undefined && meta.review !== meta.quarter
      ? ' This message is a dry run and was not sent, so the command names its population by evidence key; the review that is sent names its quarter.'
      : '';
  return RECORD_NOTE + dryRun;
}

const RECORD_NOTE =
  'It checks every decision against the population frozen for this review, lists any problem and writes nothing until all are fixed, then stores them as an attestation beside the review evidence. It records you as the reviewer: your AWS user or session name (with --dir, your login name); add --reviewer NAME to record someone else.';

// ---- text ---------------------------------------------------------------------------------------------

export function renderText(p: Population, meta: ReviewMeta): string {
  const c = reviewCounts(p);
  const names = (users: readonly UserEntry[]) =>
    users.length === 0
      ? ['  none']
      : users.map(
          (u) =>
            `  - ${u.name} (created ${day(u.createdAt) ?? 'unknown'}, last activity ${userActivityText(u, p)})`,
        );
  return [
    reviewSubject(meta),
    '',
    `Population frozen at ${minute(p.frozenAt)}.`,
    `IAM users: ${c.users}`,
    `Administrators: ${c.admins}`,
    `Near-administrators: ${c.nearAdmins}`,
    `Console users without MFA: ${c.withoutMfa}`,
    `Inactive users (${p.inactiveAfterDays} days): ${c.inactive}`,
    `Roles people can assume: ${c.roles} (${c.adminRoles} with administrator access, ${c.nearAdminRoles} near-administrator)`,
    '',
    'Administrators:',
    ...names(p.users.filter((u) => u.admin)),
    '',
    'Near-administrators (can escalate to admin, or reach nearly everything):',
    ...(p.users.some((u) => u.nearAdmin)
      ? p.users.filter((u) => u.nearAdmin).map((u) => `  - ${u.name}: ${u.adminReasons.join('; ')}`)
      : ['  none']),
    '',
    'Console users without MFA:',
    ...names(p.users.filter(withoutMfa)),
    '',
    'Inactive users:',
    ...names(p.users.filter((u) => u.inactive)),
    '',
    'Roles people can assume:',
    ...(p.roles.length === 0
      ? ['  none']
      : p.roles.map((r) => `  - ${r.name} (admin: ${adminLevel(r)}, last used ${roleLastUsed(r)})`)),
    '',
    'How to record the review:',
    ...recordSteps(meta).map((x, i) => `${i + 1}. ${x}`),
    '',
    recordCommand(meta),
    '',
    recordNote(meta),
    '',
  ].join('\n');
}
