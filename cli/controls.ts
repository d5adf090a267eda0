import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { csvCell } from '../lambdas/collectors/access-review/render';
import { checkIds } from '../lambdas/collectors/check-catalogue';
import { declaredChecks, EVIDENCE_KINDS, type EvidenceKind } from '../lambdas/collectors/registry';
import { expectedRunDays } from '../lambdas/evidence/coverage';
import type { ScheduleConfig, Soc2EvidenceConfig } from '../lib/config';
import { CliError } from './cli-error';
import { loadCliConfig } from './load-config';
import { messageOf } from '../lambdas/aws/aws-error';

/**
 * The AICPA Trust Services Criteria (2017, points of focus revised 2022) the collectors support, each in
 * one line of our own words: enough for a reader to see why a collector is listed, not a substitute for
 * the criteria text.
 */
export const CRITERIA: Readonly<Record<string, string>> = {
  'CC2.1':
    'The entity obtains or generates relevant, quality information to support internal control: complete, retained records of what happens in its systems.',
  'CC3.2':
    'Risks to the entity’s objectives are identified and analysed as the basis for deciding how they are managed (mitigated, or accepted by an owner).',
  'CC4.1':
    'The entity selects, develops and performs ongoing evaluations to ascertain whether its controls are present and functioning.',
  'CC6.1':
    'Logical access to information assets is restricted by access control software, infrastructure and architecture (authentication, MFA, protection of data at rest).',
  'CC6.2':
    'Users are registered and authorised before they get credentials, and their access is removed when no longer needed.',
  'CC6.3': 'Access is granted, changed and removed by role and least privilege, and reviewed periodically.',
  'CC6.6':
    'Access from outside the system boundary is restricted and protected (network exposure, strong authentication of external users).',
  'CC6.7':
    'Information in transit is limited to authorised parties and protected, e.g. by encryption in transit.',
  'CC7.1':
    'Detection and monitoring find configuration changes that introduce vulnerabilities and susceptibilities to newly discovered ones (vulnerability scanning, remediated on time).',
  'CC7.2':
    'System components are monitored for anomalies that suggest attacks, errors or failures, and the anomalies are analysed.',
  'CC7.3':
    'Security events are evaluated to decide whether they are incidents, and acted on in time to prevent or address failures.',
  'CC8.1':
    'Changes to infrastructure, software and procedures are authorised, designed, tested, approved and implemented under control.',
  'CC9.1':
    'Risk mitigation activities are identified, selected and developed for risks of business disruption, including the decision to accept a risk.',
  'A1.2':
    'Backups and recovery infrastructure are in place, operated and monitored to meet availability commitments.',
  'C1.1':
    'Confidential information is identified and protected according to the confidentiality commitments.',
};

export interface ControlRow {
  readonly control: string;
  readonly criterion: string;
  readonly collector: string;
  readonly title: string;
  readonly checks: readonly string[];
  /** daily, weekly, monthly, quarterly, "N days a year", "every N days", "disabled" or "on each event". */
  readonly cadence: string;
  readonly schedule: string;
  readonly timeZone: string;
  /** Key prefixes, `YYYY/MM/DD` standing for the UTC date. */
  readonly evidence: readonly string[];
  readonly owner: string;
}

/** A fixed, non-leap year, so the generated document does not change with the date it is generated on. */
const YEAR = { from: '2027-01-01', to: '2027-12-31' };

/** The schedule's cadence in words, read from the expression itself (a configured cron can differ from the
 * collector's default frequency). */
export function cadence(schedule: ScheduleConfig): string {
  if (!schedule.enabled) return 'disabled';
  let days: Set<string> | { readonly everyDays: number };
  try {
    days = expectedRunDays({ expression: schedule.cron, timeZone: schedule.timeZone }, YEAR.from, YEAR.to);
  } catch {
    return 'unknown';
  }
  if (!(days instanceof Set)) return `every ${days.everyDays} days`;
  const n = days.size;
  if (n >= 364) return 'daily';
  if (n >= 52 && n <= 53) return 'weekly';
  if (n === 12) return 'monthly';
  if (n === 4) return 'quarterly';
  if (n === 1) return 'yearly';
  return `${n} days a year`;
}

/** Kinds that get rows: scheduled collectors and the watchdog. Kinds written as part of another's process
 * (the review email and attestation) are shown inside that kind's rows. */
const rowKinds = (kinds: readonly EvidenceKind[]) => kinds.filter((k) => !k.partOf);
const members = (kind: EvidenceKind, kinds: readonly EvidenceKind[]) => [
  kind,
  ...kinds.filter((k) => k.partOf === kind.id),
];

function scheduleOf(kind: EvidenceKind, config: Soc2EvidenceConfig): ScheduleConfig {
  if (kind.fixedSchedule) return { cron: kind.fixedSchedule, timeZone: config.timeZone, enabled: true };
  const schedule = config.schedules[kind.id];
  if (!schedule) throw new Error(`no schedule configured for ${kind.id}`);
  return schedule;
}

/** How often a kind is written: its schedule's cadence and expression, or, event-driven, its trigger. */
function frequencyOf(kind: EvidenceKind, config: Soc2EvidenceConfig) {
  if (kind.trigger) return { cadence: 'on each event', schedule: kind.trigger, timeZone: '' };
  const schedule = scheduleOf(kind, config);
  return { cadence: cadence(schedule), schedule: schedule.cron, timeZone: schedule.timeZone };
}

function rowsFor(kind: EvidenceKind, kinds: readonly EvidenceKind[], config: Soc2EvidenceConfig) {
  const frequency = frequencyOf(kind, config);
  const group = members(kind, kinds);
  const evidence = group.map((k) => `evidence/YYYY/MM/DD/${k.id}/`);
  return kind.controls.map((control): ControlRow => ({
    control,
    criterion: CRITERIA[control] ?? '(not described: add it to CRITERIA in cli/controls.ts)',
    collector: kind.id,
    title: kind.title,
    // The checks of this kind (and of the evidence written beside it) that support this criterion.
    checks: group.flatMap((k) => checkIds(k.checks).filter((id) => k.checks[id]!.criteria.includes(control))),
    ...frequency,
    evidence,
    owner: config.controlOwner,
  }));
}

const ORDER = (id: string) => {
  const m = /^([A-Z]+)(\d+)\.(\d+)$/.exec(id);
  // Common criteria first, then the additional categories (A, C, PI, P) as the TSC lists them.
  return m ? [m[1] === 'CC' ? '' : m[1]!, Number(m[2]), Number(m[3])] : [id, 0, 0];
};

/** One row per control and evidence kind, ordered by control, then by the registry's order. */
export function controlRows(config: Soc2EvidenceConfig, kinds = EVIDENCE_KINDS): ControlRow[] {
  const shown = rowKinds(kinds);
  const rows = shown.flatMap((k) => rowsFor(k, kinds, config));
  const position = new Map(shown.map((k, i) => [k.id, i] as const));
  return rows.sort((a, b) => {
    const [pa, ma, na] = ORDER(a.control);
    const [pb, mb, nb] = ORDER(b.control);
    if (pa !== pb) return String(pa) < String(pb) ? -1 : 1;
    if (ma !== mb) return Number(ma) - Number(mb);
    if (na !== nb) return Number(na) - Number(nb);
    return position.get(a.collector)! - position.get(b.collector)!;
  });
}

// ---- Markdown -------------------------------------------------------------------------------------------

const GENERATED =
  '<!-- Generated by `npm run docs:controls` (soc2-evidence controls --format md) from the registry of ' +
  'evidence kinds, their check catalogues and the soc2Evidence block of cdk.json. Do not edit by hand: test/cli/controls.test.ts fails ' +
  'when it is out of date. -->';

/** Markdown cell text: pipes escaped, no line breaks. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** A table padded the way Prettier pads one, so `prettier --check` accepts the generated file as is. */
function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const width = (s: string) => [...s].length;
  const widths = head.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i]!))));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const code = (s: string) => `\`${s}\``;

export function renderControlsMarkdown(config: Soc2EvidenceConfig, kinds = EVIDENCE_KINDS): string {
  const rows = controlRows(config, kinds);
  const used = [...new Set(rows.map((r) => r.control))];
  return [
    GENERATED,
    '',
    '# Controls matrix',
    '',
    'Which evidence this tool collects for which SOC 2 Trust Services Criteria, how often, and where it is kept.',
    'Frequencies are those configured in `cdk.json` (`soc2Evidence.schedules`, EventBridge Scheduler',
    'expressions in the given time zone). Evidence keys are dated in UTC; each run writes an envelope',
    '(`<HHmmss>Z-<runId>.json`) and its raw sources beside it under the location shown, followed by',
    '`<account>/<region>/`. A collector may emit several findings per check, one per resource.',
    '',
    '## Criteria',
    '',
    ...table(
      ['Criterion', 'In short (our words, not the AICPA text)'],
      used.map((c) => [c, cell(CRITERIA[c] ?? '')]),
    ),
    '',
    '## Matrix',
    '',
    ...table(
      ['Control', 'Collector', 'Checks', 'Frequency', 'Evidence location', 'Owner'],
      rows.map((r) => [
        r.control,
        code(r.collector),
        r.checks.map(code).join(', '),
        `${r.cadence}: ${code(r.schedule)} ${cell(r.timeZone)}`.trimEnd(),
        // Siblings of the first folder are named by their last segment, so the table stays readable.
        [r.evidence[0]!, ...r.evidence.slice(1).map((e) => e.replace(/^evidence\/YYYY\/MM\/DD\//, ''))]
          .map(code)
          .join(', '),
        cell(r.owner),
      ]),
    ),
    '',
    ...kinds
      .filter((k) => k.partOf)
      .map(
        (k) =>
          `${code(`${k.id}/`)} (beside ${code(k.partOf!)}): ${k.title.toLowerCase()}, written by ${k.writtenBy}.`,
      ),
    '',
    '## Checks',
    '',
    'Every check a finding can name, as declared in the `checks.ts` beside the code that emits it. Severity',
    'says how much a FAIL matters; the description says what passes, fails and warns, and why it matters.',
    '',
    ...declaredChecks(kinds).flatMap((c) => [
      `### ${code(c.id)}: ${c.spec.title}`,
      '',
      `Severity **${c.spec.severity}** · ${c.spec.criteria.join(', ')} · emitted by ${c.kinds.map(code).join(' and ')} (${code(c.home)})`,
      '',
      c.spec.description,
      '',
      `**Remediation:** ${c.spec.remediation}`,
      '',
    ]),
  ].join('\n');
}

/** The README's "What it collects" table, between these markers, is this function's output. */
const README_TABLE_START = '<!-- collectors table: generated by `npm run docs:controls`, do not edit -->';
const README_TABLE_END = '<!-- end of collectors table -->';

/** One row per scheduled collector and the watchdog: default schedule, controls, and each check's title. */
export function renderCollectorTable(config: Soc2EvidenceConfig, kinds = EVIDENCE_KINDS): string {
  const rows = rowKinds(kinds).map((k) => {
    const frequency = frequencyOf(k, config);
    const checks = members(k, kinds).flatMap((m) =>
      checkIds(m.checks).map((id) => `${code(id)} ${cell(m.checks[id]!.title)}`),
    );
    return [
      code(k.id),
      `${frequency.cadence}: ${code(frequency.schedule)}`,
      k.controls.join(', '),
      checks.join('; '),
    ];
  });
  return [
    README_TABLE_START,
    '',
    ...table(['Collector', 'Default schedule', 'Controls', 'Checks'], rows),
    '',
    README_TABLE_END,
  ].join('\n');
}

/** Replaces the generated table in the README's text; throws when the markers are missing. */
export function withCollectorTable(readme: string, tableText: string): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no generated collectors table markers');
  return readme.slice(0, start) + tableText + readme.slice(end + README_TABLE_END.length);
}

// ---- CSV ------------------------------------------------------------------------------------------------

const CSV_HEADER = [
  'control',
  'criterion',
  'collector',
  'title',
  'checks',
  'frequency',
  'schedule',
  'time_zone',
  'evidence_location',
  'owner',
];

/** RFC 4180, every cell quoted (and formula-like cells defused, as the access review CSV does). */
export function renderControlsCsv(config: Soc2EvidenceConfig, kinds = EVIDENCE_KINDS): string {
  const rows = controlRows(config, kinds).map((r) => [
    r.control,
    r.criterion,
    r.collector,
    r.title,
    r.checks.join(' '),
    r.cadence,
    r.schedule,
    r.timeZone,
    r.evidence.join(' '),
    r.owner,
  ]);
  return [CSV_HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function format(value: string): 'md' | 'csv' {
  if (value !== 'md' && value !== 'csv') throw new InvalidArgumentError(`expected md or csv, got "${value}"`);
  return value;
}

/** The `controls` command. */
export function registerControls(program: Command, out: (line: string) => void): void {
  program
    .command('controls')
    .description(
      'Print the controls matrix (criterion, collector, checks, frequency, evidence location, owner), ' +
        'generated from the collectors and the configuration.',
    )
    .option('--format <format>', 'md or csv', format, 'md' as const)
    .option(
      '--config <file>',
      'read the soc2Evidence block from this cdk.json (default: ./cdk.json if present)',
    )
    .option('--out <file>', 'write to this file instead of standard output')
    .action((opts: { format: 'md' | 'csv'; config?: string; out?: string }) => {
      const config = loadCliConfig(opts.config);
      const text = opts.format === 'csv' ? renderControlsCsv(config) : renderControlsMarkdown(config);
      if (opts.out) {
        try {
          writeFileSync(opts.out, text);
        } catch (err) {
          throw new CliError(`cannot write ${opts.out}: ${messageOf(err)}`);
        }
        out(`wrote ${opts.out}`);
      } else out(text.replace(/\r?\n$/, ''));
    });
}
