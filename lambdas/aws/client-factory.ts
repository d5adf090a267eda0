import type { Client } from '@smithy/types';
import {
  clientSettings,
  retryModeFor,
  settingsWithCredentials,
  type ClientCredentials,
  type ClientSettings,
  type RetryMode,
} from './client-config';

type ClientClass<C> = new (settings: ClientSettings) => C;

/** What the SDK did for one run: API calls made and retries its retry strategy spent on them. */
export interface SdkCallStats {
  calls: number;
  retries: number;
  failures: number;
}

/**
 * Creates each AWS client once per (service, region) for a run and hands the same instance to every
 * caller, so connection pools and adaptive-retry state are shared. Region `undefined` means the SDK's own
 * resolution (AWS_REGION, profile), which is right for global services such as IAM. Every client reports
 * its calls and retries into `sdkStats`, read from the SDK's own `$metadata.attempts`.
 */
export class ClientFactory {
  readonly sdkStats: SdkCallStats = { calls: 0, retries: 0, failures: 0 };
  private readonly clients = new Map<string, unknown>();

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
    const id = `${ClientClass.name}@${region ?? ''}`;
    let client = this.clients.get(id) as C | undefined;
    if (!client) {
      client = new ClientClass(this.settings(region, retryModeFor(ClientClass.name)));
      this.count(client as C & Client<object, never, never>);
      this.clients.set(id, client);
    }
    return client;
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
