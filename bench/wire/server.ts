/**
 * The wire server: answers the SDK's real, signed HTTP requests on 127.0.0.1 with the synthetic account's
 * answers serialised as AWS would send them (bench/wire/serialize.ts), after a fixed latency, and throttles
 * each API (and region) through a token bucket at the rates of bench/wire/rates.ts.
 *
 * The request names its API, region and input in headers the benchmark's clients add
 * (bench/wire/client-factory.ts), so the server parses no request body: it reads and discards it. The
 * client still serialises, signs and sends the real request, and parses the real response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Answers } from '../../cli/demo/offline-clients';
import { bucketKey, ruleFor, type RateRule, RATE_RULES } from './rates';
import { apiInfo } from './services';
import { requestId, serializeError, serializeOutput, wireError, type WireResponse } from './serialize';
import { TokenBucket } from './token-bucket';
import { API_HEADER, decodeInput, INPUT_HEADER, REGION_HEADER } from './headers';

export interface WireServerOptions {
  readonly answers: Answers;
  /** Added to every call, counted from the request's arrival. @default 0 */
  readonly latencyMs?: number;
  /** Token buckets per API and region; `false` turns them off (the round-trip test). @default RATE_RULES */
  readonly rates?: readonly RateRule[] | false;
  /** Extra throttling: this fraction of calls (that a bucket let through) is answered with the service's
   * throttling error anyway, as `--throttle-rate` did on the injecting transport. @default 0 */
  readonly throttleRate?: number;
  readonly random?: () => number;
  /** The clock the buckets read, in ms. @default performance.now */
  readonly now?: () => number;
}

export interface BucketStats {
  requests: number;
  throttled: number;
  readonly burst: number;
  readonly refillPerSecond: number;
}

export interface WireServerStats {
  requests: number;
  /** Answered with a throttling error, by a bucket or by `throttleRate`. */
  throttled: number;
  /** Of `throttled`, those `throttleRate` chose. */
  throttledByRate: number;
  readonly byApi: Record<string, number>;
  readonly buckets: Record<string, BucketStats>;
  /** The server process's CPU time (user + system), ms. */
  cpuMs: number;
}

export interface WireServer {
  readonly port: number;
  readonly endpoint: string;
  stats(): WireServerStats;
  close(): Promise<void>;
}

function send(res: ServerResponse, r: WireResponse): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  res.writeHead(r.status, { ...r.headers, 'content-length': String(body.byteLength) });
  res.end(body);
}

export function startWireServer(options: WireServerOptions): Promise<WireServer> {
  const latency = options.latencyMs ?? 0;
  const rules = options.rates === false ? undefined : (options.rates ?? RATE_RULES);
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, TokenBucket>();
  const cpu0 = process.cpuUsage();
  const stats: WireServerStats = {
    requests: 0,
    throttled: 0,
    throttledByRate: 0,
    byApi: {},
    buckets: {},
    cpuMs: 0,
  };

  /** Whether this call is throttled (and counted as such). */
  const throttle = (api: string, region: string, rule: RateRule): boolean => {
    let limited = false;
    if (rules) {
      const key = bucketKey(api, region, rule);
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = new TokenBucket(rule.burst, rule.refillPerSecond, now());
        buckets.set(key, bucket);
      }
      const b = (stats.buckets[key] ??= {
        requests: 0,
        throttled: 0,
        burst: rule.burst,
        refillPerSecond: rule.refillPerSecond,
      });
      b.requests++;
      if (!bucket.take(now())) {
        b.throttled++;
        limited = true;
      }
    }
    if (!limited && options.throttleRate && random() < options.throttleRate) {
      stats.throttledByRate++;
      limited = true;
    }
    if (limited) stats.throttled++;
    return limited;
  };

  const answer = async (req: IncomingMessage): Promise<WireResponse> => {
    const api = String(req.headers[API_HEADER] ?? '');
    const region = String(req.headers[REGION_HEADER] ?? 'us-east-1');
    stats.requests++;
    stats.byApi[api] = (stats.byApi[api] ?? 0) + 1;
    let info: ReturnType<typeof apiInfo>;
    try {
      info = apiInfo(api);
    } catch (err) {
      const protocol = { protocol: 'restJson1' as const, namespace: '' };
      return serializeError(protocol, {
        code: 'UnknownOperationException',
        message: String(err),
        status: 404,
      });
    }
    const id = requestId();
    const rule = ruleFor(api, rules || RATE_RULES);
    if (throttle(api, region, rule))
      return serializeError(
        info.protocol,
        { code: rule.code, message: 'Rate exceeded', status: rule.status },
        id,
      );
    const fn = options.answers[api];
    if (!fn)
      return serializeError(
        info.protocol,
        { code: 'UnansweredCallError', message: `the offline account has no answer for ${api}`, status: 501 },
        id,
      );
    try {
      const output = await fn(decodeInput(req.headers[INPUT_HEADER] as string | undefined), region);
      return serializeOutput(info.protocol, info.schema, output, id);
    } catch (err) {
      return serializeError(info.protocol, wireError(err), id);
    }
  };

  const server: Server = createServer((req, res) => {
    const arrived = performance.now();
    req.on('data', () => {});
    req.on('end', () => {
      answer(req)
        .then((r) => {
          const wait = latency - (performance.now() - arrived);
          if (wait > 0) setTimeout(() => send(res, r), wait);
          else send(res, r);
        })
        .catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        });
    });
  });
  // The SDK's agent keeps sockets open between calls; a server that closed them first would reset some.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        endpoint: `http://127.0.0.1:${port}`,
        stats: () => {
          const c = process.cpuUsage(cpu0);
          stats.cpuMs = Math.round((c.user + c.system) / 1000);
          return stats;
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
