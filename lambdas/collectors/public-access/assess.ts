import type { Finding, FindingStatus } from '../../evidence/envelope';
import { serviceOf } from '../../readers/databases';
import type { PublicAccessCheck } from './checks';
import type { AmiFacts, EbsFacts, RdsSnapshotFacts } from './regional';
import {
  BLOCK_SETTING_NAMES,
  type AccountBlockFacts,
  type BlockSettings,
  type BucketExposure,
  type S3Facts,
} from './s3';

/** One database instance as this collector judges it. */
export interface InstanceExposure {
  readonly region: string;
  readonly id: string;
  readonly arn: string;
  readonly engine: string;
  readonly status?: string;
  readonly clusterId?: string;
  readonly publiclyAccessible: boolean;
}

export interface PublicAccessFacts {
  readonly account?: string;
  readonly s3: S3Facts;
  /** Regions whose instances could be read. */
  readonly databases: readonly { readonly region: string; readonly instances: readonly InstanceExposure[] }[];
  /** Regions whose manual snapshots could be listed. */
  readonly rdsSnapshots: readonly RdsSnapshotFacts[];
  readonly ebs: readonly EbsFacts[];
  readonly amis: readonly AmiFacts[];
}

type F = Finding<PublicAccessCheck>;

const SNAPSHOT_BLOCK_ALL = 'block-all-sharing';

const settingsOff = (s: BlockSettings) =>
  (Object.keys(BLOCK_SETTING_NAMES) as (keyof BlockSettings)[])
    .filter((k) => !s[k])
    .map((k) => BLOCK_SETTING_NAMES[k]);

export function assessAccountBlock(a: AccountBlockFacts): F {
  const off = settingsOff(a.settings);
  return {
    resource: `s3:${a.account}:account-public-access-block`,
    check: 's3-account-public-access-block',
    status: off.length === 0 ? 'PASS' : 'FAIL',
    detail: {
      account: a.account,
      configured: a.configured,
      ...Object.fromEntries(
        (Object.keys(BLOCK_SETTING_NAMES) as (keyof BlockSettings)[]).map((k) => [
          BLOCK_SETTING_NAMES[k],
          a.settings[k],
        ]),
      ),
      settingsOff: off,
      required: 'all four settings on',
      reason: !a.configured
        ? 'no account-level Block Public Access configuration (NoSuchPublicAccessBlockConfiguration)'
        : off.length === 0
          ? 'all four settings are on'
          : `${off.join(', ')} off`,
    },
  };
}

/** A bucket's verdict, or undefined when nothing about it is public (it is counted in the summary). */
export function assessBucket(b: BucketExposure, account: BlockSettings | undefined): F | undefined {
  if (b.deleted) return undefined;
  const bucketBlock = b.bucketBlock === 'none' ? undefined : b.bucketBlock;
  const restrictedBy = account?.restrictPublicBuckets
    ? 'account'
    : bucketBlock?.restrictPublicBuckets
      ? 'bucket'
      : undefined;
  const ignoredBy = account?.ignorePublicAcls
    ? 'account'
    : bucketBlock?.ignorePublicAcls
      ? 'bucket'
      : undefined;
  const grants = b.publicGrants ?? [];
  const byPolicy = b.policyPublic === true && !restrictedBy;
  const byAcl = grants.length > 0 && !ignoredBy;
  const exposed = b.policyPublic === true || grants.length > 0;
  if (!exposed) return undefined;
  let status: FindingStatus;
  let reason: string;
  const through = [byPolicy ? 'its bucket policy' : '', byAcl ? 'its ACL' : ''].filter(Boolean).join(' and ');
  if ((byPolicy || byAcl) && account === undefined) {
    status = 'WARN';
    reason = `public through ${through} unless the account's Block Public Access (unreadable this run) neutralises it`;
  } else if (byPolicy || byAcl) {
    status = 'FAIL';
    reason = `public through ${through}`;
  } else {
    status = 'INFO';
    reason = [
      b.policyPublic ? `the public policy is restricted by ${restrictedBy}-level RestrictPublicBuckets` : '',
      grants.length > 0 ? `the public ACL grants are ignored by ${ignoredBy}-level IgnorePublicAcls` : '',
    ]
      .filter(Boolean)
      .join('; ');
    reason = `not public in effect: ${reason}; the grant remains and returns if the setting is lifted`;
  }
  return {
    resource: b.arn,
    check: 's3-bucket-public',
    status,
    detail: {
      bucket: b.name,
      region: b.region,
      publicByPolicy: byPolicy,
      publicByAcl: byAcl,
      policyIsPublic: b.policyPublic,
      publicAclGrants: grants,
      bucketPublicAccessBlock: b.bucketBlock,
      accountPublicAccessBlock: account ?? 'unknown',
      ...(b.outsideConfiguredRegions ? { outsideConfiguredRegions: true } : {}),
      reason,
    },
  };
}

function s3Findings(s3: S3Facts, account: string | undefined): F[] {
  const findings: F[] = [];
  if (s3.accountBlock) findings.push(assessAccountBlock(s3.accountBlock));
  const accountSettings = s3.accountBlock?.settings;
  const buckets = s3.buckets.flatMap((b) => {
    const f = assessBucket(b, accountSettings);
    return f ? [f] : [];
  });
  findings.push(...buckets);
  if (s3.bucketsListed === undefined) return findings;
  const failing = buckets.filter((f) => f.status === 'FAIL' || f.status === 'WARN').length;
  if (failing > 0) return findings;
  const skipped = s3.perBucketReadsSkipped;
  const status: FindingStatus = s3.bucketsNotRead > 0 ? 'INFO' : 'PASS';
  findings.push({
    resource: `s3:${account ?? 'unknown'}:buckets`,
    check: 's3-bucket-public',
    status,
    detail: {
      bucketsListed: s3.bucketsListed,
      bucketsRead: s3.buckets.filter((b) => !b.deleted).length,
      bucketsNotRead: s3.bucketsNotRead,
      perBucketReadsSkipped: skipped,
      publicBuckets: 0,
      neutralisedBuckets: buckets.filter((f) => f.status === 'INFO').length,
      reason: skipped
        ? 'the account ignores public ACLs and restricts public buckets (IgnorePublicAcls and RestrictPublicBuckets on): no bucket can be public, so none was read one by one'
        : s3.bucketsNotRead > 0
          ? `no bucket public among those read; ${s3.bucketsNotRead} could not be read (see errors)`
          : 'no bucket is public',
    },
  });
  return findings;
}

function instanceFindings(region: string, instances: readonly InstanceExposure[]): F[] {
  const open = instances.filter((i) => i.publiclyAccessible);
  if (open.length === 0)
    return [
      {
        resource: `rds:${region}:instances`,
        check: 'rds-public-instance',
        status: 'PASS',
        detail: {
          region,
          instances: instances.length,
          publiclyAccessible: 0,
          reason: 'no instance is publicly accessible',
        },
      },
    ];
  return open.map((i) => ({
    resource: i.arn,
    check: 'rds-public-instance',
    status: 'FAIL',
    detail: {
      region,
      instance: i.id,
      service: serviceOf(i.engine),
      engine: i.engine,
      dbStatus: i.status,
      ...(i.clusterId ? { clusterId: i.clusterId } : {}),
      publiclyAccessible: true,
      reason:
        'PubliclyAccessible is on: the endpoint resolves to a public IP address, one security group rule away from the internet',
    },
  }));
}

function snapshotFindings(r: RdsSnapshotFacts): F[] {
  const open = r.shared.filter((s) => s.restore.includes('all'));
  if (open.length === 0)
    return [
      {
        resource: `rds:${r.region}:snapshots`,
        check: 'rds-public-snapshot',
        status: r.attributesNotRead > 0 ? 'INFO' : 'PASS',
        detail: {
          region: r.region,
          manualDbSnapshots: r.manualDbSnapshots,
          manualClusterSnapshots: r.manualClusterSnapshots,
          sharedWithAccounts: r.shared.length,
          attributesNotRead: r.attributesNotRead,
          public: 0,
          reason:
            r.attributesNotRead > 0
              ? `no public snapshot among those read; ${r.attributesNotRead} could not be read (see errors)`
              : 'no manual snapshot is shared with everyone',
        },
      },
    ];
  return open.map((s) => ({
    resource: s.arn,
    check: 'rds-public-snapshot',
    status: 'FAIL',
    detail: {
      region: r.region,
      kind: s.kind,
      snapshot: s.id,
      source: s.source,
      engine: s.engine,
      encrypted: s.encrypted,
      createdAt: s.createdAt,
      restore: s.restore,
      reason: 'the restore attribute includes all: any AWS account can copy or restore it',
    },
  }));
}

function ebsFindings(e: EbsFacts): F[] {
  const blockedAll = e.blockState === SNAPSHOT_BLOCK_ALL;
  const open = e.publicSnapshots.map((s): F => ({
    resource: s.arn,
    check: 'ebs-public-snapshot',
    status: blockedAll ? 'INFO' : 'FAIL',
    detail: {
      region: e.region,
      snapshot: s.id,
      volumeId: s.volumeId,
      encrypted: s.encrypted,
      startTime: s.startTime,
      description: s.description,
      blockPublicAccessState: e.blockState,
      blockPublicAccessManagedBy: e.blockManagedBy,
      reason: blockedAll
        ? 'create-volume permission granted to all, but block-all-sharing keeps it private; it is public again if the mode changes'
        : 'create-volume permission granted to all: any AWS account can create a volume from it',
    },
  }));
  if (open.some((f) => f.status === 'FAIL')) return open;
  return [
    ...open,
    {
      resource: `ec2:${e.region}:snapshots`,
      check: 'ebs-public-snapshot',
      status: 'PASS',
      detail: {
        region: e.region,
        publicSnapshots: 0,
        sharedWithAllButBlocked: open.length,
        blockPublicAccessState: e.blockState,
        blockPublicAccessManagedBy: e.blockManagedBy,
        reason: 'no snapshot of the account is publicly available',
      },
    },
  ];
}

function amiFindings(a: AmiFacts): F[] {
  if (a.publicImages.length === 0)
    return [
      {
        resource: `ec2:${a.region}:images`,
        check: 'ami-public',
        status: 'PASS',
        detail: {
          region: a.region,
          publicImages: 0,
          blockPublicAccessState: a.blockState,
          blockPublicAccessManagedBy: a.blockManagedBy,
          reason: 'no AMI of the account is public',
        },
      },
    ];
  return a.publicImages.map((i) => ({
    resource: i.arn,
    check: 'ami-public',
    status: 'FAIL',
    detail: {
      region: a.region,
      image: i.id,
      name: i.name,
      createdAt: i.createdAt,
      imageState: i.state,
      blockPublicAccessState: a.blockState,
      blockPublicAccessManagedBy: a.blockManagedBy,
      reason:
        a.blockState === 'block-new-sharing'
          ? 'public launch permission; block-new-sharing only stops new public sharing, so this AMI stays public'
          : 'public launch permission: any AWS account can launch it',
    },
  }));
}

export function assessPublicAccess(facts: PublicAccessFacts): {
  findings: F[];
  figures: Record<string, number>;
} {
  const findings: F[] = [...s3Findings(facts.s3, facts.account)];
  for (const r of facts.databases) findings.push(...instanceFindings(r.region, r.instances));
  for (const r of facts.rdsSnapshots) findings.push(...snapshotFindings(r));
  for (const e of facts.ebs) findings.push(...ebsFindings(e));
  for (const a of facts.amis) findings.push(...amiFindings(a));
  const count = (check: PublicAccessCheck, status: FindingStatus) =>
    findings.filter((f) => f.check === check && f.status === status).length;
  const bucketFindings = findings.filter((f) => f.check === 's3-bucket-public' && 'bucket' in f.detail);
  const account = facts.s3.accountBlock;
  return {
    findings,
    figures: {
      // Absent when the account's configuration could not be read.
      ...(account ? { accountBlockPublicAccessSettingsOff: settingsOff(account.settings).length } : {}),
      bucketsListed: facts.s3.bucketsListed ?? 0,
      bucketsRead: facts.s3.buckets.filter((b) => !b.deleted).length,
      bucketsNotRead: facts.s3.bucketsNotRead,
      perBucketReadsSkipped: facts.s3.perBucketReadsSkipped ? 1 : 0,
      bucketsPublic: bucketFindings.filter((f) => f.status === 'FAIL').length,
      bucketsPublicByPolicy: bucketFindings.filter(
        (f) => f.status === 'FAIL' && f.detail.publicByPolicy === true,
      ).length,
      bucketsPublicByAcl: bucketFindings.filter((f) => f.status === 'FAIL' && f.detail.publicByAcl === true)
        .length,
      bucketsPublicIfAccountUnblocked: bucketFindings.filter((f) => f.status === 'WARN').length,
      bucketsNeutralisedByBlockPublicAccess: bucketFindings.filter((f) => f.status === 'INFO').length,
      dbInstances: facts.databases.reduce((n, r) => n + r.instances.length, 0),
      dbInstancesPublic: facts.databases.reduce(
        (n, r) => n + r.instances.filter((i) => i.publiclyAccessible).length,
        0,
      ),
      manualDbSnapshots: facts.rdsSnapshots.reduce((n, r) => n + r.manualDbSnapshots, 0),
      manualDbClusterSnapshots: facts.rdsSnapshots.reduce((n, r) => n + r.manualClusterSnapshots, 0),
      dbSnapshotsSharedWithAccounts: facts.rdsSnapshots.reduce(
        (n, r) => n + r.shared.filter((s) => !s.restore.includes('all')).length,
        0,
      ),
      dbSnapshotsPublic: count('rds-public-snapshot', 'FAIL'),
      ebsSnapshotsPublic: count('ebs-public-snapshot', 'FAIL'),
      ebsSnapshotsSharedWithAllButBlocked: count('ebs-public-snapshot', 'INFO'),
      regionsSnapshotBlockAllSharing: facts.ebs.filter((e) => e.blockState === SNAPSHOT_BLOCK_ALL).length,
      amisPublic: count('ami-public', 'FAIL'),
      regionsAmiBlockNewSharing: facts.amis.filter((a) => a.blockState === 'block-new-sharing').length,
    },
  };
}
