import { BackupClient, paginateListProtectedResources } from '@aws-sdk/client-backup';
import { withApi } from '../../aws/aws-error';
import { iso } from '../../evidence/iso-date';
import type { GatherContext } from '../collector';

/** ListProtectedResources' largest page. */
export const PROTECTED_RESOURCES_PAGE = 1000;

/** A resource AWS Backup holds at least one recovery point of (ListProtectedResources). */
export interface ProtectedResource {
  readonly arn: string;
  /** AWS Backup's resource type: `RDS`, `Aurora`, `DynamoDB`, `EFS`, `EBS`, `EC2`, `S3`... */
  readonly type: string;
  readonly name?: string;
  readonly lastBackupTime?: string;
  readonly lastBackupVault?: string;
}

/**
 * Every resource of a region that AWS Backup has backed up (whatever plan or on-demand job made the recovery
 * point), with the time of its latest backup. One paginated call per region, shared within a run by the
 * `backups` collector (restore tests per resource type) and `resilience` (plan coverage).
 */
export function readProtectedResources(ctx: GatherContext, region: string): Promise<ProtectedResource[]> {
  return ctx.memo(`backup:protected-resources:${region}`, () =>
    withApi('backup:ListProtectedResources', async () => {
      const client = ctx.clients.get(BackupClient, region);
      const out: ProtectedResource[] = [];
      const pages = paginateListProtectedResources({ client, pageSize: PROTECTED_RESOURCES_PAGE }, {});
      for await (const page of pages)
        for (const r of page.Results ?? [])
          if (r.ResourceArn)
            out.push({
              arn: r.ResourceArn,
              type: r.ResourceType ?? 'unknown',
              ...(r.ResourceName ? { name: r.ResourceName } : {}),
              ...(r.LastBackupTime ? { lastBackupTime: iso(r.LastBackupTime) } : {}),
              ...(r.LastBackupVaultArn ? { lastBackupVault: r.LastBackupVaultArn } : {}),
            });
      return out;
    }),
  );
}
