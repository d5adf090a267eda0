import type { Client } from '@smithy/types';
import {
  clientSettings,
  retryModeFor,
  settingsWithCredentials,
  type ClientCredentials,
  type ClientSettings,
  type RetryMode,
} from './client-config';
import { DOCUMENTED_RATES, Pacer } from './pacing';

type ClientClass<C> = new (settings: ClientSettings) => C;

/** What the SDK did for one run: API calls made and retries its retry strategy spent on them. */
export interface SdkCallStats {
  calls: number;
  retries: number;
  failures: number;
}

function serviceIdOf(client: unknown): string | undefined {
  return (client as { config?: { serviceId?: string } }).config?.serviceId;
}

/**
 * Creates each AWS client once per (service, region) for a run and hands the same instance to every
 * caller, so connection pools and adaptive-retry state are shared. Region `undefined` means the SDK's own
 * resolution (AWS_REGION, profile), which is right for global services such as IAM. Every client reports
 * its calls and retries into `sdkStats`, read from the SDK's own `$metadata.attempts`.
 */
export class ClientFactory {
  readonly sdkStats: SdkCallStats = { calls: 0, retries: 0, failures: 0 };
  /** By client class (not its name, which minification changes), then region. */
  private readonly clients = new Map<ClientClass<unknown>, Map<string, unknown>>();

  constructor(
    private readonly settings: (region?: string, retryMode?: RetryMode) => ClientSettings = clientSettings,
  ) {}

  /**
   * A factory of its own (own clients, own `sdkStats`) whose clients sign with `credentials` (an assumed
   * role's session), keeping every other setting of this one.
   */
  withCredentials(credentials: ClientCredentials): ClientFactory {
    return new ClientFactory(settingsWithCredentials(credentials, this.settings));
  }

  get<C>(ClientClass: ClientClass<C>, region?: string): C {
    let byRegion = this.clients.get(ClientClass);
    if (!byRegion) this.clients.set(ClientClass, (byRegion = new Map()));
    let client = byRegion.get(region ?? '') as C | undefined;
    if (!client) {
      client = new ClientClass(this.settings(region, 'standard'));
      // The retry mode depends on the service, which only the constructed client names (serviceId); a client
      // makes no connection until it sends, so building the adaptive one instead costs nothing on the wire.
      const mode = retryModeFor(serviceIdOf(client));
      if (mode !== 'standard') client = new ClientClass(this.settings(region, mode));
      this.count(client as C & Client<object, never, never>);
      const rate = DOCUMENTED_RATES[serviceIdOf(client) ?? ''];
      if (rate) this.pace(client as C & Client<object, never, never>, new Pacer(rate));
      byRegion.set(region ?? '', client);
    }
    return client;
  }

  /** Each attempt, retries included (below the retry middleware), waits for a token of the client's pacer. */
  private pace(client: Client<object, never, never>, pacer: Pacer): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        await pacer.take();
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'soc2EvidencePacing' },
    );
  }

  private count(client: Client<object, never, never>): void {
    const stats = this.sdkStats;
    const attempts = (x: unknown) =>
      (x as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;
    client.middlewareStack.add(
      (next) => async (args) => {
        stats.calls++;
        try {
          const result = await next(args);
          stats.retries += attempts(result.output) - 1;
          return result;
        } catch (err) {
          stats.failures++;
          stats.retries += attempts(err) - 1;
          throw err;
        }
      },
      { step: 'initialize', priority: 'high', name: 'soc2EvidenceCallStats' },
    );
  }
}
