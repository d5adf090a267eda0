import type { Client } from '@smithy/types';
import type { CallStats } from '../../cli/demo/offline-clients';
import type { ClientCredentials, ClientSettings, RetryMode } from '../../lambdas/aws/client-config';
import { clientSettings } from '../../lambdas/aws/client-config';
import { ClientFactory } from '../../lambdas/aws/client-factory';
import { API_HEADER, encodeInput, INPUT_HEADER, REGION_HEADER } from './headers';

/** The settings every wire client gets: the project's own (retry mode, attempts, user agent) + the endpoint. */
export function wireSettings(port: number, overrides: Partial<ClientSettings> = {}) {
  // \`localhost\`, not 127.0.0.1: S3 Control's endpoint rules put the account in front of the host
  // (123456789012.localhost is a valid URL, 123456789012.127.0.0.1 is not). The build-step middleware below
  // sends every request to 127.0.0.1 itself, so no name is ever resolved.
  const endpoint = `http://localhost:${port}`;
  return (region?: string, retryMode?: RetryMode): ClientSettings =>
    ({
      ...clientSettings(region, retryMode),
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wire-bench-not-a-secret' },
      endpoint,
      // S3 buckets in the path (http://127.0.0.1:port/bucket): no per-bucket host names on loopback.
      forcePathStyle: true,
      ...overrides,
    }) as ClientSettings;
}

/**
 * A ClientFactory whose clients talk HTTP to the wire server (bench/wire/server.ts) instead of AWS: the SDK's
 * whole stack runs (serialisation, signing, its default keep-alive NodeHttpHandler, retries, response
 * parsing), only the endpoint differs. One build-step middleware names the API, region and input in headers
 * so the server needs no request parsing; `stats` counts every attempt that reached the wire, retries
 * included, as the injecting transport counts them.
 *
 * Lambda runs the same handler: the SDK's NodeHttpHandler with keep-alive agents (maxSockets 50) is the v3
 * default in Node, and the project sets no agent of its own.
 */
export class WireClientFactory extends ClientFactory {
  readonly stats: CallStats = { calls: 0, throttled: 0, byApi: new Map() };
  private readonly wired = new WeakSet<object>();

  /** `overrides`: settings to change for a test (fewer attempts); the benchmark gives none. */
  constructor(
    readonly port: number,
    private readonly overrides: Partial<ClientSettings> = {},
  ) {
    super(wireSettings(port, overrides));
  }

  override withCredentials(_credentials: ClientCredentials): ClientFactory {
    return new WireClientFactory(this.port, this.overrides);
  }

  override get<C>(ClientClass: new (settings: ClientSettings) => C, region?: string): C {
    const client = super.get(ClientClass, region) as C & Client<object, never, never>;
    if (!this.wired.has(client)) {
      this.wired.add(client);
      const service = ClientClass.name.replace(/Client$/, '');
      const clientRegion = region ?? process.env.AWS_REGION ?? 'us-east-1';
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const request = args.request as { headers: Record<string, string>; hostname?: string };
          request.headers[API_HEADER] = `${service}:${String(context.commandName).replace(/Command$/, '')}`;
          request.headers[REGION_HEADER] = clientRegion;
          request.headers[INPUT_HEADER] = encodeInput(args.input);
          if (request.hostname === 'localhost' || request.hostname?.endsWith('.localhost'))
            request.hostname = '127.0.0.1';
          return next(args);
        },
        { step: 'build', priority: 'high', name: 'benchWireHeaders' },
      );
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const api = `${service}:${String(context.commandName).replace(/Command$/, '')}`;
          this.stats.calls++;
          this.stats.byApi.set(api, (this.stats.byApi.get(api) ?? 0) + 1);
          return next(args);
        },
        { step: 'deserialize', priority: 'high', name: 'benchWireCount' },
      );
    }
    return client;
  }
}
