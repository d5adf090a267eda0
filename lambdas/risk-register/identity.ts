/**
 * Who asked, proven rather than claimed: the CLI signs an AWS STS GetCallerIdentity request with the
 * caller's own credentials (SigV4), with the SHA-256 of the decision in a signed header, and forwards the
 * request instead of sending it. The function checks that it is exactly such a request, to STS, bound to
 * this decision, replays it, and records the ARN STS answers with. Nobody can make STS answer with another
 * identity's ARN without that identity's credentials, and a signature over another decision's SHA-256 does
 * not cover this one.
 *
 * The checks follow those of HashiCorp Vault's AWS IAM auth method, which forwards GetCallerIdentity the same
 * way: POST only, the binding header among the Authorization header's SignedHeaders, no redirect followed,
 * status 200 required. Unlike Vault, whose endpoint is configured, the host is the one the caller signed for
 * (the signature covers it), and only STS's own hosts are accepted, so the function cannot be used to send a
 * request anywhere else.
 */
import { DecisionError } from './decision';

/** The header that binds a signed GetCallerIdentity request to one decision: its hex SHA-256. */
export const DECISION_HEADER = 'x-soc2-evidence-decision';
/** The form body of GetCallerIdentity in the AWS Query protocol (the protocol @aws-sdk/client-sts speaks). */
export const GET_CALLER_IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
/** How long the replay to STS may take. */
export const STS_TIMEOUT_MS = 5_000;

/** The caller's signed STS request, as the CLI forwards it (never sent by the CLI itself). */
export interface ForwardedIdentity {
  readonly method: string;
  /** protocol, hostname, path and query: `https://sts.us-east-1.amazonaws.com/`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What STS said about the caller. */
export interface ProvenCaller {
  readonly arn: string;
  readonly account: string;
  /** STS's UserId: for an assumed role, `<role id>:<session name>`. */
  readonly userId?: string;
  /**
   * The access key id the request was signed with (its SigV4 Credential scope): for temporary credentials
   * it names the session, so an auditor can find the AssumeRole (or Identity Center sign-in) that issued
   * it in CloudTrail, beyond the session name the caller chose.
   */
  readonly accessKeyId?: string;
}

const REGION = '[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}';
/** STS's hosts in the aws partition: the global endpoint, a regional one, a regional FIPS one. */
const STS_HOST = new RegExp(
  `^(?:sts\\.amazonaws\\.com|sts\\.${REGION}\\.amazonaws\\.com|sts-fips\\.${REGION}\\.amazonaws\\.com)$`,
);

/** Headers fetch sets from the URL and the body itself (and must: undici refuses some when given). */
const DERIVED_HEADERS = new Set(['host', 'content-length']);

const refuse = (why: string): never => {
  throw new DecisionError(`the identity proof was refused: ${why}`);
};

/** The SignedHeaders of a SigV4 Authorization header, lower-case; undefined when it is not one. */
export function signedHeadersOf(authorization: string | undefined): string[] | undefined {
  if (!authorization?.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  const found = [...authorization.matchAll(/SignedHeaders=([^,\s]+)/g)];
  if (found.length !== 1) return undefined;
  return found[0]![1]!.toLowerCase().split(';');
}

/**
 * The request to replay, once checked: an https POST to an STS host, with no path but `/` and no query, whose
 * body is exactly GetCallerIdentity, whose SigV4 Authorization header signs DECISION_HEADER, which equals
 * `digest`. Returns the URL and the headers to send (the signed ones and Authorization). Throws a
 * DecisionError saying what is wrong.
 */
export function checkIdentityRequest(
  identity: unknown,
  digest: string,
): { url: URL; headers: Record<string, string>; body: string } {
  const i = identity as Partial<Record<keyof ForwardedIdentity, unknown>> | null;
  if (typeof i !== 'object' || i === null || Array.isArray(i))
    return refuse('no signed STS request came with the decision (identity is not an object)');
  if (i.method !== 'POST') return refuse(`the STS request must be a POST, got ${String(i.method)}`);
  let url: URL;
  try {
    url = new URL(String(i.url));
  } catch {
    return refuse(`the STS request's URL is not a URL: ${JSON.stringify(i.url)}`);
  }
  if (url.protocol !== 'https:') return refuse(`the STS request must use https, got ${url.protocol}`);
  if (!STS_HOST.test(url.hostname) || url.port !== '' || url.username !== '' || url.password !== '')
    return refuse(`${url.host} is not an AWS STS endpoint (sts.amazonaws.com or sts.<region>.amazonaws.com)`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    return refuse(`the STS request must be to / with no query, got ${url.pathname}${url.search}`);
  if (i.body !== GET_CALLER_IDENTITY_BODY)
    return refuse(`the STS request's body must be exactly ${GET_CALLER_IDENTITY_BODY}`);
  if (typeof i.headers !== 'object' || i.headers === null || Array.isArray(i.headers))
    return refuse('the STS request has no headers');
  const given = new Map<string, string>();
  for (const [name, value] of Object.entries(i.headers as Record<string, unknown>)) {
    if (typeof value !== 'string') return refuse(`the STS request's header ${name} is not text`);
    if (given.has(name.toLowerCase())) return refuse(`the STS request repeats the header ${name}`);
    given.set(name.toLowerCase(), value);
  }
  const signed = signedHeadersOf(given.get('authorization'));
  if (!signed) return refuse('the STS request carries no SigV4 Authorization header');
  if (!signed.includes(DECISION_HEADER))
    return refuse(`the STS request's signature does not cover the ${DECISION_HEADER} header`);
  if (given.get(DECISION_HEADER) !== digest)
    return refuse(`the STS request's ${DECISION_HEADER} header is not the SHA-256 of this decision`);
  const host = given.get('host');
  if (host !== undefined && host !== url.hostname)
    return refuse(`the STS request's Host header ${host} is not its URL's host ${url.hostname}`);
  const headers: Record<string, string> = { authorization: given.get('authorization')! };
  for (const name of signed) {
    if (DERIVED_HEADERS.has(name)) continue;
    const value = given.get(name);
    if (value === undefined) return refuse(`the STS request signs the header ${name} but does not carry it`);
    headers[name] = value;
  }
  return { url, headers, body: i.body };
}

const XML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function xmlText(xml: string, element: string): string | undefined {
  const found = [...xml.matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, 'g'))];
  if (found.length !== 1) return undefined;
  return found[0]![1]!.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => XML_ENTITIES[e]!).trim();
}

/**
 * Arn and Account from STS's answer to GetCallerIdentity: the AWS Query protocol's XML (what STS returns to
 * the SDK's request), or its JSON form (what STS returns to a Query request that accepts application/json).
 * Undefined when neither reads.
 */
export function parseCallerIdentity(body: string): ProvenCaller | undefined {
  const trimmed = body.trim();
  let arn: unknown;
  let account: unknown;
  let userId: unknown;
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as {
        GetCallerIdentityResponse?: {
          GetCallerIdentityResult?: { Arn?: unknown; Account?: unknown; UserId?: unknown };
        };
      };
      const result = json.GetCallerIdentityResponse?.GetCallerIdentityResult;
      arn = result?.Arn;
      account = result?.Account;
      userId = result?.UserId;
    } catch {
      return undefined;
    }
  } else {
    const result = /<GetCallerIdentityResult>([\s\S]*)<\/GetCallerIdentityResult>/.exec(trimmed)?.[1];
    if (!result || !/<GetCallerIdentityResponse[\s>]/.test(trimmed)) return undefined;
    arn = xmlText(result, 'Arn');
    account = xmlText(result, 'Account');
    userId = xmlText(result, 'UserId');
  }
  if (typeof arn !== 'string' || !/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/.test(arn)) return undefined;
  if (typeof account !== 'string' || !/^\d{12}$/.test(account)) return undefined;
  if (arn.split(':')[4] !== account) return undefined;
  return {
    arn,
    account,
    ...(typeof userId === 'string' && /^[\w+=,.@:-]{1,256}$/.test(userId) ? { userId } : {}),
  };
}

export interface ProveOptions {
  /** The account the caller must belong to: the function's own. */
  readonly account: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * Replays the caller's checked GetCallerIdentity request to STS and returns who STS says signed it. Refuses
 * (DecisionError) a request that fails checkIdentityRequest, an answer other than 200 (an invalid or expired
 * signature: STS accepts a signature for 15 minutes), an answer that does not read, and a caller of another
 * account than `options.account`.
 */
export async function proveCaller(
  identity: unknown,
  digest: string,
  options: ProveOptions,
): Promise<ProvenCaller> {
  const request = checkIdentityRequest(identity, digest);
  const send = options.fetch ?? fetch;
  let status: number;
  let text: string;
  try {
    const response = await send(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? STS_TIMEOUT_MS),
    });
    status = response.status;
    text = await response.text();
  } catch (err) {
    const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new Error(`AWS STS could not be reached at ${request.url.hostname} (${why})`);
  }
  if (status !== 200) {
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? /"Code"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    return refuse(
      `AWS STS answered ${status}${code ? ` ${code}` : ''} (a signature STS does not accept, or older than 15 minutes: run the command again)`,
    );
  }
  const parsed = parseCallerIdentity(text);
  if (!parsed) return refuse("AWS STS's answer does not name an Arn and an Account");
  // The key id of the SigV4 Credential scope, read only from a header that names exactly one.
  const authorization = request.headers.authorization ?? '';
  const accessKeyId =
    authorization.split('Credential=').length === 2
      ? /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})\//.exec(authorization)?.[1]
      : undefined;
  const caller: ProvenCaller = { ...parsed, ...(accessKeyId ? { accessKeyId } : {}) };
  if (caller.account !== options.account)
    return refuse(
      `the caller ${caller.arn} is of account ${caller.account}, not of this register's account ${options.account}`,
    );
  return caller;
}
