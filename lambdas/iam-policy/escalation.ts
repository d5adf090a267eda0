/**
 * Privilege-escalation paths: sets of IAM actions that, held together, let a principal that is not an
 * administrator make itself one (or act as a more privileged role). Pure.
 *
 * The list is Rhino Security Labs' published methods (Spencer Gietzen, "AWS IAM Privilege Escalation –
 * Methods and Mitigation", 21 methods) and, from Prowler's `privilege_escalation_policies_combination`
 * (which also draws on Bishop Fox), the further well-known "pass a role to new compute" combinations:
 * EC2 Spot, Lambda with AddPermission, CodeBuild, SageMaker notebooks, ECS tasks and services, Glue jobs,
 * Auto Scaling. Paths that only work on existing resources this collector does not read (SSM sessions on
 * instances, ECS Exec, App Runner, Bedrock AgentCore) are left out; Rhino's two such paths
 * (lambda:UpdateFunctionCode, glue:UpdateDevEndpoint) are kept, on every resource only.
 *
 * Unlike Prowler (policy by policy, resources not weighed) the judgement is per principal, over all the
 * policies it holds (a path split across two policies is still a path), and weighs resources by what the
 * action is aimed at (see `REACH`).
 */
import { allowsAction, AWS_MANAGED, list, statementsOf, strings, type Json } from './analysis';
import { matchesIamPattern } from './patterns';

export interface EscalationPath {
  /** Short stable name, e.g. `PassRole+Lambda+Invoke`. */
  readonly id: string;
  readonly actions: readonly string[];
  /** One line: how the actions become admin. */
  readonly how: string;
  readonly source: 'Rhino Security Labs' | 'Prowler';
}

const rhino = (id: string, actions: string[], how: string): EscalationPath => ({
  id,
  actions,
  how,
  source: 'Rhino Security Labs',
});
const prowler = (id: string, actions: string[], how: string): EscalationPath => ({
  id,
  actions,
  how,
  source: 'Prowler',
});
const PASS = 'iam:PassRole';

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  rhino(
    'CreatePolicyVersion',
    ['iam:CreatePolicyVersion'],
    'write a new default version of a policy it holds',
  ),
  rhino(
    'SetDefaultPolicyVersion',
    ['iam:SetDefaultPolicyVersion'],
    'make an older, broader version of a policy it holds the default',
  ),
  rhino('AttachUserPolicy', ['iam:AttachUserPolicy'], 'attach AdministratorAccess to its own user'),
  rhino('AttachGroupPolicy', ['iam:AttachGroupPolicy'], 'attach AdministratorAccess to its own group'),
  rhino('AttachRolePolicy', ['iam:AttachRolePolicy'], 'attach AdministratorAccess to its own role'),
  rhino('PutUserPolicy', ['iam:PutUserPolicy'], 'write an admin inline policy on its own user'),
  rhino('PutGroupPolicy', ['iam:PutGroupPolicy'], 'write an admin inline policy on its own group'),
  rhino('PutRolePolicy', ['iam:PutRolePolicy'], 'write an admin inline policy on its own role'),
  rhino('AddUserToGroup', ['iam:AddUserToGroup'], 'add itself to an administrators group'),
  rhino('CreateAccessKey', ['iam:CreateAccessKey'], 'create an access key for another (admin) user'),
  rhino('CreateLoginProfile', ['iam:CreateLoginProfile'], 'set a console password for another (admin) user'),
  rhino('UpdateLoginProfile', ['iam:UpdateLoginProfile'], "change another (admin) user's console password"),
  // Rhino pairs it with sts:AssumeRole; Prowler judges it alone, as here: a trust policy can name the
  // principal itself.
  rhino(
    'UpdateAssumeRolePolicy',
    ['iam:UpdateAssumeRolePolicy'],
    "rewrite an admin role's trust policy to let itself assume it",
  ),
  rhino('PassRole+EC2', [PASS, 'ec2:RunInstances'], 'launch an instance with an admin instance profile'),
  rhino(
    'PassRole+Lambda+Invoke',
    [PASS, 'lambda:CreateFunction', 'lambda:InvokeFunction'],
    'create a function running as an admin role, and invoke it',
  ),
  rhino(
    'PassRole+Lambda+EventSource',
    [PASS, 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
    'create a function running as an admin role, triggered by an event source',
  ),
  rhino(
    'UpdateFunctionCode',
    ['lambda:UpdateFunctionCode'],
    'replace the code of an existing function that runs as a more privileged role',
  ),
  rhino(
    'PassRole+GlueDevEndpoint',
    [PASS, 'glue:CreateDevEndpoint'],
    'create a Glue dev endpoint with an admin role',
  ),
  rhino(
    'GlueUpdateDevEndpoint',
    ['glue:UpdateDevEndpoint'],
    "put its SSH key on an existing Glue dev endpoint and use the endpoint's role",
  ),
  rhino(
    'PassRole+CloudFormation',
    [PASS, 'cloudformation:CreateStack'],
    'create a stack that runs as an admin role and builds what it likes',
  ),
  rhino(
    'PassRole+DataPipeline',
    [PASS, 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'],
    'define a pipeline that runs commands as an admin role',
  ),
  prowler(
    'PassRole+EC2Spot',
    [PASS, 'ec2:RequestSpotInstances'],
    'request a Spot instance with an admin instance profile',
  ),
  prowler(
    'PassRole+Lambda+AddPermission',
    [PASS, 'lambda:CreateFunction', 'lambda:AddPermission'],
    'create a function running as an admin role and allow itself to invoke it',
  ),
  prowler(
    'PassRole+CodeBuild',
    [PASS, 'codebuild:CreateProject', 'codebuild:StartBuild'],
    'create and start a build running as an admin role',
  ),
  prowler(
    'PassRole+SageMakerNotebook',
    [PASS, 'sagemaker:CreateNotebookInstance'],
    'create a notebook instance running as an admin role',
  ),
  prowler(
    'PassRole+ECS+RunTask',
    [PASS, 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
    'register a task definition with an admin task role and run it',
  ),
  prowler(
    'PassRole+ECS+CreateService',
    [PASS, 'ecs:RegisterTaskDefinition', 'ecs:CreateService'],
    'register a task definition with an admin task role and run it as a service',
  ),
  prowler(
    'PassRole+GlueJob',
    [PASS, 'glue:CreateJob', 'glue:StartJobRun'],
    'create and run a Glue job with an admin role',
  ),
  prowler(
    'PassRole+AutoScaling',
    [PASS, 'autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'],
    'start instances with an admin instance profile through Auto Scaling',
  ),
];

/**
 * Which resources a grant must cover for the action to count, besides every resource (`*`, NotResource,
 * or `arn:…:<type>/*` of the action's service, which always count):
 * - `self`: the principal itself, its groups, or a managed policy it holds: writing its own permissions is
 *   enough (`iam:AttachUserPolicy` on `user/${aws:username}` escalates).
 * - `admin`: an admin-equivalent principal: passing, re-trusting or taking over that one is enough
 *   (`iam:PassRole` on the admin role's ARN escalates); the same on a user's own name does not
 *   (self-service `iam:CreateAccessKey` on `user/${aws:username}` is the usual safe grant).
 * - `any`: creating new compute: its name does not limit which role it runs as, so any resource counts.
 * - `every` (the rest): an existing resource of unknown privilege: only a grant on every resource counts.
 */
export type Reach = 'self' | 'admin' | 'any' | 'every';

const SELF = [
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
];
const ADMIN = [
  PASS,
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:UpdateAssumeRolePolicy',
  'iam:AddUserToGroup',
];
const EVERY = ['lambda:UpdateFunctionCode', 'glue:UpdateDevEndpoint'];

export function reachOf(action: string): Reach {
  if (SELF.includes(action)) return 'self';
  if (ADMIN.includes(action)) return 'admin';
  if (EVERY.includes(action)) return 'every';
  return 'any';
}

/** One statement and the policy it came from (a label such as `inline deploy (directly)`). */
export interface HeldStatement {
  readonly policy: string;
  readonly statement: Json;
}

/** What a narrow grant must name to count (see `Reach`). */
export interface Targets {
  /** The principal's own ARN, its groups' ARNs and the ARNs of the managed policies it holds. */
  readonly self: readonly string[];
  /** ARNs of the account's admin-equivalent users, groups and roles. */
  readonly admins: readonly string[];
  /** The user's name, for `${aws:username}` in resource patterns. */
  readonly username?: string;
}

export interface ActionGrant {
  readonly action: string;
  /** The policies whose Allow statements grant it (as their labels). */
  readonly grantedBy: readonly string[];
  /** Every granting statement has a Condition (not weighed: recorded for the reader). */
  readonly conditional: boolean;
}

export interface HeldPath {
  readonly path: string;
  readonly how: string;
  readonly source: EscalationPath['source'];
  readonly actions: readonly ActionGrant[];
}

/** Whether a resource pattern covers every resource of the action's service (or everything). */
export function coversEvery(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  const fields = pattern.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return false;
  const service = action.split(':')[0] ?? '';
  if (!matchesIamPattern(fields[2] ?? '', service, true)) return false;
  const resource = fields.slice(5).join(':');
  return resource === '*' || /^[A-Za-z0-9-]+[/:]\*$/.test(resource);
}

function reaches(st: Json, action: string, targets: Targets): boolean {
  if (st.NotResource !== undefined)
    // Everything except what it names: it reaches unless it leaves out every resource of the service.
    return !strings(st.NotResource).some((p) => coversEvery(p, action));
  const patterns = strings(st.Resource).map((p) =>
    targets.username ? p.split('${aws:username}').join(targets.username) : p,
  );
  if (patterns.some((p) => coversEvery(p, action))) return true;
  const reach = reachOf(action);
  if (reach === 'any') return patterns.length > 0;
  const named = reach === 'self' ? targets.self : reach === 'admin' ? targets.admins : [];
  return patterns.some((p) => named.some((arn) => matchesIamPattern(p, arn, false)));
}

/** An explicit Deny of the action on every resource, with no condition: nothing can grant it back. */
function deniedEverywhere(statements: readonly HeldStatement[], action: string): boolean {
  return statements.some(
    ({ statement: st }) =>
      st.Condition === undefined &&
      st.NotResource === undefined &&
      allowsAction(st, action) &&
      strings(st.Resource).some((p) => coversEvery(p, action)),
  );
}

/**
 * The escalation paths the statements hold. Allow statements count whatever their Condition (as in the
 * access review: a conditional grant is still a grant; `conditional` records it); a Deny removes an action
 * only when it is unconditional and covers every resource of the action (a narrower or conditional Deny
 * leaves the rest allowed).
 */
export function heldPaths(
  allows: readonly HeldStatement[],
  denies: readonly HeldStatement[],
  targets: Targets,
): HeldPath[] {
  const grants = new Map<string, ActionGrant | null>();
  const grantOf = (action: string): ActionGrant | null => {
    const known = grants.get(action);
    if (known !== undefined) return known;
    const granting = deniedEverywhere(denies, action)
      ? []
      : allows.filter(({ statement: st }) => allowsAction(st, action) && reaches(st, action, targets));
    const grant =
      granting.length === 0
        ? null
        : {
            action,
            grantedBy: [...new Set(granting.map((g) => g.policy))],
            conditional: granting.every((g) => g.statement.Condition !== undefined),
          };
    grants.set(action, grant);
    return grant;
  };
  const held: HeldPath[] = [];
  for (const path of ESCALATION_PATHS) {
    const actions = path.actions.map(grantOf);
    if (actions.every((a): a is ActionGrant => a !== null))
      held.push({ path: path.id, how: path.how, source: path.source, actions });
  }
  return held;
}

/** The statements of a document, split by effect and labelled with the policy. */
export function labelled(doc: Json, policy: string): { allows: HeldStatement[]; denies: HeldStatement[] } {
  return {
    allows: statementsOf(doc, 'Allow').map((statement) => ({ policy, statement })),
    denies: statementsOf(doc, 'Deny').map((statement) => ({ policy, statement })),
  };
}

/**
 * The escalating statements of the AWS managed policies known by name (AWS managed policies are not
 * fetched), from the AWS Managed Policy Reference; only the statements that matter here are kept.
 * AdministratorAccess is admin (see `awsManagedVerdict`) and needs no entry.
 */
export const KNOWN_AWS_MANAGED_STATEMENTS: Readonly<Record<string, Json>> = {
  IAMFullAccess: { Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] },
  PowerUserAccess: {
    Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
  },
  AWSLambda_FullAccess: {
    Statement: [
      { Effect: 'Allow', Action: 'lambda:*', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      },
    ],
  },
};

/** The escalating statements of an AWS managed policy known by name; undefined for the others. */
export function awsManagedDocument(arn: string): Json | undefined {
  if (!AWS_MANAGED.test(arn)) return undefined;
  return KNOWN_AWS_MANAGED_STATEMENTS[arn.slice(arn.lastIndexOf('/') + 1)];
}

/** Services a role's trust policy lets assume it (`lambda.amazonaws.com`...). */
export function trustedServices(trust: Json): string[] {
  const out = new Set<string>();
  for (const st of statementsOf(trust, 'Allow')) {
    if (!st.Principal || typeof st.Principal !== 'object') continue;
    for (const s of list((st.Principal as Json).Service)) out.add(String(s));
  }
  return [...out].sort();
}
