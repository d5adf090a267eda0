/**
 * The organization review, judged and rendered (pure): its findings, the CSV the reviewer decides in (one row
 * per principal × account × permission, matched back by `id`), and the email's HTML and text bodies, people
 * with admin-equivalent access per account first.
 */
import type { Finding } from '../../evidence/envelope';
import type { OrganizationReviewCheck } from './checks';
import type { OrganizationPopulation, OrganizationRow } from './organization-population';
import { csvCell, escapeHtml, recordCommand, type ReviewMeta } from './render';

export const organizationCsvFilename = (quarter: string) => `organization-access-review-${quarter}.csv`;

export function organizationSubject(p: OrganizationPopulation, quarter: string): string {
  return `SOC 2 access review ${quarter} — AWS organization (${p.accounts.length} accounts)`;
}

// ---- findings -------------------------------------------------------------------------------------------

export function assessOrganization(p: OrganizationPopulation): {
  findings: Finding<OrganizationReviewCheck>[];
  figures: Record<string, number>;
} {
  const findings: Finding<OrganizationReviewCheck>[] = [];
  for (const a of p.accounts)
    findings.push({
      resource: a.account,
      check: 'account-population-read',
      status: a.status === 'read' ? 'PASS' : 'FAIL',
      detail: {
        status: a.status,
        ...(a.reason ? { reason: a.reason } : {}),
        envelopeKey: a.envelopeKey ?? null,
        populationSha256: a.populationSha256 ?? null,
        users: a.users,
        roles: a.roles,
      },
    });
  const idcRows = p.rows.filter((r) => r.type === 'identity-center-user');
  for (const r of idcRows) {
    if (r.admin !== 'yes' && r.admin !== 'unknown') continue;
    const detail = {
      user: r.principal,
      account: r.account,
      permissionSet: r.permission,
      via: r.via,
      admin: r.admin,
      reasons: r.adminReasons,
    };
    findings.push({ resource: r.id, check: 'identity-center-admin-access', status: 'WARN', detail });
    if (r.admin === 'yes' && r.via.includes('direct'))
      findings.push({
        resource: r.id,
        check: 'identity-center-direct-admin-assignment',
        status: 'WARN',
        detail,
      });
  }
  const byUser = new Map<string, OrganizationRow[]>();
  for (const r of idcRows) byUser.set(r.principalId, [...(byUser.get(r.principalId) ?? []), r]);
  for (const [userId, rows] of byUser) {
    const first = rows[0]!;
    const access = rows.map((r) => ({
      account: r.account,
      permissionSet: r.permission,
      via: r.via,
      admin: r.admin,
    }));
    const resource = `identity-center:user/${userId}`;
    if (first.status === 'DISABLED')
      findings.push({
        resource,
        check: 'identity-center-disabled-user-assigned',
        status: 'FAIL',
        detail: { user: first.principal, status: first.status, access },
      });
    findings.push({
      resource,
      check: 'identity-center-user-access',
      status: 'INFO',
      detail: { user: first.principal, status: first.status, access },
    });
  }
  const count = (f: (r: OrganizationRow) => boolean) => p.rows.filter(f).length;
  return {
    findings,
    figures: {
      accounts: p.accounts.length,
      accountsRead: p.accounts.filter((a) => a.status === 'read').length,
      rows: p.rows.length,
      adminRows: count((r) => r.admin === 'yes'),
      unknownRows: count((r) => r.admin === 'unknown' && r.type !== 'account-not-read'),
      decisionsRequired: count((r) => r.decisionRequired),
      identityCenterUsers: p.identityCenter?.users ?? 0,
      identityCenterAssignments: p.identityCenter?.assignments ?? 0,
    },
  };
}

// ---- CSV ------------------------------------------------------------------------------------------------

/** The decisions template: `id` matches a row back to the frozen population; fill decision and justification. */
export const ORGANIZATION_CSV_HEADER = [
  'id',
  'account',
  'type',
  'principal',
  'principal_id',
  'permission',
  'via',
  'admin',
  'admin_reason',
  'status',
  'mfa',
  'last_activity',
  'decision_required',
  'decision',
  'justification',
];

export function renderOrganizationCsv(p: OrganizationPopulation): string {
  const rows = [
    ORGANIZATION_CSV_HEADER,
    ...p.rows.map((r) => [
      r.id,
      r.account,
      r.type,
      r.principal,
      r.principalId,
      r.permission,
      r.via.join('; '),
      r.admin,
      r.adminReasons.join('; '),
      r.status,
      r.mfa,
      r.lastActivity ? r.lastActivity.slice(0, 10) : '',
      r.decisionRequired ? 'yes' : 'no',
      '',
      '',
    ]),
  ];
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// ---- HTML and text --------------------------------------------------------------------------------------

const STYLE =
  '<style>body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:14px;color:#1f2328;' +
  'max-width:1100px}h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d0d7de}' +
  'table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;' +
  'vertical-align:top}th{background:#f6f8fa}</style>';

const typeLabel: Record<OrganizationRow['type'], string> = {
  'identity-center-user': 'Identity Center user',
  'iam-user': 'IAM user',
  'iam-role': 'IAM role',
  'account-not-read': 'account not read',
};

function table(title: string, columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body =
    rows.length > 0
      ? rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')
      : `<tr><td colspan="${columns.length}">None.</td></tr>`;
  return `<h2>${escapeHtml(title)} (${rows.length})</h2>\n<table border="1" cellpadding="4" cellspacing="0">\n${head}\n${body}\n</table>`;
}

/** Rows of admin-equivalent access (and access that may be), per account. */
const adminRows = (p: OrganizationPopulation) =>
  p.rows.filter((r) => r.type !== 'account-not-read' && (r.admin === 'yes' || r.admin === 'unknown'));

function steps(quarter: string): string[] {
  return [
    `Open the attached ${organizationCsvFilename(quarter)} in a spreadsheet: one row per person or role, account and permission (Identity Center permission sets, each account's IAM users and the roles people can assume).`,
    'Fill in the decision column (keep, remove or modify) on every row whose decision_required is yes (admin-equivalent access, access that may be, and IAM users), and on any other row you decide. Add a justification where it helps an auditor; your own rows need one (a self-review). Leave the id column as it is.',
    'Save it as CSV under the same name and run this command from the folder it is in:',
  ];
}

export function renderOrganizationHtml(p: OrganizationPopulation, meta: ReviewMeta): string {
  const subject = organizationSubject(p, meta.quarter);
  const notRead = p.accounts.filter((a) => a.status !== 'read');
  const idc = p.identityCenter;
  const byAccount = new Map<string, OrganizationRow[]>();
  for (const r of adminRows(p)) byAccount.set(r.account, [...(byAccount.get(r.account) ?? []), r]);
  const perAccount = p.accounts.map((a) =>
    table(
      `Account ${a.account}: administrator access`,
      ['Who', 'Type', 'Permission', 'Via', 'Admin', 'Why'],
      (byAccount.get(a.account) ?? []).map((r) => [
        r.principal,
        typeLabel[r.type],
        r.permission,
        r.via.join(', '),
        r.admin,
        r.adminReasons.join('; '),
      ]),
    ),
  );
  const disabled = p.rows.filter((r) => r.type === 'identity-center-user' && r.status === 'DISABLED');
  const direct = p.rows.filter(
    (r) => r.type === 'identity-center-user' && r.admin === 'yes' && r.via.includes('direct'),
  );
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title>${STYLE}</head><body>`,
    `<h1>${escapeHtml(subject)}</h1>`,
    `<p>Population frozen at ${escapeHtml(p.frozenAt.slice(0, 16).replace('T', ' '))} UTC from ${p.accounts.length} in-scope accounts.</p>`,
    '<ul>',
    `<li>Accounts reviewed: ${p.accounts.length - notRead.length} of ${p.accounts.length}${notRead.length > 0 ? ` (<strong>${notRead.length} not read: ${escapeHtml(notRead.map((a) => a.account).join(', '))}</strong>)` : ''}</li>`,
    `<li>Administrator access (principal × account × permission): ${adminRows(p).filter((r) => r.admin === 'yes').length}; undecidable from what was read: ${adminRows(p).filter((r) => r.admin === 'unknown').length}</li>`,
    idc
      ? `<li>IAM Identity Center (${escapeHtml(idc.region)}): ${idc.users} users (${idc.disabledUsers} disabled), ${idc.groups} groups, ${idc.permissionSets} permission sets, ${idc.assignments} assignments in scope</li>`
      : '<li>IAM Identity Center: not configured (organization.identityCenterRegion)</li>',
    `<li>Rows to decide: ${p.rows.filter((r) => r.decisionRequired).length} of ${p.rows.length}</li>`,
    '</ul>',
    ...perAccount,
    table(
      'Accounts not read',
      ['Account', 'Status', 'Why'],
      notRead.map((a) => [a.account, a.status, a.reason ?? '']),
    ),
    table(
      'Disabled Identity Center users still assigned',
      ['User', 'Account', 'Permission set', 'Via'],
      disabled.map((r) => [r.principal, r.account, r.permission, r.via.join(', ')]),
    ),
    table(
      'Admin-equivalent permission sets assigned to users directly',
      ['User', 'Account', 'Permission set'],
      direct.map((r) => [r.principal, r.account, r.permission]),
    ),
    '<h2>How to record the review</h2>',
    `<ol>${steps(meta.quarter)
      .map((x) => `<li>${escapeHtml(x)}</li>`)
      .join('')}</ol>`,
    `<pre style="background:#f6f8fa;border:1px solid #d0d7de;padding:8px;white-space:pre-wrap;word-break:break-all">${escapeHtml(recordCommand(meta, organizationCsvFilename(meta.quarter)))}</pre>`,
    '<p>The attached CSV carries every row, including each account’s IAM users and the roles people can assume.</p>',
    '</body></html>',
  ].join('\n');
}

export function renderOrganizationText(p: OrganizationPopulation, meta: ReviewMeta): string {
  const notRead = p.accounts.filter((a) => a.status !== 'read');
  const lines = [organizationSubject(p, meta.quarter), '', `Population frozen at ${p.frozenAt}.`, ''];
  for (const a of p.accounts) {
    const admins = adminRows(p).filter((r) => r.account === a.account);
    lines.push(
      `Account ${a.account}${a.status === 'read' ? '' : ` (NOT READ: ${a.status})`}: administrator access`,
    );
    lines.push(
      ...(admins.length === 0
        ? ['  none']
        : admins.map((r) => `  - ${r.principal} (${typeLabel[r.type]}) ${r.permission} [${r.admin}]`)),
    );
  }
  if (notRead.length > 0)
    lines.push(
      '',
      'Accounts not read:',
      ...notRead.map((a) => `  - ${a.account}: ${a.status} ${a.reason ?? ''}`),
    );
  lines.push(
    '',
    'How to record the review:',
    ...steps(meta.quarter).map((x, i) => `${i + 1}. ${x}`),
    '',
    recordCommand(meta, organizationCsvFilename(meta.quarter)),
    '',
  );
  return lines.join('\n');
}
