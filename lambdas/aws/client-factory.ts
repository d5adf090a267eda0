import { clientSettings, type ClientSettings } from './client-config';

type ClientClass<C> = new (settings: ClientSettings) => C;

/**
 * Creates each AWS client once per (service, region) for a run and hands the same instance to every
 * caller, so connection pools and adaptive-retry state are shared. Region `undefined` means the SDK's own
 * resolution (AWS_REGION, profile), which is right for global services such as IAM.
 */
export class ClientFactory {
  private readonly clients = new Map<string, unknown>();

  constructor(private readonly settings: (region?: string) => ClientSettings = clientSettings) {}

  get<C>(Client: ClientClass<C>, region?: string): C {
    const id = `${Client.name}@${region ?? ''}`;
    let client = this.clients.get(id) as C | undefined;
    if (!client) {
      client = new Client(this.settings(region));
      this.clients.set(id, client);
    }
    return client;
  }
}
