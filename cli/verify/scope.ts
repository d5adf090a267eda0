/**
 * What the auditor asked for, against what the package says it holds. manifest.json is written on the
 * audited company's side of the handover, so its period and filters are a claim, not a scope: a package
 * pulled for a shorter period hides a gap before or after it, and one pulled for some collectors hides the
 * others' failures, and either verifies clean. verify judges a package against the period and filters the
 * auditor passes (`--from`, `--to`, `--collector`, `--account`) and says plainly when the period was not
 * given.
 */
import { canonicalJson } from '../../lambdas/evidence/canonical-json';
import type { SlaPolicy } from '../period/model';
import { slaText } from '../period/sla-option';
import { CliError } from '../cli-error';
import { checkPeriod } from '../arguments';
import type { Manifest } from '../package/manifest';
import { accountFilterOf } from '../pull/options';

/** The period and filters the auditor asked for; each absent when not passed. */
export interface VerifyScope {
  readonly from?: string;
  readonly to?: string;
  readonly collector?: readonly string[];
  readonly account?: string;
  /** `--account ID,ID`: two or more accounts asked for (one is `account`). */
  readonly accounts?: readonly string[];
  /** `--sla`: the remediation SLA the auditor expects the period report to have judged by. */
  readonly sla?: SlaPolicy;
}

/** Said when the auditor gave no period: the package's own is taken as given. */
export const PERIOD_NOT_CHECKED = 'period not checked: pass --from and --to with the period you asked for';

/** `--from` and `--to` together or not at all, the last day not before the first. */
export function checkScopeArguments(scope: VerifyScope): void {
  if ((scope.from === undefined) !== (scope.to === undefined)) {
    const [given, missing] = scope.from !== undefined ? ['--from', '--to'] : ['--to', '--from'];
    throw new CliError(
      `verify ${given} ${scope.from ?? scope.to} without ${missing}: pass both --from and --to (the period you asked for), or neither`,
    );
  }
  if (scope.from !== undefined && scope.to !== undefined) checkPeriod(scope.from, scope.to);
}

const idSet = (ids: readonly string[] | undefined): string[] => [...new Set(ids ?? [])].sort();

/**
 * How the package's period and filters differ from the scope the auditor passed: one line per difference,
 * each an integrity problem (empty when they agree). The period is compared only when `--from`/`--to` were
 * passed; filters always, since a filter the auditor did not pass is a package narrower than asked for.
 */
export function scopeProblems(manifest: Manifest, scope: VerifyScope): string[] {
  const problems: string[] = [];
  const { period, filters } = manifest;
  if (scope.from !== undefined && scope.to !== undefined) {
    if (period.from !== scope.from || period.to !== scope.to)
      problems.push(
        `period: the package covers ${period.from} to ${period.to}, not ${scope.from} to ${scope.to} that you asked for with --from and --to`,
      );
  }

  const held = idSet(filters.collectors);
  const asked = idSet(scope.collector);
  if (held.join() !== asked.join()) {
    if (asked.length === 0)
      problems.push(
        `collectors: the package holds only collectors ${held.join(', ')}; pass --collector ${held.join(',')} to accept a filtered package`,
      );
    else if (held.length === 0)
      problems.push(
        `collectors: you passed --collector ${asked.join(',')} but the package is not filtered by collector (pull was given no --collector); verify it without --collector, or have it pulled with --collector ${asked.join(',')}`,
      );
    else
      problems.push(
        `collectors: the package holds only collectors ${held.join(', ')}, not the collectors ${asked.join(', ')} you passed with --collector`,
      );
  }

  problems.push(...accountProblems(accountFilterOf(filters), accountFilterOf(scope)));
  if (scope.sla && canonicalJson(scope.sla) !== canonicalJson(manifest.periodReport.sla))
    problems.push(
      `sla: the package's period report judged remediation SLAs by ${slaText(manifest.periodReport.sla)}, not by ${slaText(scope.sla)} that you passed with --sla; have it pulled with --sla ${slaText(scope.sla)}`,
    );
  return problems;
}

/**
 * The package's account filter against `--account`. One account on each side keeps the words said before
 * organization mode; several are named as lists. The hub's account lists are in every account-filtered
 * package whatever the filter (cli/pull/list.ts), so they are no difference.
 */
function accountProblems(
  held: readonly string[] | undefined,
  asked: readonly string[] | undefined,
): string[] {
  const h = held?.join(',');
  const a = asked?.join(',');
  if (h === a) return [];
  const words = (ids: readonly string[]) =>
    ids.length === 1 ? `account ${ids[0]}` : `accounts ${ids.join(', ')}`;
  if (asked === undefined)
    return [
      `account: the package holds only ${words(held!)}; pass --account ${h} to accept a filtered package`,
    ];
  if (held === undefined)
    return [
      `account: you passed --account ${a} but the package is not filtered by account (pull was given no --account); verify it without --account, or have it pulled with --account ${a}`,
    ];
  return [
    `account: the package holds only ${words(held)}, not ${words(asked)} that you passed with --account`,
  ];
}
