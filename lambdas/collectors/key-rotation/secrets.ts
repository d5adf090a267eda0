import {
  paginateListSecrets,
  SecretsManagerClient,
  type SecretListEntry,
} from '@aws-sdk/client-secrets-manager';
import { withApi } from '../../aws/aws-error';
import type { Finding, FindingStatus } from '../../evidence/envelope';
import type { GatherContext } from '../collector';
import type { KeyRotationCheck } from './checks';
import { lastFiringDay, parseSchedule } from './schedule';

/** ListSecrets' largest page. */
export const LIST_SECRETS_PAGE = 100;

/**
 * Days a rotation may run late before the secret counts as overdue. A rotation window opens at the
 * schedule's time on its day (with AutomaticallyAfterDays, at any time of the day) and stays open for
 * `RotationRules.Duration`, at most 24 hours: a rotation done in time can complete nearly two days after the
 * start of the day it was due. Longer is a rotation that did not happen.
 */
export const SECRET_ROTATION_GRACE_DAYS = 2;

const DAY_MS = 86_400_000;

/** A secret as ListSecrets lists it, reduced to what rotation is judged by. */
export interface SecretFacts {
  readonly region: string;
  readonly arn: string;
  readonly name: string;
  readonly rotationEnabled: boolean;
  readonly automaticallyAfterDays?: number;
  readonly scheduleExpression?: string;
  readonly rotationWindow?: string;
  readonly rotationLambdaArn?: string;
  /** null: never rotated. */
  readonly lastRotated: string | null;
  readonly nextRotation?: string;
  readonly created?: string;
  /** The AWS service that manages the secret (e.g. `rds` for a managed master user password). */
  readonly owningService?: string;
  /** Set on a replica: the Region of its primary secret. */
  readonly primaryRegion?: string;
}

export interface RegionSecrets {
  readonly region: string;
  readonly secrets: readonly SecretFacts[];
}

function reduceSecret(region: string, s: SecretListEntry): SecretFacts {
  const rules = s.RotationRules;
  return {
    region,
    arn: s.ARN ?? `secretsmanager:${region}:secret:${s.Name ?? 'unknown'}`,
    name: s.Name ?? 'unknown',
    rotationEnabled: s.RotationEnabled === true,
    ...(rules?.AutomaticallyAfterDays ? { automaticallyAfterDays: rules.AutomaticallyAfterDays } : {}),
    ...(rules?.ScheduleExpression ? { scheduleExpression: rules.ScheduleExpression } : {}),
    ...(rules?.Duration ? { rotationWindow: rules.Duration } : {}),
    ...(s.RotationLambdaARN ? { rotationLambdaArn: s.RotationLambdaARN } : {}),
    lastRotated: s.LastRotatedDate ? s.LastRotatedDate.toISOString() : null,
    ...(s.NextRotationDate ? { nextRotation: s.NextRotationDate.toISOString() } : {}),
    ...(s.CreatedDate ? { created: s.CreatedDate.toISOString() } : {}),
    ...(s.OwningService ? { owningService: s.OwningService } : {}),
    ...(s.PrimaryRegion ? { primaryRegion: s.PrimaryRegion } : {}),
  };
}

/** One region's secrets; secrets scheduled for deletion are left out, as ListSecrets does by default. The
 * paginator follows NextToken even on an empty page, which ListSecrets can return. */
export async function readRegionSecrets(ctx: GatherContext, region: string): Promise<RegionSecrets> {
  const client = ctx.clients.get(SecretsManagerClient, region);
  const secrets: SecretFacts[] = [];
  await withApi('secretsmanager:ListSecrets', async () => {
    for await (const page of paginateListSecrets({ client, pageSize: LIST_SECRETS_PAGE }, {}))
      for (const s of page.SecretList ?? []) secrets.push(reduceSecret(region, s));
  });
  return { region, secrets };
}

const days = (ms: number) => Math.floor(ms / DAY_MS);
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Pure: one finding per secret. */
export function assessSecret(s: SecretFacts, now: Date): Finding<KeyRotationCheck> {
  const lastRotated = s.lastRotated ? new Date(s.lastRotated) : null;
  const base = {
    region: s.region,
    name: s.name,
    rotationEnabled: s.rotationEnabled,
    schedule:
      s.scheduleExpression ?? (s.automaticallyAfterDays ? `every ${s.automaticallyAfterDays} days` : null),
    lastRotated: s.lastRotated,
    daysSinceRotation: lastRotated ? days(now.getTime() - lastRotated.getTime()) : null,
    nextRotation: s.nextRotation ?? null,
    created: s.created ?? null,
    ...(s.owningService ? { owningService: s.owningService } : {}),
    ...(s.rotationLambdaArn ? { rotationLambdaArn: s.rotationLambdaArn } : {}),
  };
  const finding = (status: FindingStatus, reason: string, extra: Record<string, unknown> = {}) => ({
    resource: s.arn,
    check: 'secret-rotation' as const,
    status,
    detail: { ...base, ...extra, reason },
  });
  if (s.primaryRegion && s.primaryRegion !== s.region) {
    return finding(
      'INFO',
      `replica of the secret in ${s.primaryRegion}: Secrets Manager rotates the primary and replicates the new value`,
      { primaryRegion: s.primaryRegion },
    );
  }
  const rotatedText = lastRotated
    ? `last rotated ${days(now.getTime() - lastRotated.getTime())} days ago`
    : 'never rotated';
  if (!s.rotationEnabled) return finding('FAIL', `rotation is not enabled; ${rotatedText}`);

  const schedule = parseSchedule({
    AutomaticallyAfterDays: s.automaticallyAfterDays,
    ScheduleExpression: s.scheduleExpression,
  });
  if (!schedule || schedule.kind === 'unknown') {
    return finding(
      'WARN',
      schedule
        ? `rotation is enabled, but its schedule ${schedule.expression} could not be read (${schedule.why}); ${rotatedText}`
        : `rotation is enabled without a schedule in RotationRules; ${rotatedText}`,
    );
  }
  // Never rotated: the first rotation is due a schedule after the secret was created (rotation may have been
  // turned on later, which only makes this lenient).
  const since = lastRotated ?? (s.created ? new Date(s.created) : null);
  if (!since) return finding('WARN', `rotation is enabled but the secret has no rotation or creation date`);
  const grace = SECRET_ROTATION_GRACE_DAYS * DAY_MS;
  if (schedule.kind === 'interval') {
    const dueBy = new Date(since.getTime() + schedule.intervalMs + grace);
    const intervalDays = Math.round((schedule.intervalMs / DAY_MS) * 100) / 100;
    const extra = { intervalDays, graceDays: SECRET_ROTATION_GRACE_DAYS, dueBy: dueBy.toISOString() };
    return now.getTime() > dueBy.getTime()
      ? finding(
          'FAIL',
          `${rotatedText}: overdue for a rotation every ${intervalDays} days since ${day(dueBy)}`,
          extra,
        )
      : finding('PASS', `${rotatedText}, within its rotation every ${intervalDays} days`, extra);
  }
  // A day the schedule fired counts once its window and the grace have passed: fired on D (any time of D,
  // window up to 24 h), a rotation completes by D + 2 days at the latest; we allow D + 1 day + grace.
  const fired = lastFiringDay(schedule, new Date(now.getTime() - DAY_MS - grace));
  const extra = {
    lastScheduledDay: fired ? day(fired) : null,
    graceDays: SECRET_ROTATION_GRACE_DAYS,
  };
  if (!fired)
    return finding(
      'WARN',
      `${rotatedText}; the schedule ${schedule.expression} has not fired in five years`,
      extra,
    );
  return since.getTime() < fired.getTime()
    ? finding('FAIL', `${rotatedText}: the schedule ${schedule.expression} was due on ${day(fired)}`, extra)
    : finding('PASS', `${rotatedText}, after the schedule's last due day ${day(fired)}`, extra);
}
