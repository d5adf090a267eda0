import { Template } from 'aws-cdk-lib/assertions';
import { accessReview } from '../../lambdas/collectors/access-review/collector';
import { COLLECTORS, PRODUCER_IDS } from '../../lambdas/collectors/registry';
import {
  ACCOUNT_RUN_SOURCE,
  ACCOUNTS_PRODUCER,
  DEFAULT_MAX_CONCURRENCY,
  hubCollectorRoleName,
  IDENTITY_CENTER_IAM_ACTIONS,
  LIST_ACCOUNTS_SOURCE,
  MEMBER_ROLE_ENV,
  ORGANIZATION_ENV,
  ORGANIZATION_REVIEW_SOURCE,
  ORGANIZATIONS_IAM_ACTIONS,
  parseAccountRunEvent,
} from '../../lambdas/organization/contract';
import { CAUGHT_PATH, FAN_OUT_STATES, RETRIED_LAMBDA_ERRORS } from '../../lib/organization/fan-out';
import {
  HUB_ACCOUNT_PARAMETER,
  memberReadActions,
  type Soc2EvidenceMemberStack,
} from '../../lib/organization/member-stack';
import { BASE_CONFIG, synth } from './stack-fixture';

const ORG = {
  id: 'o-a1b2c3d4e5',
  organizationalUnits: ['ou-a1b2-c3d4e5f6', 'r-a1b2'],
  excludeAccounts: ['222222222222'],
  maxConcurrency: 25,
  identityCenterRegion: 'us-east-1',
};
// With CloudFormation's template validation, strictly (stack-fixture.ts): the StackSet and state machines too.
const { app, stack, template } = synth({ ...BASE_CONFIG, organization: ORG }, { validate: true });
// Organization mode adds the member stack to the app, for the management account.
const member = app.node.findChild('Soc2Evidence-member') as Soc2EvidenceMemberStack;
const memberTemplate = Template.fromStack(member);
const resources = template.toJSON().Resources as Record<string, Resource>;
const memberResources = memberTemplate.toJSON().Resources as Record<string, Resource>;

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

/** The Allow statements of every identity policy of a role (inline in the role and attached AWS::IAM::Policy). */
function roleAllows(roleId: string): Statement[] {
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const inline = (
    (resources[roleId]!.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
  ).flatMap((p) => p.PolicyDocument.Statement);
  return [...attached, ...inline].filter((s) => s.Effect === 'Allow');
}

/** A state machine's definition as Step Functions reads it, each function ARN as `arn:<logical id>`. */
function definitionOf(stateMachineId: string): Asl {
  const body = resources[stateMachineId]!.Properties.DefinitionString as {
    'Fn::Join': [string, (string | { 'Fn::GetAtt': [string, string] })[]];
  };
  const [sep, parts] = body['Fn::Join'];
  return JSON.parse(
    parts.map((p) => (typeof p === 'string' ? p : `arn:${p['Fn::GetAtt'][0]}`)).join(sep),
  ) as Asl;
}
interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ItemSelector?: Record<string, unknown>;
  ItemsPath?: string;
  ItemProcessor?: Asl & { ProcessorConfig: Record<string, string> };
  MaxConcurrency?: number;
  ToleratedFailurePercentage?: number;
  ResultPath?: string | null;
  OutputPath?: string | null;
  Next?: string;
  End?: boolean;
  Retry?: { ErrorEquals: string[]; MaxAttempts: number; BackoffRate: number; IntervalSeconds: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath: string; Next: string }[];
}
interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

/**
 * Step Functions' JSONPath parameters, as far as these definitions use them: a key ending in `.$` takes the
 * value at `$.a.b` (the state's input) or `$$.a.b` (the context object); anything else is copied.
 */
function evaluate(params: unknown, input: unknown, context: unknown): unknown {
  if (Array.isArray(params)) return params.map((p) => evaluate(p, input, context));
  if (params === null || typeof params !== 'object') return params;
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => {
      if (!k.endsWith('.$')) return [k, evaluate(v, input, context)];
      const path = v as string;
      const [root, rest] = path.startsWith('$$.') ? [context, path.slice(3)] : [input, path.slice(2)];
      const value = rest.split('.').reduce<unknown>((o, key) => {
        if (o === null || typeof o !== 'object' || !(key in o)) throw new Error(`${path} is absent`);
        return (o as Record<string, unknown>)[key];
      }, root);
      return [k.slice(0, -2), value];
    }),
  );
}
/** ResultPath `$.x`: the input with the result at x. */
function withResult(input: Record<string, unknown>, resultPath: string, result: unknown) {
  return { ...input, [resultPath.slice(2)]: result };
}

const STACK = 'Soc2Evidence';
const deployed = COLLECTORS; // every collector has a schedule entry (defaults filled), so each is deployed
const stateMachines = ofType('AWS::StepFunctions::StateMachine');
const stateMachineOf = (collectorId: string) =>
  stateMachines.find(([, r]) => r.Properties.StateMachineName === `${STACK}-${collectorId}`)!;
const accountsFunctionId = logicalIdOf(stack.organization!.accounts.function);

describe('organization mode: the hub', () => {
  it('has one STANDARD state machine per deployed collector, logging everything to its own log group', () => {
    expect(stateMachines.map(([, r]) => r.Properties.StateMachineName).sort()).toEqual(
      deployed.map((c) => `${STACK}-${c.id}`).sort(),
    );
    for (const [, r] of stateMachines) {
      expect(r.Properties.StateMachineType).toBe('STANDARD');
      expect(r.Properties.LoggingConfiguration).toEqual({
        Destinations: [
          { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
        ],
        IncludeExecutionData: true,
        Level: 'ALL',
      });
    }
  });

  describe.each(deployed.map((c) => [c.id]))('the %s state machine', (collectorId) => {
    const [smId] = stateMachineOf(collectorId);
    const asl = definitionOf(smId);
    const collectorFunctionId = logicalIdOf(stack.collectors[collectorId]!.function);
    const map = asl.States[FAN_OUT_STATES.map]!;
    const items = map.ItemProcessor!;

    it('lists the accounts, then runs a Distributed Map over them at the configured concurrency', () => {
      expect(asl.StartAt).toBe(FAN_OUT_STATES.listAccounts);
      const list = asl.States[FAN_OUT_STATES.listAccounts]!;
      expect(list).toMatchObject({
        Type: 'Task',
        Resource: `arn:${accountsFunctionId}`,
        Next: FAN_OUT_STATES.map,
        Parameters: {
          source: LIST_ACCOUNTS_SOURCE,
          collector: collectorId,
          'execution.$': '$$.Execution.Id',
        },
      });
      expect(list.ResultPath).toBeUndefined(); // the state becomes { accounts, listKey }
      expect(map).toMatchObject({
        Type: 'Map',
        ItemsPath: '$.accounts',
        MaxConcurrency: ORG.maxConcurrency,
        ToleratedFailurePercentage: 100,
        ResultPath: null,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      });
      expect(map.ItemSelector).toEqual({
        source: ACCOUNT_RUN_SOURCE,
        collector: collectorId,
        'account.$': '$$.Map.Item.Value',
        'execution.$': '$$.Execution.Id',
      });
    });

    it('retries every Task on Lambda errors, and catches RunCollector into RecordFailure', () => {
      const tasks = Object.entries({ ...asl.States, ...items.States }).filter(([, s]) => s.Type === 'Task');
      expect(tasks.length).toBeGreaterThanOrEqual(3);
      for (const [name, task] of tasks) {
        expect({ name, retry: task.Retry }).toEqual({
          name,
          retry: [expect.objectContaining({ ErrorEquals: [...RETRIED_LAMBDA_ERRORS], BackoffRate: 2 })],
        });
        expect(task.Retry![0]!.MaxAttempts).toBeGreaterThanOrEqual(3);
      }
      expect(items.StartAt).toBe(FAN_OUT_STATES.runCollector);
      expect(Object.keys(items.States).sort()).toEqual(
        [FAN_OUT_STATES.recordFailure, FAN_OUT_STATES.runCollector].sort(),
      );
      for (const [name, task] of Object.entries(items.States)) {
        expect({ name, resource: task.Resource }).toEqual({ name, resource: `arn:${collectorFunctionId}` });
        // Nothing of the result is kept, and the item's output is empty: the Map's results stay small.
        expect([task.ResultPath, task.OutputPath]).toEqual([null, null]);
      }
      // Every task of the item processor but RecordFailure itself falls back to RecordFailure.
      for (const [name, task] of Object.entries(items.States).filter(
        ([n]) => n !== FAN_OUT_STATES.recordFailure,
      ))
        expect({ name, catch: task.Catch }).toEqual({
          name,
          catch: [
            { ErrorEquals: ['States.ALL'], ResultPath: CAUGHT_PATH, Next: FAN_OUT_STATES.recordFailure },
          ],
        });
      expect(items.States[FAN_OUT_STATES.recordFailure]!.End).toBe(true);
    });

    it('walks an account: a run that fails is recorded by the same function, with the error and the account', () => {
      const context = {
        Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:sm:run-1' },
        Map: { Item: { Value: '111111111111' } },
      };
      const list = asl.States[FAN_OUT_STATES.listAccounts]!;
      expect(evaluate(list.Parameters, { collector: collectorId }, context)).toEqual({
        source: LIST_ACCOUNTS_SOURCE,
        collector: collectorId,
        execution: context.Execution.Id,
      });
      // The Map's ItemSelector builds the item; RunCollector sends it as the AccountRunEvent.
      const item = evaluate(
        map.ItemSelector,
        { accounts: ['111111111111'], listKey: 'k' },
        context,
      ) as Record<string, unknown>;
      const run = items.States[FAN_OUT_STATES.runCollector]!;
      const runEvent = evaluate(run.Parameters, item, {});
      expect(parseAccountRunEvent(runEvent)).toEqual({
        source: ACCOUNT_RUN_SOURCE,
        collector: collectorId,
        account: '111111111111',
        execution: context.Execution.Id,
      });
      // The run times out: Step Functions puts { Error, Cause } at the Catch's ResultPath.
      const caught = withResult(item, run.Catch![0]!.ResultPath, {
        Error: 'States.Timeout',
        Cause: 'Task timed out after 600.00 seconds',
      });
      const record = items.States[run.Catch![0]!.Next]!;
      expect(parseAccountRunEvent(evaluate(record.Parameters, caught, {}))).toEqual({
        source: ACCOUNT_RUN_SOURCE,
        collector: collectorId,
        account: '111111111111',
        execution: context.Execution.Id,
        failure: { error: 'States.Timeout', cause: 'Task timed out after 600.00 seconds' },
      });
    });

    const review = collectorId === accessReview.id;
    it(review ? 'ends with the organization review, after every account' : 'ends with the Map', () => {
      if (!review) {
        expect(map.End).toBe(true);
        expect(asl.States[FAN_OUT_STATES.organizationReview]).toBeUndefined();
        return;
      }
      expect(map.Next).toBe(FAN_OUT_STATES.organizationReview);
      const step = asl.States[FAN_OUT_STATES.organizationReview]!;
      expect(step).toMatchObject({ Type: 'Task', Resource: `arn:${collectorFunctionId}`, End: true });
      const context = { Execution: { Id: 'run-2' } };
      expect(
        evaluate(step.Parameters, { accounts: ['111111111111', '333333333333'], listKey: 'k' }, context),
      ).toEqual({
        source: ORGANIZATION_REVIEW_SOURCE,
        execution: 'run-2',
        accounts: ['111111111111', '333333333333'],
        // The signed list the review reads its accounts from (the event's own list is only a cross-check).
        listKey: 'k',
      });
    });

    it('is what its schedule starts, with the collector as input, retries and the dead-letter queue', () => {
      const schedules = ofType('AWS::Scheduler::Schedule').filter(
        ([, r]) =>
          JSON.stringify((r.Properties.Target as { Arn: unknown }).Arn) === JSON.stringify({ Ref: smId }),
      );
      expect(schedules).toHaveLength(1);
      expect(schedules[0]![1].Properties.Target).toMatchObject({
        Input: JSON.stringify({ collector: collectorId }),
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^ScheduleDeadLetters/), 'Arn'] } },
      });
    });

    it('alarms when an execution fails, times out or is aborted', () => {
      const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, r]) =>
        JSON.stringify(r.Properties.Metrics ?? []).includes(`"${smId}"`),
      );
      expect(alarms).toHaveLength(1);
      const metrics = (
        alarms[0]![1].Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[]
      )
        .flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []))
        .sort();
      expect(metrics).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
      expect(alarms[0]![1].Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
    });
  });

  it('no schedule invokes a collector function directly any more', () => {
    const collectorFunctions = Object.values(stack.collectors).map((c) => logicalIdOf(c.function));
    for (const [, r] of ofType('AWS::Scheduler::Schedule')) {
      const arn = JSON.stringify((r.Properties.Target as { Arn: unknown }).Arn);
      for (const id of collectorFunctions) expect(arn).not.toContain(`"${id}"`);
    }
  });

  describe.each(deployed.map((c) => [c.id]))('the %s collector role', (collectorId) => {
    const collector = stack.collectors[collectorId]!;
    const roleId = logicalIdOf(collector.role);

    it('has a fixed name, and reads nothing itself: it may only assume the member role in the organization', () => {
      expect(resources[roleId]!.Properties.RoleName).toBe(hubCollectorRoleName(STACK, collectorId));
      const allows = roleAllows(roleId);
      const assume = allows.filter((s) => actionsOf(s).includes('sts:AssumeRole'));
      expect(assume).toEqual([
        expect.objectContaining({
          Action: 'sts:AssumeRole',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/soc2-evidence-member']],
          },
          Condition: { StringEquals: { 'aws:ResourceOrgID': ORG.id } },
        }),
      ]);
      const actions = new Set(allows.flatMap(actionsOf));
      for (const read of COLLECTORS.flatMap((c) => [...c.iamActions]))
        expect({ read, granted: actions.has(read) }).toEqual({ read, granted: false });
      const expected = [
        'kms:Sign',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:PutObject',
        'sts:AssumeRole',
      ];
      if (collectorId === accessReview.id)
        expected.push('s3:GetObject', 's3:ListBucket', 'ses:SendEmail', ...IDENTITY_CENTER_IAM_ACTIONS);
      expect([...actions].sort()).toEqual(expected.sort());
    });

    it('tells its function the member role', () => {
      const env = (
        resources[logicalIdOf(collector.function)]!.Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(env[MEMBER_ROLE_ENV]).toBe('soc2-evidence-member');
      expect(env[ORGANIZATION_ENV] !== undefined).toBe(collectorId === accessReview.id);
    });
  });

  describe('the organization-accounts function', () => {
    const accounts = stack.organization!.accounts;
    const fn = resources[accountsFunctionId]!.Properties;

    it('is named after the stack, and receives the organization settings', () => {
      expect(fn.FunctionName).toBe(`${STACK}-${ACCOUNTS_PRODUCER}`);
      const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.parse(env[ORGANIZATION_ENV] as string)).toEqual({
        id: ORG.id,
        organizationalUnits: ORG.organizationalUnits,
        excludeAccounts: ORG.excludeAccounts,
        memberRoleName: 'soc2-evidence-member',
        identityCenterRegion: 'us-east-1',
      });
    });

    it('may read exactly ORGANIZATIONS_IAM_ACTIONS, write its own kind and sign with its own key', () => {
      const allows = roleAllows(logicalIdOf(accounts.role));
      const reads = allows.filter((s) => s.Resource === '*');
      expect(reads).toHaveLength(1);
      expect([...actionsOf(reads[0]!)].sort()).toEqual([...ORGANIZATIONS_IAM_ACTIONS].sort());
      expect([...new Set(allows.flatMap(actionsOf))].sort()).toEqual(
        [
          'kms:Sign',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          's3:PutObject',
          ...ORGANIZATIONS_IAM_ACTIONS,
        ].sort(),
      );
      const put = allows.find((s) => actionsOf(s).includes('s3:PutObject'))!;
      expect(JSON.stringify(put.Resource)).toContain(`/evidence/????/??/??/${ACCOUNTS_PRODUCER}/*`);
      // Every registry producer is deployed in organization mode, each with its own key.
      expect([...stack.signing.producers].sort()).toEqual([...PRODUCER_IDS].sort());
      expect(stack.signing.producers).toContain(ACCOUNTS_PRODUCER);
    });
  });

  it("lets the access review read Identity Center and the accounts' frozen populations, nothing more of the bucket", () => {
    const allows = roleAllows(logicalIdOf(stack.collectors[accessReview.id]!.role));
    const idc = allows.find((s) => actionsOf(s).includes('sso:ListInstances'))!;
    expect(idc.Resource).toBe('*');
    expect([...actionsOf(idc)].sort()).toEqual([...IDENTITY_CENTER_IAM_ACTIONS].sort());
    const list = allows.find(
      (s) =>
        actionsOf(s).includes('s3:ListBucket') && JSON.stringify(s.Condition).includes('/access-review/'),
    )!;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['evidence/????/??/??/access-review/*'] } });
    const get = allows
      .filter((s) => actionsOf(s).includes('s3:GetObject'))
      .map((s) => JSON.stringify(s.Resource));
    expect(get.some((r) => r.includes('/evidence/????/??/??/access-review/*'))).toBe(true);
    for (const r of get) expect(r).toMatch(/\/evidence\/\?{4}\/\?{2}\/\?{2}\/access-review(-email)?\/\*/);
  });

  it('alarms on any Lambda throttle in the account and region (a throttled item may leave an account without evidence)', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Record<string, unknown>);
    const throttled = alarms.find((a) => a.AlarmName === `${STACK}-lambda-throttled`);
    expect(throttled).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(throttled!.Dimensions).toBeUndefined();
  });

  it('watches the fan-out state machines and the member StackSet for tampering (who decides which accounts are read)', () => {
    const rules = ofType('AWS::Events::Rule').map(
      ([, r]) => r.Properties as { Name?: string; EventPattern: { detail: Record<string, unknown> } },
    );
    const rule = (name: string) => rules.find((r) => r.Name === `${STACK}-tamper-${name}`)!;
    expect(rule('state-machines').EventPattern.detail).toMatchObject({
      eventSource: ['states.amazonaws.com'],
      eventName: ['DeleteStateMachine', 'UpdateStateMachine'],
    });
    expect(JSON.stringify(rule('state-machines').EventPattern.detail.requestParameters)).toContain(
      `:stateMachine:${STACK}-`,
    );
    expect(rule('executions').EventPattern.detail).toMatchObject({
      eventSource: ['states.amazonaws.com'],
      eventName: ['StopExecution', 'UpdateMapRun', 'UpdateStateMachineAlias'],
    });
    expect(rule('stack-set').EventPattern.detail).toMatchObject({
      eventSource: ['cloudformation.amazonaws.com'],
      eventName: expect.arrayContaining(['UpdateStackSet', 'DeleteStackInstances', 'DeleteStackSet']),
      requestParameters: { stackSetName: [{ prefix: `${STACK}-member` }] },
    });
  });

  it('deploys the member role with a service-managed, auto-deploying StackSet to the configured OUs', () => {
    const [[, set]] = ofType('AWS::CloudFormation::StackSet') as [[string, Resource]];
    expect(set.Properties).toMatchObject({
      StackSetName: `${STACK}-member`,
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ManagedExecution: { Active: true },
      OperationPreferences: {
        FailureTolerancePercentage: expect.any(Number),
        MaxConcurrentPercentage: expect.any(Number),
      },
      Parameters: [{ ParameterKey: HUB_ACCOUNT_PARAMETER, ParameterValue: { Ref: 'AWS::AccountId' } }],
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ORG.organizationalUnits,
            AccountFilterType: 'DIFFERENCE',
            Accounts: ORG.excludeAccounts,
          },
          Regions: [{ Ref: 'AWS::Region' }],
        },
      ],
    });
    // One source of truth: the StackSet deploys exactly the member stack the app synthesises.
    expect(JSON.parse(set.Properties.TemplateBody as string)).toEqual(memberTemplate.toJSON());
  });

  it('keeps every function environment within 4 KB, every reference at its longest', () => {
    const LONGEST_ARN =
      'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef'.length;
    const size = (v: unknown): number => {
      if (typeof v === 'string') return v.length;
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if ('Fn::Join' in o) {
          const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
          return parts.reduce((n: number, p) => n + size(p), 0) + sep.length * (parts.length - 1);
        }
        if ('Fn::GetAtt' in o || 'Ref' in o) return Math.max(LONGEST_ARN, 64);
        return JSON.stringify(v).length;
      }
      return String(v).length;
    };
    const sizes = ofType('AWS::Lambda::Function').map(([id, f]) => {
      const vars =
        (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      return [id, Object.entries(vars).reduce((n, [k, v]) => n + k.length + size(v), 0)] as const;
    });
    expect(sizes.length).toBeGreaterThanOrEqual(deployed.length + 5);
    for (const [id, bytes] of sizes)
      expect({ id, bytes, under: bytes <= 4096 }).toEqual({ id, bytes, under: true });
  });
});

describe('organization mode: the member stack', () => {
  const roles = Object.values(memberResources).filter((r) => r.Type === 'AWS::IAM::Role');
  const role = roles[0]!.Properties;

  it('holds one role and nothing else, named memberRoleName, with one-hour sessions', () => {
    expect(Object.values(memberResources).map((r) => r.Type)).toEqual(['AWS::IAM::Role']);
    expect(role.RoleName).toBe('soc2-evidence-member');
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it("trusts only the hub's collector roles, by ARN, in the configured organization", () => {
    const hubRole = (id: string) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: HUB_ACCOUNT_PARAMETER }, `:role/${STACK}-${id}`],
      ],
    });
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: {
            AWS: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: HUB_ACCOUNT_PARAMETER }, ':root'],
              ],
            },
          },
          Condition: {
            ArnEquals: { 'aws:PrincipalArn': deployed.map((c) => hubRole(c.id)) },
            StringEquals: { 'aws:PrincipalOrgID': ORG.id },
          },
        },
      ],
    });
    // Not the sealer, the watchdog, the organization-accounts function or any other producer of the hub.
    const trusted = JSON.stringify(role.AssumeRolePolicyDocument);
    for (const other of ['sealer', 'watchdog', ACCOUNTS_PRODUCER, 'tamper-watch', 'risk-register'])
      expect(trusted).not.toContain(`:role/${STACK}-${other}"`);
  });

  it('takes the hub account as a required 12-digit parameter', () => {
    expect(memberTemplate.toJSON().Parameters).toEqual({
      [HUB_ACCOUNT_PARAMETER]: expect.objectContaining({ Type: 'String', AllowedPattern: '^\\d{12}$' }),
    });
    expect(memberTemplate.toJSON().Parameters[HUB_ACCOUNT_PARAMETER].Default).toBeUndefined();
  });

  const statements = (role.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
  const granted = statements.flatMap(actionsOf);

  it("holds exactly the union of the deployed collectors' read actions, sorted, on *", () => {
    const union = [...new Set(deployed.flatMap((c) => [...c.iamActions]))].sort();
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Resource: '*' });
    expect(granted).toEqual(union);
    expect(memberReadActions(deployed)).toEqual(union);
    expect(new Set(granted).size).toBe(granted.length);
  });

  it('holds no action that writes: each is a read by its verb', () => {
    // The only verb outside List/Get/Describe/BatchGet/Lookup/Search: GenerateCredentialReport, which
    // asks IAM to build the account's credential report (a read of the users, no change to them).
    const READ = /^[a-z0-9-]+:(List|Get|Describe|BatchGet|Lookup|Search)[A-Za-z]*$/;
    const notReadVerbs = granted.filter((a) => !READ.test(a));
    expect(notReadVerbs).toEqual(['iam:GenerateCredentialReport']);
    for (const a of granted)
      expect(a).not.toMatch(
        /:(Put|Create|Delete|Update|Attach|Detach|Set|Tag|Untag|Modify|Enable|Disable|Start|Stop|Send|Invoke|Pass|Assume)/,
      );
  });

  it('is self-contained: no bootstrap rule, no CDK metadata, no construct paths', () => {
    const json = memberTemplate.toJSON();
    expect(json.Rules).toBeUndefined();
    expect(json.Conditions).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('aws:cdk:path');
    expect(JSON.stringify(json)).not.toContain('BootstrapVersion');
  });
});

describe('cdk-nag AwsSolutions in organization mode', () => {
  it('has no unacknowledged finding in the hub or the member stack', () => {
    const assembly = app.synth();
    for (const artifact of [stack.artifactId, member.artifactId]) {
      const findings = assembly
        .getStackArtifact(artifact)
        .messages.filter((m) => m.level !== 'info' && /AwsSolutions-/.test(String(m.entry.data)))
        .map((f) => `${f.id}: ${String(f.entry.data).split(':')[0]}`);
      expect({ artifact, findings }).toEqual({ artifact, findings: [] });
    }
  });
});

it('uses the contract default concurrency when none is configured; with the account and region the CDK CLI gives, cdk-nag still passes', () => {
  // `cdk synth` and `cdk deploy` set CDK_DEFAULT_REGION (and CDK_DEFAULT_ACCOUNT with credentials), so ARNs in
  // the policies carry a concrete region and account where the other tests see tokens: the suppressions must
  // match both (a deployer's synth once failed on the Distributed Map's execution ARNs).
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  process.env.CDK_DEFAULT_REGION = 'eu-west-1';
  process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  let s: ReturnType<typeof synth>;
  try {
    s = synth({ ...BASE_CONFIG, organization: { id: ORG.id, organizationalUnits: ['r-a1b2'] } });
  } finally {
    for (const [k, v] of [
      ['CDK_DEFAULT_REGION', saved.region],
      ['CDK_DEFAULT_ACCOUNT', saved.account],
    ] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
  expect(s.stack.region).toBe('eu-west-1');
  const nag = s.app
    .synth()
    .getStackArtifact(s.stack.artifactId)
    .messages.filter((m) => m.level !== 'info' && /AwsSolutions-/.test(String(m.entry.data)))
    .map((f) => String(f.entry.data).slice(0, 200));
  expect(nag).toEqual([]);
  const [smId] = Object.entries(s.template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
  const body = (s.template.toJSON().Resources[smId].Properties.DefinitionString['Fn::Join'][1] as unknown[])
    .map((p) => (typeof p === 'string' ? p : 'arn'))
    .join('');
  expect((JSON.parse(body) as Asl).States[FAN_OUT_STATES.map]!.MaxConcurrency).toBe(DEFAULT_MAX_CONCURRENCY);
  // Without identityCenterRegion, the access review is not given Identity Center's actions.
  expect(JSON.stringify(s.template.toJSON())).not.toContain('sso:ListInstances');
  const set = Object.values(s.template.findResources('AWS::CloudFormation::StackSet'))[0]!;
  expect(set.Properties.StackInstancesGroup[0].DeploymentTargets).toEqual({
    OrganizationalUnitIds: ['r-a1b2'],
  });
});
