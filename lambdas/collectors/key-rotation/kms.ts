import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListKeys,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { mapWithConcurrency } from '../../aws/concurrency';
import { isAwsError, resourceError, withApi } from '../../aws/aws-error';
import type { ErrorEntry, Finding, FindingStatus } from '../../evidence/envelope';
import type { GatherContext } from '../collector';
import type { KeyRotationCheck } from './checks';

/** ListKeys' largest page (its default is 100). */
export const KMS_LIST_KEYS_PAGE = 1000;

/** The longest automatic rotation period judged a yearly rotation. KMS allows 90 to 2560 days (default
 * 365); a key rotating every seven years "has rotation on" but not the annual rotation auditors expect. */
export const MAX_KMS_ROTATION_PERIOD_DAYS = 365;

/** Key states whose rotation setting KMS reports and keeps: Enabled, and Disabled (KMS does not rotate a
 * disabled key, but the setting stays and applies again on re-enabling). */
const ROTATION_STATES = new Set(['Enabled', 'Disabled']);

/** A customer managed key, reduced from DescribeKey, with its rotation status where it was read. */
export interface KmsKeyFacts {
  readonly region: string;
  readonly keyId: string;
  readonly arn: string;
  readonly keySpec: string;
  readonly keyUsage?: string;
  readonly keyState: string;
  readonly origin: string;
  readonly multiRegionKeyType?: string;
  readonly created?: string;
  readonly deletionDate?: string;
  readonly description?: string;
  /** Read only for keys automatic rotation applies to (see rotationApplies). */
  readonly rotation?: {
    readonly enabled: boolean;
    readonly periodDays?: number;
    readonly nextRotation?: string;
  };
}

export interface RegionKms {
  readonly region: string;
  readonly customerKeys: readonly KmsKeyFacts[];
  /** AWS managed keys seen and left out: KMS rotates them every year and the setting cannot change. */
  readonly awsManagedKeys: number;
}

/** Why automatic rotation does not apply to a key; undefined when it does (then its status is read). */
export function rotationNotApplicable(
  k: Pick<KmsKeyFacts, 'keySpec' | 'origin' | 'keyState' | 'deletionDate'>,
): string | undefined {
  if (k.keyState === 'PendingDeletion')
    return `pending deletion${k.deletionDate ? ` (deleted on ${k.deletionDate})` : ''}: it cannot be used and KMS does not rotate it`;
  if (k.keySpec !== 'SYMMETRIC_DEFAULT')
    return `${k.keySpec} keys (asymmetric or HMAC) do not support automatic rotation`;
  if (k.origin === 'EXTERNAL')
    return 'imported key material (origin EXTERNAL) does not support automatic rotation: new material is imported by hand';
  if (k.origin !== 'AWS_KMS')
    return `keys in a custom key store (origin ${k.origin}) do not support automatic rotation`;
  if (!ROTATION_STATES.has(k.keyState))
    return `key state ${k.keyState}: the rotation status is not read in this state`;
  return undefined;
}

function reduceKey(region: string, m: KeyMetadata): KmsKeyFacts {
  return {
    region,
    keyId: m.KeyId ?? 'unknown',
    arn: m.Arn ?? `kms:${region}:key/${m.KeyId ?? 'unknown'}`,
    // KeySpec replaces the deprecated CustomerMasterKeySpec; both carry the same value.
    keySpec: m.KeySpec ?? m.CustomerMasterKeySpec ?? 'unknown',
    ...(m.KeyUsage ? { keyUsage: m.KeyUsage } : {}),
    keyState: m.KeyState ?? 'unknown',
    origin: m.Origin ?? 'unknown',
    ...(m.MultiRegionConfiguration?.MultiRegionKeyType
      ? { multiRegionKeyType: m.MultiRegionConfiguration.MultiRegionKeyType }
      : {}),
    ...(m.CreationDate ? { created: m.CreationDate.toISOString() } : {}),
    ...(m.DeletionDate ? { deletionDate: m.DeletionDate.toISOString() } : {}),
    ...(m.Description ? { description: m.Description } : {}),
  };
}

/**
 * One region's customer managed keys: ListKeys (every key, AWS managed included), DescribeKey per key to
 * keep KeyManager CUSTOMER, and GetKeyRotationStatus for the keys rotation applies to. A key whose policy
 * refuses the collector is an error entry for that key; the region's other keys are still judged.
 */
export async function readRegionKms(
  ctx: GatherContext,
  region: string,
): Promise<{ kms: RegionKms; errors: ErrorEntry[] }> {
  const client = ctx.clients.get(KMSClient, region);
  const ids: string[] = [];
  await withApi('kms:ListKeys', async () => {
    for await (const page of paginateListKeys({ client, pageSize: KMS_LIST_KEYS_PAGE }, {}))
      for (const k of page.Keys ?? []) if (k.KeyId) ids.push(k.KeyId);
  });
  const errors: ErrorEntry[] = [];
  const read = await mapWithConcurrency(ids, ctx.settings.concurrency, async (id) => {
    let meta: KeyMetadata | undefined;
    try {
      meta = (await withApi('kms:DescribeKey', () => client.send(new DescribeKeyCommand({ KeyId: id }))))
        .KeyMetadata;
    } catch (err) {
      // Deleted between ListKeys and DescribeKey (its waiting period ended): nothing left to judge.
      if (isAwsError(err, 'NotFoundException')) return undefined;
      errors.push(resourceError(err, region, 'kms:DescribeKey', id));
      return undefined;
    }
    if (!meta) return undefined;
    if (meta.KeyManager !== 'CUSTOMER') return 'aws-managed' as const;
    const key = reduceKey(region, meta);
    if (rotationNotApplicable(key) !== undefined) return key;
    try {
      const status = await withApi('kms:GetKeyRotationStatus', () =>
        client.send(new GetKeyRotationStatusCommand({ KeyId: id })),
      );
      return {
        ...key,
        rotation: {
          enabled: status.KeyRotationEnabled === true,
          ...(status.RotationPeriodInDays !== undefined ? { periodDays: status.RotationPeriodInDays } : {}),
          ...(status.NextRotationDate ? { nextRotation: status.NextRotationDate.toISOString() } : {}),
        },
      };
    } catch (err) {
      errors.push(resourceError(err, region, 'kms:GetKeyRotationStatus', key.arn));
      return key;
    }
  });
  return {
    kms: {
      region,
      customerKeys: read.filter((k): k is KmsKeyFacts => typeof k === 'object'),
      awsManagedKeys: read.filter((k) => k === 'aws-managed').length,
    },
    errors,
  };
}

/** Pure: one finding per customer managed key, except keys whose rotation status could not be read (their
 * error entry stands instead: unreadable is not a pass). */
export function assessKmsKey(k: KmsKeyFacts): Finding<KeyRotationCheck> | undefined {
  const base = {
    region: k.region,
    keyId: k.keyId,
    keySpec: k.keySpec,
    keyState: k.keyState,
    origin: k.origin,
    ...(k.multiRegionKeyType ? { multiRegionKeyType: k.multiRegionKeyType } : {}),
    ...(k.description ? { description: k.description } : {}),
  };
  const why = rotationNotApplicable(k);
  if (why !== undefined) {
    return {
      resource: k.arn,
      check: 'kms-key-rotation',
      status: 'INFO',
      detail: { ...base, rotationApplies: false, reason: why },
    };
  }
  if (!k.rotation) return undefined;
  const { enabled, periodDays, nextRotation } = k.rotation;
  let status: FindingStatus;
  let reason: string;
  if (!enabled) {
    status = k.keyState === 'Disabled' ? 'WARN' : 'FAIL';
    reason =
      k.keyState === 'Disabled'
        ? 'automatic rotation is off on a disabled key: it would come back unrotated if re-enabled'
        : 'automatic rotation is off';
  } else if (periodDays !== undefined && periodDays > MAX_KMS_ROTATION_PERIOD_DAYS) {
    status = 'WARN';
    reason = `automatic rotation is on, every ${periodDays} days: longer than ${MAX_KMS_ROTATION_PERIOD_DAYS}`;
  } else {
    status = 'PASS';
    reason = `automatic rotation is on, every ${periodDays ?? MAX_KMS_ROTATION_PERIOD_DAYS} days`;
  }
  return {
    resource: k.arn,
    check: 'kms-key-rotation',
    status,
    detail: {
      ...base,
      rotationApplies: true,
      rotationEnabled: enabled,
      rotationPeriodDays: periodDays ?? null,
      nextRotation: nextRotation ?? null,
      created: k.created ?? null,
      reason,
    },
  };
}
