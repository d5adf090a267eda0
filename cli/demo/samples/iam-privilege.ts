import type { ManagedPolicyDetail, RoleDetail } from '@aws-sdk/client-iam';
import { SAMPLE_ACCOUNT_ID } from '../sample-account';
import type { Answers } from '../offline-clients';

/**
 * `iam-privilege` reads GetAccountAuthorizationDetails, whose answer (the sample users, groups and
 * people-facing roles) lives in sample-answers.ts beside the access review's; these are the workload
 * roles and customer managed policies it adds. The sample's AdministratorAccess holders (alice through
 * the Admins group, the OrganizationAdmin role) and the PowerUserAccess PartnerDeploy role (which can
 * rewrite any Lambda function's code) are judged there too.
 */
export function iamPrivilegeAnswers(_now: Date, _demoNow: Date): Answers {
  return {};
}

const DAY = 86_400_000;
const arn = (kind: string, name: string) => `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:${kind}/${name}`;
// IAM returns policy documents URL-encoded.
const doc = (d: unknown) => encodeURIComponent(JSON.stringify(d));
const trustedBy = (service: string) =>
  doc({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

/** The customer managed policies of the sample account (GetAccountAuthorizationDetails' `Policies`). */
export function samplePrivilegePolicies(now: Date): ManagedPolicyDetail[] {
  return [
    {
      PolicyName: 'ci-deploy-permissions',
      Arn: arn('policy', 'ci-deploy-permissions'),
      Path: '/',
      DefaultVersionId: 'v3',
      AttachmentCount: 1,
      IsAttachable: true,
      CreateDate: new Date(now.getTime() - 400 * DAY),
      UpdateDate: new Date(now.getTime() - 30 * DAY),
      PolicyVersionList: [
        {
          VersionId: 'v3',
          IsDefaultVersion: true,
          CreateDate: new Date(now.getTime() - 30 * DAY),
          // PROBLEM: the build may pass ANY role (OrganizationAdmin included) to a function it creates and
          // invokes: a privilege-escalation path (iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction).
          Document: doc({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'Deploy',
                Effect: 'Allow',
                Action: ['lambda:CreateFunction', 'lambda:InvokeFunction', 'lambda:UpdateFunctionCode'],
                Resource: `arn:aws:lambda:*:${SAMPLE_ACCOUNT_ID}:function:app-*`,
              },
              { Sid: 'PassAnyRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
              {
                Sid: 'Artifacts',
                Effect: 'Allow',
                Action: ['s3:GetObject', 's3:PutObject'],
                Resource: 'arn:aws:s3:::example-corp-artifacts/*',
              },
            ],
          }),
        },
        // An older version, not the default: not judged (only the default version grants anything).
        {
          VersionId: 'v2',
          IsDefaultVersion: false,
          CreateDate: new Date(now.getTime() - 200 * DAY),
          Document: doc({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          }),
        },
      ],
    },
  ];
}

/** Workload roles trusted by AWS services (the access review lists only roles people can assume). */
export function samplePrivilegeRoles(now: Date): RoleDetail[] {
  return [
    {
      RoleName: 'ci-deploy',
      Path: '/',
      Arn: arn('role', 'ci-deploy'),
      CreateDate: new Date(now.getTime() - 400 * DAY),
      AssumeRolePolicyDocument: trustedBy('codebuild.amazonaws.com'),
      AttachedManagedPolicies: [
        { PolicyName: 'ci-deploy-permissions', PolicyArn: arn('policy', 'ci-deploy-permissions') },
      ],
      RolePolicyList: [],
    },
    // A function's execution role, scoped to its own table: nothing to report.
    {
      RoleName: 'app-orders-function',
      Path: '/service-role/',
      Arn: arn('role', 'service-role/app-orders-function'),
      CreateDate: new Date(now.getTime() - 300 * DAY),
      AssumeRolePolicyDocument: trustedBy('lambda.amazonaws.com'),
      AttachedManagedPolicies: [
        {
          PolicyName: 'AWSLambdaBasicExecutionRole',
          PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        },
      ],
      RolePolicyList: [
        {
          PolicyName: 'orders-table',
          PolicyDocument: doc({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
                Resource: `arn:aws:dynamodb:us-east-1:${SAMPLE_ACCOUNT_ID}:table/orders`,
              },
            ],
          }),
        },
      ],
    },
  ];
}
