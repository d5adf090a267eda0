import type { Population, RoleEntry, UserEntry } from './population';

/** Rows of the "everyone" table in the HTML body; the CSV attachment always carries the whole population. */
export const HTML_ROW_CAP = 500;

export interface ReviewMeta {
  readonly quarter: string;
  readonly account: string;
}

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

const CSV_HEADER = [
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
  // Appended, so the columns before keep their positions for anyone reading the CSV by index.
  'near_admin',
  'admin_reason',
];

/** Quotes every cell and defuses spreadsheet formulas: a cell starting with = + - @ tab or CR gets a leading
 * apostrophe (OWASP CSV injection guidance), since names, tags and policy names are user-controlled. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
const policyList = (e: UserEntry | RoleEntry) =>
  e.policies
    .map((p) => `${p.name} (${p.type}${p.via === 'user' || p.via === 'role' ? '' : `, ${p.via}`})`)
    .join('; ');

export function renderCsv(p: Population): string {
  const rows: string[][] = [CSV_HEADER];
  for (const u of p.users) {
    rows.push([
      'user',
      u.name,
      u.arn,
      yesNo(u.admin),
      yesNo(u.consoleAccess),
      yesNo(u.mfa),
      u.lastActivity ?? 'never',
      yesNo(u.inactive),
      u.groups.join('; '),
      policyList(u),
      '',
      u.createdAt ?? '',
      yesNo(u.nearAdmin),
      u.adminReasons.join('; '),
    ]);
  }
  for (const r of p.roles) {
    rows.push([
      'role',
      r.name,
      r.arn,
      yesNo(r.admin),
      '',
      '',
      '',
      '',
      '',
      policyList(r),
      r.trustedBy.join('; '),
      '',
      yesNo(r.nearAdmin),
      r.adminReasons.join('; '),
    ]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
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

const USER_COLUMNS = ['User', 'Admin', 'Console', 'MFA', 'Last activity', 'Inactive', 'Groups', 'Policies'];
const ADMIN_COLUMNS = [...USER_COLUMNS.slice(0, 2), 'Why', ...USER_COLUMNS.slice(2)];

/** `yes`, `near` (privilege escalation or nearly everything) or `no`. */
const adminLevel = (e: UserEntry | RoleEntry) => (e.admin ? 'yes' : e.nearAdmin ? 'near' : 'no');

function userRow(u: UserEntry, why = false): string {
  const cells = [
    u.name,
    adminLevel(u),
    ...(why ? [u.adminReasons.join('; ')] : []),
    yesNo(u.consoleAccess),
    yesNo(u.mfa),
    u.lastActivity ?? 'never',
    yesNo(u.inactive),
    u.groups.join(', '),
    u.policies.map((p) => p.name).join(', '),
  ];
  return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
}

function table(title: string, columns: readonly string[], rows: readonly string[], note = ''): string {
  const head = `<tr>${columns.map((c) => `<th align="left">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.length > 0 ? rows.join('\n') : `<tr><td colspan="${columns.length}">None.</td></tr>`;
  return `<h2>${escapeHtml(title)} (${rows.length})</h2>\n${note}<table border="1" cellpadding="4" cellspacing="0">\n${head}\n${body}\n</table>`;
}

export function renderHtml(p: Population, meta: ReviewMeta): string {
  const c = reviewCounts(p);
  const everyone = p.users.slice(0, HTML_ROW_CAP).map((u) => userRow(u));
  const capNote =
    p.users.length > HTML_ROW_CAP
      ? `<p><strong>Showing the first ${HTML_ROW_CAP} of ${p.users.length} users; the attached CSV carries all of them.</strong></p>\n`
      : '';
  const roleRows = p.roles.map(
    (r) =>
      `<tr>${[
        r.name,
        adminLevel(r),
        r.adminReasons.join('; '),
        r.trustedBy.join(', '),
        r.policies.map((x) => x.name).join(', '),
      ]
        .map((x) => `<td>${escapeHtml(x)}</td>`)
        .join('')}</tr>`,
  );
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(reviewSubject(meta))}</title>${EMAIL_STYLE}</head><body>`,
    `<h1>${escapeHtml(reviewSubject(meta))}</h1>`,
    `<p>Population frozen at ${escapeHtml(p.frozenAt)}. Inactive means no credential used (or, if never used, issued) in the last ${p.inactiveAfterDays} days.</p>`,
    '<ul>',
    `<li>IAM users: ${c.users}</li>`,
    `<li>Administrators: ${c.admins}, and ${c.nearAdmins} near-administrators (can escalate to admin, or reach nearly everything)</li>`,
    `<li>Console users without MFA: ${c.withoutMfa}</li>`,
    `<li>Inactive users: ${c.inactive}</li>`,
    `<li>Roles people can assume: ${c.roles} (${c.adminRoles} with administrator access, ${c.nearAdminRoles} near-administrator)</li>`,
    '</ul>',
    '<p>Record a decision for every user in a CSV with the columns <code>user,decision,justification</code> (decision: keep, remove or modify; roles may be added as <code>role/&lt;name&gt;</code>) and file it with <code>soc2-evidence review record --review &lt;quarter&gt; --reviewer &lt;your IAM user&gt; --decisions &lt;file&gt;</code>. The attached CSV lists everyone to decide on.</p>',
    table(
      'Administrators and near-administrators',
      ADMIN_COLUMNS,
      p.users.filter((u) => u.admin || u.nearAdmin).map((u) => userRow(u, true)),
    ),
    table(
      'Console users without MFA',
      USER_COLUMNS,
      p.users.filter(withoutMfa).map((u) => userRow(u)),
    ),
    table(
      'Inactive users',
      USER_COLUMNS,
      p.users.filter((u) => u.inactive).map((u) => userRow(u)),
    ),
    table('Roles people can assume', ['Role', 'Admin', 'Why', 'Trusted by', 'Policies'], roleRows),
    table('Everyone', USER_COLUMNS, everyone, capNote),
    '</body></html>',
  ].join('\n');
}

// ---- text ---------------------------------------------------------------------------------------------

export function renderText(p: Population, meta: ReviewMeta): string {
  const c = reviewCounts(p);
  const names = (users: readonly UserEntry[]) =>
    users.length === 0
      ? ['  none']
      : users.map((u) => `  - ${u.name}${u.lastActivity ? ` (last activity ${u.lastActivity})` : ''}`);
  return [
    reviewSubject(meta),
    '',
    `Population frozen at ${p.frozenAt}.`,
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
    'The attached CSV lists everyone with their groups and policies.',
    'Record a decision for every user in a CSV with the columns user,decision,justification (keep, remove or modify;',
    'roles as role/<name>), then: soc2-evidence review record --review <quarter> --reviewer <your IAM user> --decisions decisions.csv',
    '',
  ].join('\n');
}
