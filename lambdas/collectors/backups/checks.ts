import type { CollectorIdentity } from '../collector';
import { defineChecks } from '../check-catalogue';

/** The checks of `backups`, in the order of its `checks` list. */
export const BACKUPS_CHECKS = defineChecks({
  'automated-backups': {
    title: 'Databases have working automated backups',
    description:
      "One finding per RDS, Aurora, Neptune or DocumentDB database in the configured regions: each cluster, and each instance outside a cluster (cluster members are judged through their cluster). It FAILs when automated backups are off (retention period 0) or when the latest restorable time is older than `backupMaxAgeHours` (default 26), and PASSes when backups are on and recent. It WARNs when a stopped database's restorable time is stale (a stopped database takes no backups) and when no restorable time is reported, so backups cannot be shown to be happening. A read replica without its own backups is INFO, since its source holds them. Point-in-time restore is what recovers a database after loss or corruption, so auditors want to see it is on and current.",
    criteria: ['A1.2'],
    severity: 'high',
    remediation:
      'Turn on automated backups with a retention period of at least 7 days (`aws rds modify-db-instance --db-instance-identifier ID --backup-retention-period 7 --apply-immediately`, or modify-db-cluster); for a stale restorable time, check the database events for failed backups.',
  },
  'backup-job': {
    title: 'AWS Backup jobs succeed',
    description:
      'A finding only for an AWS Backup job that did not succeed, among the top-level jobs created in the last `backupJobWindowDays` days (default 7; a composite backup is counted once, through its parent job). A FAILED, ABORTED or EXPIRED job FAILs; a PARTIAL job, a COMPLETED job whose message category is not SUCCESS (the console\'s "Completed with issues"), and a clean parent with failed child jobs WARN. A problem job older than 24 hours becomes INFO once a later job of the same resource completes cleanly, and stays judged until then. Successful jobs get no finding of their own; they are counted in backup-jobs-summary. Failed backups left unnoticed mean there is nothing to restore when it is needed.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation:
      "Read the job's status message in AWS Backup > Jobs, fix the cause (often the backup role's permissions, a resource that was deleted or busy, or a start window too short) and run an on-demand backup of the resource.",
  },
  'backup-jobs-summary': {
    title: 'AWS Backup job outcomes are counted per region',
    description:
      'An INFO finding per region whose AWS Backup jobs could be read: the number of top-level jobs in each state over the last 24 hours and over the `backupJobWindowDays` window (default 7), jobs completed with issues, and child jobs that did not succeed. It judges nothing; it shows auditors that backups run routinely and gives the denominator for the failures reported by backup-job. A region with no jobs at all is reported with zero counts, not flagged.',
    criteria: ['A1.2'],
    severity: 'info',
    remediation:
      'Nothing to fix; if a region is expected to have backups and shows none, check that a backup plan with resource assignments exists there.',
  },
  'restore-tests': {
    title: 'Backups are restored and tested',
    description:
      'One finding per AWS Backup resource type that holds backups in the configured regions (from ListProtectedResources: `RDS`, `Aurora`, `DynamoDB`, `EFS`...). It PASSes when a restore of that type succeeded within `restoreTestMaxAgeDays` (default 365): a COMPLETED restore job, whether started by hand or by an AWS Backup restore testing plan, whose restore-test validation did not fail or time out. It FAILs when the restores tried within the window all failed, or when none is listed and the history AWS Backup keeps covers the window; it WARNs when the only recent restores are restore tests still validating. Restore jobs are listed from the start of the window (ByCreatedAfter). The ListRestoreJobs reference states no retention, and AWS Backup documents 30 days of job history (ListBackupJobs, ListRestoreJobSummaries): when no restore is listed and the window reaches further back than that (or than the oldest job listed in the region), an older restore may simply no longer be listed, so the finding WARNs, naming the limit, instead of failing as if proven untested. The yearly disaster-recovery test is the evidence that backups can actually be restored. Restores made outside AWS Backup (an RDS point-in-time restore from the console) are not seen: a scheduled restore testing plan keeps the evidence current and listed.',
    criteria: ['A1.2'],
    severity: 'medium',
    remediation:
      'Create a restore testing plan that restores a recent recovery point of each resource type on a schedule (`aws backup create-restore-testing-plan --restore-testing-plan file://plan.json`, then `aws backup create-restore-testing-selection`), or run and document a restore (`aws backup start-restore-job`).',
  },
});

export type BackupsCheck = keyof typeof BACKUPS_CHECKS;

/** What `backups` is: its id, title, criteria, schedule class and checks; collector.ts adds how it reads AWS. */
export const BACKUPS_IDENTITY: CollectorIdentity<BackupsCheck> = {
  id: 'backups',
  title: 'Backups: RDS and Aurora automated backups, AWS Backup jobs',
  controls: ['A1.2'],
  scope: 'regional',
  frequency: 'daily',
  checks: BACKUPS_CHECKS,
};
