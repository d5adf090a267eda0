import { InvalidArgumentError } from 'commander';
import type { Severity } from '../../lambdas/collectors/check-catalogue';
import type { SlaPolicy } from './model';

const SLA_SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const FORM =
  'severity=days pairs such as critical=7,high=30,medium=90 (severities: critical, high, medium, low), or none';

/**
 * `--sla critical=7,high=30,medium=90`: the remediation SLA the period report judges exceptions by. A
 * severity left out has no SLA. Each problem is named as itself, with the expected form.
 */
export function slaPolicy(value: string): SlaPolicy {
  // `none`: no severity has an SLA (how slaText writes an empty policy).
  if (value.trim() === 'none') return {};
  const policy: Partial<Record<Severity, number>> = {};
  for (const pair of value.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*(\d{1,4})\s*$/.exec(pair);
    if (!m) throw new InvalidArgumentError(`expected ${FORM}, got ${JSON.stringify(pair)}`);
    const severity = m[1] as Severity;
    const days = Number(m[2]);
    if (!SLA_SEVERITIES.includes(severity))
      throw new InvalidArgumentError(`unknown severity ${JSON.stringify(m[1])}: expected ${FORM}`);
    if (severity in policy) throw new InvalidArgumentError(`${severity} is given twice: expected ${FORM}`);
    if (days < 1 || days > 3650)
      throw new InvalidArgumentError(`${severity}=${days}: days must be 1 to 3650`);
    policy[severity] = days;
  }
  return policy;
}

/** The policy as `--sla` takes it, in severity order: how the package states the SLA it judged by. */
export function slaText(policy: SlaPolicy): string {
  const parts = SLA_SEVERITIES.filter((s) => policy[s] !== undefined).map((s) => `${s}=${policy[s]}`);
  return parts.length > 0 ? parts.join(',') : 'none';
}
