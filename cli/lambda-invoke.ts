import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { partition } from '@aws-sdk/core/client';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client, Command } from '@smithy/core/client';
import {
  booleanSelector,
  CONFIG_PREFIX_SEPARATOR,
  loadConfig,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
  SelectorType,
} from '@smithy/core/config';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentityProvider,
  Handler,
  HttpHandlerOptions,
  MiddlewareStack,
  SourceData,
} from '@smithy/types';
import type { ClientSettings } from '../lambdas/aws/client-config';

/**
 * The one Lambda call the CLI makes (Invoke), as a minimal SDK client, because `@aws-sdk/client-lambda` is not
 * a dependency of this project yet. It resolves region, credentials and endpoint exactly as the SDK's clients
 * do (AWS_REGION and the profile's region; the default credential chain with AWS_PROFILE, SSO and the rest;
 * AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL and the profile's `endpoint_url` / `services` section), signs
 * with SigV4 and sends over the SDK's Node HTTP handler. It is a Smithy `Client`, so ClientFactory creates it
 * and aws-sdk-client-mock mocks it like any other. Its input and output mirror client-lambda's
 * `InvokeCommand`, so replacing it with that package changes the imports only.
 */
export interface InvokeCommandInput {
  readonly FunctionName: string;
  readonly InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  readonly Payload?: Uint8Array;
}

export interface InvokeCommandOutput {
  readonly StatusCode?: number;
  /** `Unhandled` when the function threw: the payload then holds `{ errorType, errorMessage }`. */
  readonly FunctionError?: string;
  readonly ExecutedVersion?: string;
  readonly Payload?: Uint8Array;
  readonly $metadata: { readonly httpStatusCode?: number; readonly requestId?: string };
}

export class InvokeCommand extends Command<
  InvokeCommandInput,
  InvokeCommandOutput,
  LambdaResolvedConfig,
  InvokeCommandInput,
  InvokeCommandOutput
> {
  constructor(readonly input: InvokeCommandInput) {
    super();
  }

  override resolveMiddleware(
    clientStack: MiddlewareStack<InvokeCommandInput, InvokeCommandOutput>,
    config: LambdaResolvedConfig,
  ): Handler<InvokeCommandInput, InvokeCommandOutput> {
    const stack = clientStack.concat(this.middlewareStack);
    return stack.resolve(
      async ({ input }) => ({ output: await invoke(config, input), response: undefined }),
      { clientName: 'LambdaClient', commandName: 'InvokeCommand' },
    );
  }
}

interface LambdaResolvedConfig {
  readonly apiVersion: string;
  readonly region: () => Promise<string>;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly endpoint: (region: string) => Promise<URL>;
  readonly userAgent: string;
  readonly requestHandler: NodeHttpHandler;
}

/** Lambda allows a synchronous invocation 15 minutes; the connection must outlast the longest collector. */
const INVOKE_TIMEOUT_MS = 16 * 60_000;

export class LambdaClient extends Client<
  HttpHandlerOptions,
  InvokeCommandInput,
  InvokeCommandOutput,
  LambdaResolvedConfig
> {
  constructor(settings: Partial<ClientSettings> & { profile?: string } = {}) {
    const profile = settings.profile;
    const region = settings.region
      ? () => Promise.resolve(settings.region!)
      : loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, profile });
    const staticCredentials = settings.credentials;
    super({
      apiVersion: '2015-03-31',
      region,
      credentials: staticCredentials
        ? () => Promise.resolve(staticCredentials)
        : defaultProvider(profile ? { profile } : {}),
      endpoint: (r: string) => configuredEndpoint(profile).then((url) => new URL(url ?? defaultEndpoint(r))),
      userAgent: settings.customUserAgent ?? 'soc2-evidence',
      requestHandler: new NodeHttpHandler({ requestTimeout: INVOKE_TIMEOUT_MS }),
    });
  }
}

function defaultEndpoint(region: string): string {
  return `https://lambda.${region}.${partition(region).dnsSuffix}`;
}

/** The SDK's configured-endpoint rules for service id "Lambda" (see @smithy/core/endpoints). */
async function configuredEndpoint(profile: string | undefined): Promise<string | undefined> {
  const init = profile ? { profile } : {};
  const ignore = await loadConfig<boolean>(
    {
      environmentVariableSelector: (env) =>
        booleanSelector(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', SelectorType.ENV),
      configFileSelector: (p) => booleanSelector(p, 'ignore_configured_endpoint_urls', SelectorType.CONFIG),
      default: false,
    },
    init,
  )();
  if (ignore) return undefined;
  return loadConfig<string | undefined>(
    {
      environmentVariableSelector: (env) => env.AWS_ENDPOINT_URL_LAMBDA || env.AWS_ENDPOINT_URL || undefined,
      configFileSelector: (p, config) => {
        if (p.services) {
          const section = config?.[['services', p.services].join(CONFIG_PREFIX_SEPARATOR)];
          const url = section?.[['lambda', 'endpoint_url'].join(CONFIG_PREFIX_SEPARATOR)];
          if (url) return url;
        }
        return p.endpoint_url || undefined;
      },
      default: undefined,
    },
    init,
  )();
}

class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    throw new Error('not supported');
  }
}

function bytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** POST /2015-03-31/functions/{name}/invocations, signed, and the response read as client-lambda does. */
async function invoke(config: LambdaResolvedConfig, input: InvokeCommandInput): Promise<InvokeCommandOutput> {
  const region = await config.region();
  const url = await config.endpoint(region);
  const body = input.Payload ?? new Uint8Array();
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: `${url.pathname.replace(/\/$/, '')}/2015-03-31/functions/${encodeURIComponent(input.FunctionName)}/invocations`,
    headers: {
      host: url.host,
      'content-type': 'application/octet-stream',
      'content-length': String(body.byteLength),
      'user-agent': config.userAgent,
      'x-amz-invocation-type': input.InvocationType ?? 'RequestResponse',
      'x-amz-log-type': 'None',
    },
    body,
  });
  const signer = new SignatureV4({
    service: 'lambda',
    region,
    credentials: config.credentials,
    sha256: NodeSha256,
  });
  const signed = await signer.sign(request);
  const { response } = await config.requestHandler.handle(signed as HttpRequest);
  const payload = response.body ? await streamCollector(response.body) : new Uint8Array();
  const header = (name: string): string | undefined => {
    const key = Object.keys(response.headers).find((h) => h.toLowerCase() === name);
    return key ? response.headers[key] : undefined;
  };
  const requestId = header('x-amzn-requestid');
  const $metadata = { httpStatusCode: response.statusCode, ...(requestId ? { requestId } : {}) };
  if (response.statusCode >= 300) {
    let parsed: { message?: string; Message?: string; __type?: string; Type?: string } = {};
    try {
      parsed = JSON.parse(Buffer.from(payload).toString('utf8')) as typeof parsed;
    } catch {
      // not JSON: the status line says enough
    }
    const type = (header('x-amzn-errortype') ?? parsed.__type ?? `HTTP${response.statusCode}`).split(
      /[:#]/,
    )[0]!;
    const error = new Error(
      parsed.message ?? parsed.Message ?? `Lambda answered HTTP ${response.statusCode}`,
    );
    error.name = type;
    Object.assign(error, { $metadata });
    throw error;
  }
  const functionError = header('x-amz-function-error');
  const version = header('x-amz-executed-version');
  return {
    StatusCode: response.statusCode,
    ...(functionError ? { FunctionError: functionError } : {}),
    ...(version ? { ExecutedVersion: version } : {}),
    Payload: payload,
    $metadata,
  };
}
