import {
  paginateDescribeDBClusterParameters,
  paginateDescribeDBParameters,
  RDSClient,
  type Parameter,
} from '@aws-sdk/client-rds';
import type { GatherContext } from '../collector';
import { withApi } from '../../aws/aws-error';

/** The parameter that makes an engine refuse unencrypted connections, and the values that mean "on". */
export interface TlsParameter {
  readonly name: string;
  readonly enforcing: readonly string[];
  readonly notEnforcing: readonly string[];
}

const BOOLEAN_ON = ['1', 'on', 'true'];
const BOOLEAN_OFF = ['0', 'off', 'false'];

export function tlsParameterFor(engine: string): TlsParameter | undefined {
  if (engine === 'postgres' || engine === 'aurora-postgresql' || engine.startsWith('sqlserver'))
    return { name: 'rds.force_ssl', enforcing: BOOLEAN_ON, notEnforcing: BOOLEAN_OFF };
  if (engine === 'mysql' || engine === 'mariadb' || engine === 'aurora-mysql' || engine === 'aurora')
    return { name: 'require_secure_transport', enforcing: BOOLEAN_ON, notEnforcing: BOOLEAN_OFF };
  // DocumentDB's cluster parameter `tls`: every value except `disabled` refuses plain connections.
  if (engine === 'docdb')
    return {
      name: 'tls',
      enforcing: ['enabled', 'tls1.2+', 'tls1.3+', 'fips-140-3'],
      notEnforcing: ['disabled'],
    };
  return undefined;
}

export interface ParameterValue {
  /** Undefined when the group states no value: the engine's default applies. */
  readonly value?: string;
  readonly source?: string;
}

/**
 * The value of one parameter in one DB (or DB cluster) parameter group, read once per group and name per
 * run. Filters on the parameter name keep the read to one page; the name is checked again here in case a
 * region ignores the filter.
 */
export function readParameter(
  ctx: GatherContext,
  region: string,
  kind: 'instance' | 'cluster',
  group: string,
  name: string,
): Promise<ParameterValue> {
  return ctx.memo(`rds:parameter:${region}:${kind}:${group}:${name}`, async () => {
    const client = ctx.clients.get(RDSClient, region);
    const filters = [{ Name: 'parameter-name', Values: [name] }];
    const found: Parameter[] = [];
    if (kind === 'instance') {
      await withApi('rds:DescribeDBParameters', async () => {
        const pages = paginateDescribeDBParameters(
          { client },
          { DBParameterGroupName: group, Filters: filters },
        );
        for await (const page of pages)
          found.push(...(page.Parameters ?? []).filter((p) => p.ParameterName === name));
      });
    } else {
      await withApi('rds:DescribeDBClusterParameters', async () => {
        const pages = paginateDescribeDBClusterParameters(
          { client },
          { DBClusterParameterGroupName: group, Filters: filters },
        );
        for await (const page of pages)
          found.push(...(page.Parameters ?? []).filter((p) => p.ParameterName === name));
      });
    }
    const p = found[0];
    return {
      ...(p?.ParameterValue !== undefined ? { value: p.ParameterValue } : {}),
      ...(p?.Source ? { source: p.Source } : {}),
    };
  });
}
