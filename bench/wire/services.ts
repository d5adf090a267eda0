/**
 * The SDK clients the wire server answers for, by the service name the benchmark's API keys use (the client
 * class's name without `Client`: `S3:GetBucketEncryption`). From a key the server finds the operation schema
 * (`new <Op>Command({}).schema`) and the service's protocol (`new <Service>Client().config.protocol`).
 */
import * as AccessAnalyzer from '@aws-sdk/client-accessanalyzer';
import * as Backup from '@aws-sdk/client-backup';
import * as CloudTrail from '@aws-sdk/client-cloudtrail';
import * as CloudWatchLogs from '@aws-sdk/client-cloudwatch-logs';
import * as ConfigService from '@aws-sdk/client-config-service';
import * as DynamoDB from '@aws-sdk/client-dynamodb';
import * as EC2 from '@aws-sdk/client-ec2';
import * as ElasticLoadBalancing from '@aws-sdk/client-elastic-load-balancing';
import * as ElasticLoadBalancingV2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as GuardDuty from '@aws-sdk/client-guardduty';
import * as IAM from '@aws-sdk/client-iam';
import * as IdentityStore from '@aws-sdk/client-identitystore';
import * as Inspector2 from '@aws-sdk/client-inspector2';
import * as KMS from '@aws-sdk/client-kms';
import * as Organizations from '@aws-sdk/client-organizations';
import * as RDS from '@aws-sdk/client-rds';
import * as S3 from '@aws-sdk/client-s3';
import * as S3Control from '@aws-sdk/client-s3-control';
import * as SecretsManager from '@aws-sdk/client-secrets-manager';
import * as SecurityHub from '@aws-sdk/client-securityhub';
import * as SSOAdmin from '@aws-sdk/client-sso-admin';
import * as STS from '@aws-sdk/client-sts';
import type { ClientSettings } from '../../lambdas/aws/client-config';
import { serviceProtocol, type OperationSchema, type ServiceProtocol } from './serialize';

const MODULES: Readonly<Record<string, Record<string, unknown>>> = {
  AccessAnalyzer,
  Backup,
  CloudTrail,
  CloudWatchLogs,
  ConfigService,
  DynamoDB,
  EC2,
  ElasticLoadBalancing,
  ElasticLoadBalancingV2,
  GuardDuty,
  IAM,
  Identitystore: IdentityStore,
  Inspector2,
  KMS,
  Organizations,
  RDS,
  S3,
  S3Control,
  SecretsManager,
  SecurityHub,
  SSOAdmin,
  STS,
};

export interface ApiInfo {
  readonly service: string;
  readonly operation: string;
  readonly protocol: ServiceProtocol;
  readonly schema: OperationSchema;
}

const protocols = new Map<string, ServiceProtocol>();
const apis = new Map<string, ApiInfo>();

function moduleOf(service: string): Record<string, unknown> {
  const mod = MODULES[service];
  if (!mod) throw new Error(`the wire server knows no service ${service}`);
  return mod;
}

/** The service's protocol, read from a client of its own (constructed once, never sends anything). */
export function protocolOf(service: string): ServiceProtocol {
  let p = protocols.get(service);
  if (!p) {
    const Client = moduleOf(service)[`${service}Client`] as
      (new (c: object) => { config: { protocol: unknown }; destroy(): void }) | undefined;
    if (!Client) throw new Error(`@aws-sdk client module for ${service} has no ${service}Client`);
    const client = new Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wire-server-not-a-secret' },
    });
    p = serviceProtocol(client.config.protocol);
    client.destroy();
    protocols.set(service, p);
  }
  return p;
}

/** `Service:Operation` → its operation schema and protocol; throws for an unknown service or operation. */
export function apiInfo(api: string): ApiInfo {
  let info = apis.get(api);
  if (!info) {
    const [service, operation, extra] = api.split(':');
    if (!service || !operation || extra !== undefined)
      throw new Error(`an API is Service:Operation, got "${api}"`);
    const Command = moduleOf(service)[`${operation}Command`] as
      (new (i: object) => { schema: unknown }) | undefined;
    if (!Command) throw new Error(`${service} has no ${operation}Command`);
    const schema = new Command({}).schema as OperationSchema;
    info = { service, operation, protocol: protocolOf(service), schema };
    apis.set(api, info);
  }
  return info;
}

/** The SDK's Command class of an API and the Client class of its service (the round-trip test sends them). */
export function sdkClasses(api: string): {
  Client: new (settings: ClientSettings) => { send(command: unknown): Promise<unknown> };
  Command: new (input: object) => unknown;
} {
  const { service, operation } = apiInfo(api);
  const mod = moduleOf(service);
  return {
    Client: mod[`${service}Client`] as never,
    Command: mod[`${operation}Command`] as never,
  };
}
