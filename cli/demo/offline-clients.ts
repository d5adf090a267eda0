import type { Client } from '@smithy/types';
import type { ClientCredentials, ClientSettings, RetryMode } from '../../lambdas/aws/client-config';
import { clientSettings } from '../../lambdas/aws/client-config';
import { ClientFactory } from '../../lambdas/aws/client-factory';

/** Answers one API call, e.g. key `IAM:GetCredentialReport`; the value becomes the command's output. */
export type Answer = (input: Record<string, unknown>, region: string) => unknown;
export type Answers = Readonly<Record<string, Answer>>;

export interface OfflineOptions {
  /** Added to every call, to model a real network. @default 0 */
  readonly latencyMs?: number;
  /** Fraction of calls answered with ThrottlingException, recovered by the SDK's own retry strategy. @default 0 */
  readonly throttleRate?: number;
  /** Deterministic randomness for throttling. @default Math.random */
  readonly random?: () => number;
  /**
   * The factory an assumed role's session gets (organization mode: the member account's answers); absent,
   * a session's clients answer from this factory's table.
   */
  readonly forCredentials?: (credentials: ClientCredentials) => ClientFactory;
}

export interface CallStats {
  calls: number;
  throttled: number;
  readonly byApi: Map<string, number>;
}

export class UnansweredCallError extends Error {
  constructor(readonly api: string) {
    super(`the offline account has no answer for ${api}`);
    this.name = 'UnansweredCallError';
  }
}

/**
 * A ClientFactory whose clients answer from a table instead of the network. The answer is injected as a
 * middleware at the deserialize step, below the SDK's retry middleware: the client API, serialisation,
 * retry strategy and pagination above it are the real ones, so the collectors' gather code runs unchanged
 * (the demo and the benchmark use this; only the source of the answers differs).
 */
export class OfflineClientFactory extends ClientFactory {
  readonly stats: CallStats = { calls: 0, throttled: 0, byApi: new Map() };
  private readonly wired = new WeakSet<object>();

  constructor(
    private readonly answers: Answers,
    private readonly options: OfflineOptions = {},
    settings: (region?: string, retryMode?: RetryMode) => ClientSettings = (region, retryMode) => ({
      ...clientSettings(region ?? 'us-east-1', retryMode),
      // Requests are signed before they reach the answering middleware; nothing leaves the process.
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'offline-demo-not-a-secret' },
    }),
  ) {
    super(settings);
  }

  override withCredentials(credentials: ClientCredentials): ClientFactory {
    return this.options.forCredentials?.(credentials) ?? new OfflineClientFactory(this.answers, this.options);
  }

  override get<C>(ClientClass: new (settings: ClientSettings) => C, region?: string): C {
    const client = super.get(ClientClass, region) as C & Client<object, never, never>;
    if (!this.wired.has(client)) {
      this.wired.add(client);
      const service = ClientClass.name.replace(/Client$/, '');
      const clientRegion = region ?? 'us-east-1';
      client.middlewareStack.add(
        (_next, context) => async (args) => {
          const api = `${service}:${String(context.commandName).replace(/Command$/, '')}`;
          this.stats.calls++;
          this.stats.byApi.set(api, (this.stats.byApi.get(api) ?? 0) + 1);
          if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
          if (
            this.options.throttleRate &&
            (this.options.random ?? Math.random)() < this.options.throttleRate
          ) {
            this.stats.throttled++;
            throw Object.assign(new Error('Rate exceeded'), {
              name: 'ThrottlingException',
              $fault: 'client',
              $metadata: { httpStatusCode: 400 },
            });
          }
          const answer = this.answers[api];
          if (!answer) throw new UnansweredCallError(api);
          const output = await answer(args.input as Record<string, unknown>, clientRegion);
          return {
            output: { $metadata: { httpStatusCode: 200 }, ...(output as object) },
            response: {},
          } as never;
        },
        { step: 'deserialize', priority: 'high', name: 'offlineAnswer' },
      );
    }
    return client;
  }
}
