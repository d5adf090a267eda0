import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { accessReview } from '../../lambdas/collectors/access-review/collector';
import {
  ACCOUNTS_KIND,
  IDENTITY_CENTER_IAM_ACTIONS,
  ORGANIZATION_ENV,
} from '../../lambdas/organization/contract';
import { organizationSettings, type OrganizationConfig } from '../config';
import { EVIDENCE_KIND_RESOURCE_REGEX, evidenceKindPattern, type EvidenceBucket } from '../evidence-bucket';
import type { ScheduledCollector } from '../scheduled-collector';

/**
 * What the access review needs for its organization review (OrganizationReviewEvent, after every account's
 * population is frozen): IAM Identity Center's permission sets and assignments (IDENTITY_CENTER_IAM_ACTIONS,
 * with the hub's own credentials), the organization settings, and reading back each account's frozen
 * population (`evidence/YYYY/MM/DD/access-review/...`) and the execution's account list from the bucket.
 */
export function grantOrganizationReview(
  review: ScheduledCollector,
  evidence: EvidenceBucket,
  organization: OrganizationConfig,
): void {
  // Only when the review should read Identity Center (config `organization.identityCenterRegion`).
  if (organization.identityCenterRegion)
    review.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...IDENTITY_CENTER_IAM_ACTIONS], resources: ['*'] }),
    );
  const populations = evidenceKindPattern(accessReview.id);
  review.role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [evidence.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [populations] } },
    }),
  );
  review.role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      // The populations, and the execution's signed account list, whose accounts the review covers.
      resources: [
        evidence.bucket.arnForObjects(populations),
        evidence.bucket.arnForObjects(evidenceKindPattern(ACCOUNTS_KIND)),
      ],
    }),
  );
  review.function.addEnvironment(ORGANIZATION_ENV, JSON.stringify(organizationSettings(organization)));
  NagSuppressions.addResourceSuppressions(
    review.role,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "Identity Center's instance, permission sets and identity store are found at run time (its ARNs are not known to the template); population keys carry the date and run id: the review reads only access-review objects under evidence/ of one bucket.",
        appliesTo: ['Resource::*', { regex: EVIDENCE_KIND_RESOURCE_REGEX }],
      },
    ],
    true,
  );
}
