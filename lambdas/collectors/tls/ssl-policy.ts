import type { FindingStatus } from '../../evidence/envelope';
import type { TlsVersion } from '../../settings';

/** `TLSv1` → 1.0, `TLSv1.2` → 1.2, `SSLv3` → 0.3; undefined for a name we cannot place. */
export function protocolVersion(protocol: string): number | undefined {
  const ssl = /^SSLv(\d)$/.exec(protocol);
  if (ssl) return Number(ssl[1]) / 10;
  const tls = /^TLSv(\d)(?:\.(\d))?$/.exec(protocol);
  if (tls) return Number(tls[1]) + Number(tls[2] ?? 0) / 10;
  return undefined;
}

export interface PolicyJudgement {
  readonly status: FindingStatus;
  readonly lowestProtocol?: string;
  readonly reason: string;
}

/**
 * Judges an ELB security policy by the protocols it allows, never by its name: FIPS, post-quantum and
 * future policies are judged the same way, and a protocol we cannot place is a warning, not a pass.
 */
export function judgeProtocols(protocols: readonly string[], minimum: TlsVersion): PolicyJudgement {
  const floor = protocolVersion(minimum) ?? 1.2;
  if (protocols.length === 0) return { status: 'WARN', reason: 'the policy lists no protocols' };
  const unknown = protocols.filter((p) => protocolVersion(p) === undefined);
  const known = protocols
    .filter((p) => protocolVersion(p) !== undefined)
    .sort((a, b) => (protocolVersion(a) ?? 0) - (protocolVersion(b) ?? 0));
  const lowest = known[0];
  const below = known.filter((p) => (protocolVersion(p) ?? 0) < floor);
  if (below.length > 0)
    return { status: 'FAIL', lowestProtocol: lowest, reason: `allows ${below.join(', ')}, below ${minimum}` };
  if (unknown.length > 0)
    return {
      status: 'WARN',
      lowestProtocol: lowest,
      reason: `unrecognised protocols: ${unknown.join(', ')}`,
    };
  return { status: 'PASS', lowestProtocol: lowest, reason: `allows ${known.join(', ')} only` };
}
