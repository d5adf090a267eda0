import {
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type IpPermission,
  type NetworkInterface,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import {
  assessNetworkExposure,
  classifyRule,
  networkExposure,
} from '../../../lambdas/collectors/network-exposure/collector';
import {
  attachmentsByGroup,
  classifyInterface,
  groupFacts,
  worldRule,
  type WorldRule,
} from '../../../lambdas/collectors/network-exposure/security-groups';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { collectorSettings, ConfigError, parseConfig } from '../../../lib/config';
import { runInTempDir } from '../../helpers/run';

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());

const ACCOUNT = '123456789012';
const ADMIN = DEFAULT_SETTINGS.adminPorts;
const WEB = DEFAULT_SETTINGS.publicWebPorts;

const tcp = (from: number, to = from, cidr = '0.0.0.0/0'): IpPermission => ({
  IpProtocol: 'tcp',
  FromPort: from,
  ToPort: to,
  IpRanges: [{ CidrIp: cidr }],
});
const sg = (id: string, ...rules: IpPermission[]): SecurityGroup => ({
  GroupId: id,
  GroupName: `name-${id}`,
  OwnerId: ACCOUNT,
  VpcId: 'vpc-0example',
  IpPermissions: rules,
});
const eni = (id: string, groups: string[], extra: Partial<NetworkInterface> = {}): NetworkInterface => ({
  NetworkInterfaceId: id,
  Groups: groups.map((GroupId) => ({ GroupId })),
  InterfaceType: 'interface',
  ...extra,
});
const instanceEni = (id: string, groups: string[]) =>
  eni(id, groups, { Attachment: { InstanceId: `i-${id}` } });
const albEni = (id: string, groups: string[]) =>
  eni(id, groups, { Description: 'ELB app/web/0123456789abcdef', RequesterId: 'amazon-elb' });

function assess(groups: SecurityGroup[], interfaces: NetworkInterface[] | 'unknown', region = 'us-east-1') {
  const attachments = interfaces === 'unknown' ? 'unknown' : attachmentsByGroup(interfaces);
  return assessNetworkExposure(
    { groups: groups.map((g) => groupFacts(region, g, attachments)) },
    DEFAULT_SETTINGS,
  );
}

describe('worldRule', () => {
  it.each<[string, IpPermission, Partial<WorldRule> | undefined]>([
    ['IPv4 0.0.0.0/0', tcp(22), { protocol: 'tcp', fromPort: 22, toPort: 22, sources: ['0.0.0.0/0'] }],
    [
      'IPv6 ::/0',
      { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      { sources: ['::/0'] },
    ],
    [
      'both families in one permission',
      { ...tcp(443), Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      { sources: ['0.0.0.0/0', '::/0'] },
    ],
    ['a private range', tcp(22, 22, '10.0.0.0/8'), undefined],
    ['a single host', tcp(22, 22, '203.0.113.10/32'), undefined],
    [
      'another security group',
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        UserIdGroupPairs: [{ GroupId: 'sg-0app', UserId: ACCOUNT }],
      },
      undefined,
    ],
    [
      'a prefix list',
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: 'pl-0example' }] },
      undefined,
    ],
    ['all traffic', { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }, { protocol: 'all' }],
    [
      'ICMP (type and code are not ports)',
      { IpProtocol: 'icmp', FromPort: 8, ToPort: 0, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      { protocol: 'icmp' },
    ],
    ['protocol number 6 as tcp', { ...tcp(22), IpProtocol: '6' }, { protocol: 'tcp', fromPort: 22 }],
  ])('%s', (_label, permission, expected) => {
    const rule = worldRule(permission);
    if (expected === undefined) expect(rule).toBeUndefined();
    else expect(rule).toMatchObject(expected);
    if (rule && rule.protocol !== 'tcp') expect(rule).not.toHaveProperty('fromPort');
  });
});

describe('classifyRule', () => {
  const rule = (protocol: string, fromPort?: number, toPort = fromPort): WorldRule => ({
    protocol,
    ...(fromPort === undefined ? {} : { fromPort, toPort }),
    sources: ['0.0.0.0/0'],
  });
  it.each<[string, WorldRule, string, readonly number[] | null]>([
    ['ssh', rule('tcp', 22), 'admin', [22]],
    ['rdp', rule('tcp', 3389), 'admin', [3389]],
    ['postgres', rule('tcp', 5432), 'admin', [5432]],
    ['rdp over udp', rule('udp', 3389), 'admin', [3389]],
    ['a range covering ssh (20-30)', rule('tcp', 20, 30), 'admin', [22]],
    ['every tcp port (0-65535)', rule('tcp', 0, 65535), 'admin', ADMIN],
    ['all protocols (-1)', rule('all'), 'admin', ADMIN],
    ['https', rule('tcp', 443), 'web', null],
    ['http', rule('tcp', 80), 'web', null],
    ['80-443 opens more than web ports', rule('tcp', 80, 443), 'other', null],
    ['8080', rule('tcp', 8080), 'other', null],
    ['a range just past ssh (23-25)', rule('tcp', 23, 25), 'other', null],
    ['icmp', rule('icmp'), 'other', null],
  ])('%s → %s', (_label, r, kind, ports) => {
    const cls = classifyRule(r, ADMIN, WEB);
    expect(cls.kind).toBe(kind);
    if (ports) expect(cls).toMatchObject({ adminPorts: ports });
    else expect(cls).not.toHaveProperty('adminPorts');
  });

  it('judges by the configured lists', () => {
    expect(classifyRule(rule('tcp', 22), [2222], WEB).kind).toBe('other');
    expect(classifyRule(rule('tcp', 2222), [2222], WEB).kind).toBe('admin');
    expect(classifyRule(rule('tcp', 8443), ADMIN, [8443]).kind).toBe('web');
  });
});

describe('classifyInterface', () => {
  it.each<[string, NetworkInterface, string]>([
    ['an instance', instanceEni('a', []), 'instance'],
    ['an application load balancer', albEni('b', []), 'load-balancer'],
    ['a classic load balancer', eni('c', [], { Description: 'ELB my-classic' }), 'load-balancer'],
    [
      'a network load balancer',
      eni('d', [], { InterfaceType: 'network_load_balancer', Description: 'ELB net/x/y' }),
      'load-balancer',
    ],
    ['an RDS instance (requester)', eni('e', [], { RequesterId: 'amazon-rds' }), 'database'],
    ['an RDS instance (description)', eni('f', [], { Description: 'RDSNetworkInterface' }), 'database'],
    [
      'a Lambda function',
      eni('g', [], { InterfaceType: 'lambda', Description: 'AWS Lambda VPC ENI-fn' }),
      'other',
    ],
  ])('%s', (_label, i, kind) => {
    expect(classifyInterface(i).kind).toBe(kind);
  });

  it('keeps whether a public address exists, not the address', () => {
    const a = classifyInterface(eni('h', [], { Association: { PublicIp: '198.51.100.7' } }));
    expect(a.publicIp).toBe(true);
    expect(JSON.stringify(a)).not.toContain('198.51.100.7');
  });
});

describe('assessNetworkExposure', () => {
  it('fails SSH open to the world (IPv4) on an instance, with the instance named', () => {
    const { findings } = assess([sg('sg-1', tcp(22))], [instanceEni('eni-1', ['sg-1'])]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-1`,
      check: 'admin-port-open-to-world',
      status: 'FAIL',
      detail: {
        region: 'us-east-1',
        rule: { protocol: 'tcp', ports: '22', sources: ['0.0.0.0/0'] },
        adminPortsExposed: [22],
        attachedTo: ['instance'],
        attachmentCount: 1,
        attachments: [{ networkInterfaceId: 'eni-1', kind: 'instance', instanceId: 'i-eni-1' }],
      },
    });
  });

  it("builds the group ARN in the region's partition", () => {
    const { findings } = assess([sg('sg-1', tcp(22))], [instanceEni('eni-1', ['sg-1'])], 'cn-north-1');
    expect(findings[0]!.resource).toBe(`arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:security-group/sg-1`);
  });

  it('fails RDP open to the world over IPv6 on a database', () => {
    const g = sg('sg-2', {
      IpProtocol: 'tcp',
      FromPort: 3389,
      ToPort: 3389,
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
    });
    const { findings } = assess([g], [eni('eni-2', ['sg-2'], { RequesterId: 'amazon-rds' })]);
    expect(findings.map((f) => [f.check, f.status, f.detail.attachedTo])).toEqual([
      ['admin-port-open-to-world', 'FAIL', ['database']],
    ]);
  });

  it.each([
    ['0-65535', tcp(0, 65535), 'all'],
    ['20-30', tcp(20, 30), '20-30'],
  ])('fails a port range covering an admin port (%s)', (_label, rule, ports) => {
    const { findings } = assess([sg('sg-3', rule)], [instanceEni('eni-3', ['sg-3'])]);
    expect(findings[0]).toMatchObject({ status: 'FAIL', detail: { rule: { ports } } });
  });

  it('passes a load balancer with 443 and 80 open to the world', () => {
    const { findings } = assess(
      [sg('sg-lb', tcp(443), tcp(80))],
      [albEni('eni-a', ['sg-lb']), albEni('eni-b', ['sg-lb'])],
    );
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ['web-port-open-to-world', 'PASS'],
      ['web-port-open-to-world', 'PASS'],
    ]);
    expect(findings[0]!.detail.attachmentCount).toBe(2);
  });

  it('warns when web ports open to the world reach an instance directly', () => {
    const { findings } = assess(
      [sg('sg-web', tcp(443))],
      [albEni('eni-a', ['sg-web']), instanceEni('eni-i', ['sg-web'])],
    );
    expect(findings[0]).toMatchObject({
      status: 'WARN',
      detail: { attachedTo: ['instance', 'load-balancer'] },
    });
  });

  it('warns on other ports open to the world', () => {
    const { findings } = assess([sg('sg-4', tcp(8080))], [instanceEni('eni-4', ['sg-4'])]);
    expect(findings[0]).toMatchObject({ check: 'port-open-to-world', status: 'WARN' });
  });

  it('passes a group whose rules reference another group or a private range', () => {
    const g = sg(
      'sg-db',
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-app' }] },
      tcp(22, 22, '10.0.0.0/8'),
    );
    const { findings, figures } = assess([g], [eni('eni-db', ['sg-db'], { RequesterId: 'amazon-rds' })]);
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'no-world-ingress',
        status: 'PASS',
        detail: expect.objectContaining({ inboundRules: 2 }),
      }),
    ]);
    expect(figures).toMatchObject({ worldOpenGroups: 0, worldOpenRules: 0, exposedAttachments: 0 });
  });

  it('reports an unattached world-open group as latent: WARN with admin ports, INFO otherwise', () => {
    const { findings, figures } = assess([sg('sg-idle-ssh', tcp(22)), sg('sg-idle-web', tcp(8080))], []);
    expect(findings.map((f) => [f.resource.split('/')[1], f.check, f.status])).toEqual([
      ['sg-idle-ssh', 'unattached-group-open-to-world', 'WARN'],
      ['sg-idle-web', 'unattached-group-open-to-world', 'INFO'],
    ]);
    expect(findings[0]!.detail.reason).toContain('as soon as it is attached');
    expect(figures).toMatchObject({
      unattachedWorldOpenGroups: 2,
      exposedAttachments: 0,
      worldOpenGroups: 2,
    });
  });

  it('judges conservatively when attachments are unknown: admin ports fail, web ports cannot pass', () => {
    const { findings } = assess([sg('sg-5', tcp(22), tcp(443))], 'unknown');
    expect(findings.map((f) => [f.check, f.status, f.detail.attachments])).toEqual([
      ['admin-port-open-to-world', 'FAIL', 'unknown'],
      ['web-port-open-to-world', 'WARN', 'unknown'],
    ]);
  });

  it('counts groups, world-open rules and exposed attachments', () => {
    const { figures } = assess(
      [sg('sg-1', tcp(22), tcp(3306)), sg('sg-lb', tcp(443)), sg('sg-private', tcp(22, 22, '10.0.0.0/8'))],
      [instanceEni('eni-1', ['sg-1', 'sg-lb']), albEni('eni-2', ['sg-lb'])],
    );
    expect(figures).toEqual({
      securityGroups: 3,
      worldOpenGroups: 2,
      worldOpenRules: 3,
      exposedAttachments: 2,
      unattachedWorldOpenGroups: 0,
    });
  });
});

describe('network-exposure collector end to end', () => {
  async function regionOf(getClient: () => EC2Client): Promise<string> {
    return getClient().config.region();
  }

  it('reads every page, keeps the rule set raw, and keeps one region when another is denied (FAIL, incomplete)', async () => {
    ec2.on(DescribeSecurityGroupsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      if ((await regionOf(getClient)) === 'eu-west-1')
        throw Object.assign(new Error('not authorized to perform ec2:DescribeSecurityGroups'), {
          name: 'UnauthorizedOperation',
        });
      return input.NextToken
        ? { SecurityGroups: [sg('sg-lb', tcp(443))] }
        : { SecurityGroups: [sg('sg-ssh', tcp(22))], NextToken: 'sg-page-2' };
    });
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [instanceEni('eni-1', ['sg-ssh'])], NextToken: 'eni-page-2' })
      .resolvesOnce({ NetworkInterfaces: [albEni('eni-2', ['sg-lb'])] });

    const { written, sourceObjects } = await runInTempDir(networkExposure, {
      regions: ['us-east-1', 'eu-west-1'],
    });

    expect(written).toMatchObject({
      region: 'multi-region',
      regions: ['us-east-1', 'eu-west-1'],
      controls: ['CC6.1', 'CC6.6'],
    });
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false, failed: 1, passed: 1 });
    expect(written.errors).toEqual([
      {
        region: 'eu-west-1',
        api: 'ec2:DescribeSecurityGroups',
        code: 'UnauthorizedOperation',
        message: 'not authorized to perform ec2:DescribeSecurityGroups',
      },
    ]);
    expect(written.findings.map((f) => [f.detail.region, f.check, f.status])).toEqual([
      ['us-east-1', 'admin-port-open-to-world', 'FAIL'],
      ['us-east-1', 'web-port-open-to-world', 'PASS'],
    ]);
    const sgCalls = ec2.commandCalls(DescribeSecurityGroupsCommand).map((c) => c.args[0].input);
    expect(sgCalls).toContainEqual({ MaxResults: 1000, NextToken: 'sg-page-2' });
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[1]!.args[0].input).toEqual({
      MaxResults: 1000,
      NextToken: 'eni-page-2',
    });

    expect(written.sources).toEqual([
      expect.objectContaining({ name: 'security-groups.json', api: 'ec2:DescribeSecurityGroups' }),
    ]);
    const raw = JSON.parse(readFileSync(sourceObjects[0]!.location, 'utf8')) as {
      securityGroupsByRegion: Record<string, SecurityGroup[]>;
    };
    expect(Object.keys(raw.securityGroupsByRegion)).toEqual(['us-east-1']);
    expect(raw.securityGroupsByRegion['us-east-1']!.map((g) => g.GroupId)).toEqual(['sg-ssh', 'sg-lb']);
    expect(written.summary.figures).toMatchObject({
      securityGroups: 2,
      worldOpenRules: 2,
      exposedAttachments: 2,
    });
  });

  it('records a denied interface listing and still judges the rules', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [sg('sg-ssh', tcp(22))] });
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    const { written } = await runInTempDir(networkExposure);
    expect(written.summary).toMatchObject({ status: 'FAIL', complete: false });
    expect(written.errors).toEqual([
      {
        region: 'us-east-1',
        api: 'ec2:DescribeNetworkInterfaces',
        code: 'UnauthorizedOperation',
        message: 'denied',
      },
    ]);
    expect(written.findings[0]).toMatchObject({ status: 'FAIL', detail: { attachments: 'unknown' } });
  });

  it('does not list interfaces in a region without world-open groups, and passes it', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [sg('sg-private', tcp(22, 22, '10.0.0.0/8'))] });
    const { written } = await runInTempDir(networkExposure);
    expect(written.summary).toMatchObject({ status: 'PASS', passed: 1 });
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(0);
    expect(written.policy).toMatchObject({ adminPorts: ADMIN, publicWebPorts: WEB });
  });

  it('writes an ERROR envelope when no region can be read', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    const { written } = await runInTempDir(networkExposure);
    expect(written.summary.status).toBe('ERROR');
    expect(written.sources).toEqual([]);
  });
});

describe('configuration (adminPorts, publicWebPorts)', () => {
  function problems(raw: unknown): readonly string[] {
    try {
      parseConfig(raw);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  }

  it('defaults to the documented lists and passes them to the collectors', () => {
    const config = parseConfig({});
    expect(collectorSettings(config)).toMatchObject({
      adminPorts: [22, 3389, 3306, 5432, 1433, 27017, 6379, 9200],
      publicWebPorts: [80, 443],
    });
    expect(collectorSettings(parseConfig({ adminPorts: [2222], publicWebPorts: [8443] }))).toMatchObject({
      adminPorts: [2222],
      publicWebPorts: [8443],
    });
  });

  it.each([
    [{ adminPorts: [22, 70000] }, 'soc2Evidence.adminPorts[1] must be an integer from 0 to 65535, got 70000'],
    [
      { publicWebPorts: '443' },
      'soc2Evidence.publicWebPorts must be a list of port numbers from 0 to 65535 without duplicates, such as [22, 3389], got "443"',
    ],
    [
      { adminPorts: [22, 22] },
      'soc2Evidence.adminPorts must be a list of port numbers from 0 to 65535 without duplicates, such as [22, 3389], got [22,22]',
    ],
  ])('rejects %j', (raw, message) => {
    expect(problems(raw)).toEqual([message]);
  });
});
