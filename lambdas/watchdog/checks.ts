import { defineChecks } from '../collectors/check-catalogue';

/** The check of the coverage watchdog; its criteria are drawn from `COVERAGE_CONTROLS`. */
export const COVERAGE_CHECK_CATALOGUE = defineChecks({
  'scheduled-evidence-present': {
    title: 'Every scheduled collector left its evidence',
    description:
      "One finding per enabled collector, written daily by the coverage watchdog over the last complete UTC days (2 by default, today excluded), judged by the same rules as the auditor's `pull`. It FAILs when a day the collector's schedule promised has no evidence, or only ERROR runs. It WARNs when such a day has evidence but no run that judged its whole scope (only PARTIAL runs, or FAIL runs that also recorded errors), and PASSes when every expected day has a complete PASS or FAIL run. It is INFO when nothing was due in the window, or when the schedule cannot be judged here (a rate of more than one day, or an invalid schedule). An evidence file that cannot be read is an error and does not count as present. Evidence cannot be created for a past date, so auditors need to see that gaps are detected and alarmed on while they can still be explained.",
    criteria: ['CC4.1', 'CC7.2'],
    severity: 'high',
    remediation:
      "Open the collector's Lambda logs for the missing day, fix the cause (permissions, throttling, a disabled schedule) and run it again with `soc2-evidence run <collector>` (the deployed function writes signed evidence); record the gap and its cause for the auditor.",
  },
  'envelope-authentic': {
    title: 'Only authentic evidence counts as a run',
    description:
      "One FAIL finding per envelope the watchdog read but did not count: one that is not its own canonical JSON (edited or re-serialised), whose key disagrees with its content (copied under another run's key, day, account or collector), or whose signature does not verify with the public key of the producer of its kind (unsigned, signed by another function's key, or by no trusted key). Such an envelope cannot close a gap, so an administrator cannot make a missed run look present. An INFO finding says when signatures could not be judged because no producer keys were given (a local run).",
    criteria: ['CC4.1', 'CC7.2'],
    severity: 'high',
    remediation:
      "Find who wrote the named object (the bucket's server access log, CloudTrail's PutObject data event) and why; the run it claims to be did not happen as evidence, so treat the day as a gap and record its cause for the auditor.",
  },
});

export type CoverageCheck = keyof typeof COVERAGE_CHECK_CATALOGUE;
