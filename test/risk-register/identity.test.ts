import { decisionDigest } from '../../lambdas/risk-register/decision';
import {
  checkIdentityRequest,
  DECISION_HEADER,
  parseCallerIdentity,
  proveCaller,
  signedHeadersOf,
  type ForwardedIdentity,
} from '../../lambdas/risk-register/identity';
import { ACCEPT, ACCOUNT, CALLER_ARN, fakeSts, OTHER_ACCOUNT, signedFor, stsXml } from './fixtures';

const DIGEST = decisionDigest(ACCEPT);
let signed: ForwardedIdentity;
beforeAll(async () => {
  signed = await signedFor(ACCEPT);
});

const prove = (identity: unknown, fetch = fakeSts(stsXml(CALLER_ARN, ACCOUNT))) =>
  proveCaller(identity, DIGEST, { account: ACCOUNT, fetch });

/** The signed request with its Authorization header's SignedHeaders replaced. */
function withSignedHeaders(identity: ForwardedIdentity, list: string): ForwardedIdentity {
  const authorization = identity.headers.authorization!.replace(
    /SignedHeaders=[^,]+/,
    `SignedHeaders=${list}`,
  );
  return { ...identity, headers: { ...identity.headers, authorization } };
}

describe('the signed STS request the CLI captures', () => {
  it('is a SigV4 POST of GetCallerIdentity to STS whose signature covers the decision header', () => {
    expect(signed).toMatchObject({
      method: 'POST',
      url: 'https://sts.us-east-1.amazonaws.com/',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(signed.headers[DECISION_HEADER]).toBe(DIGEST);
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/sts\/aws4_request, /,
    );
    expect(signedHeadersOf(signed.headers.authorization)).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', DECISION_HEADER]),
    );
  });
});

describe('proveCaller', () => {
  it('replays an accepted request to STS, unchanged but for the headers fetch derives, and returns who STS says', async () => {
    const fetch = fakeSts(stsXml(CALLER_ARN, ACCOUNT));
    // The UserId STS answers with, and the access key id the request was signed with (its Credential).
    await expect(prove(signed, fetch)).resolves.toEqual({
      arn: CALLER_ARN,
      account: ACCOUNT,
      userId: 'AROAEXAMPLEID:alice@example.com',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe('https://sts.us-east-1.amazonaws.com/');
    expect(init).toMatchObject({ method: 'POST', body: signed.body, redirect: 'manual' });
    const sent = init!.headers as Record<string, string>;
    expect(sent.authorization).toBe(signed.headers.authorization);
    expect(sent[DECISION_HEADER]).toBe(DIGEST);
    expect(sent['x-amz-date']).toBe(signed.headers['x-amz-date']);
    expect(Object.keys(sent)).not.toEqual(expect.arrayContaining(['host']));
    expect(Object.keys(sent)).not.toContain('content-length');
    expect(init!.signal).toBeInstanceOf(AbortSignal);
  });

  it.each([
    ['the global endpoint', 'https://sts.amazonaws.com/'],
    ['a FIPS endpoint', 'https://sts-fips.us-east-2.amazonaws.com/'],
  ])('accepts %s', (_what, url) => {
    const host = new URL(url).hostname;
    const identity = { ...signed, url, headers: { ...signed.headers, host } };
    expect(checkIdentityRequest(identity, DIGEST).url.href).toBe(url);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['no identity', () => undefined, /identity is not an object/],
    ['a GET', () => ({ ...signed, method: 'GET' }), /must be a POST/],
    [
      'another host',
      () => ({ ...signed, url: 'https://sts.example.com/' }),
      /sts\.example\.com is not an AWS STS endpoint/,
    ],
    [
      'a look-alike host',
      () => ({ ...signed, url: 'https://sts.us-east-1.amazonaws.com.example.com/' }),
      /is not an AWS STS endpoint/,
    ],
    [
      'another port',
      () => ({ ...signed, url: 'https://sts.amazonaws.com:8443/' }),
      /is not an AWS STS endpoint/,
    ],
    ['plain http', () => ({ ...signed, url: 'http://sts.amazonaws.com/' }), /must use https/],
    [
      'a query',
      () => ({ ...signed, url: 'https://sts.amazonaws.com/?Action=AssumeRole' }),
      /to \/ with no query/,
    ],
    [
      'another action',
      () => ({ ...signed, body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=x' }),
      /body must be exactly Action=GetCallerIdentity/,
    ],
    [
      'no signature',
      () => ({ ...signed, headers: { ...signed.headers, authorization: 'Bearer x' } }),
      /no SigV4 Authorization header/,
    ],
    [
      'the decision header not signed',
      () => withSignedHeaders(signed, 'host;x-amz-date'),
      /does not cover the x-soc2-evidence-decision header/,
    ],
    [
      'a header that is not this decision',
      () => ({
        ...signed,
        headers: {
          ...signed.headers,
          [DECISION_HEADER]: decisionDigest({ ...ACCEPT, expires: '2027-03-01' }),
        },
      }),
      /is not the SHA-256 of this decision/,
    ],
    [
      'a signed header missing',
      () => {
        const { 'x-amz-date': _date, ...headers } = signed.headers;
        return { ...signed, headers };
      },
      /signs the header x-amz-date but does not carry it/,
    ],
    [
      'a Host header other than the URL',
      () => ({ ...signed, headers: { ...signed.headers, host: 'evil.example.com' } }),
      /Host header evil\.example\.com is not/,
    ],
  ])('refuses %s, before any request is sent', async (_what, identity, message) => {
    const fetch = fakeSts(stsXml(CALLER_ARN, ACCOUNT));
    await expect(prove(identity(), fetch)).rejects.toThrow(message);
    await expect(prove(identity(), fetch)).rejects.toMatchObject({ name: 'DecisionError' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a decision other than the one the request was signed for', async () => {
    const other = decisionDigest({ ...ACCEPT, resource: 'arn:aws:iam::123456789012:user/*' });
    const fetch = fakeSts(stsXml(CALLER_ARN, ACCOUNT));
    await expect(proveCaller(signed, other, { account: ACCOUNT, fetch })).rejects.toThrow(
      /is not the SHA-256 of this decision/,
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a caller of another account', async () => {
    const fetch = fakeSts(stsXml(`arn:aws:iam::${OTHER_ACCOUNT}:user/mallory`, OTHER_ACCOUNT));
    await expect(prove(signed, fetch)).rejects.toThrow(
      `the identity proof was refused: the caller arn:aws:iam::${OTHER_ACCOUNT}:user/mallory is of account ${OTHER_ACCOUNT}, not of this register's account ${ACCOUNT}`,
    );
  });

  it("refuses when STS does not accept the signature, naming STS's error code", async () => {
    const fetch = fakeSts(
      '<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>',
      403,
    );
    await expect(prove(signed, fetch)).rejects.toThrow(/AWS STS answered 403 SignatureDoesNotMatch/);
  });

  it('refuses an answer that names no caller, and fails (not refuses) when STS cannot be reached', async () => {
    await expect(prove(signed, fakeSts('<html>hello</html>'))).rejects.toThrow(
      /does not name an Arn and an Account/,
    );
    const down = jest.fn(() => Promise.reject(new TypeError('fetch failed')));
    const failure = prove(signed, down as unknown as ReturnType<typeof fakeSts>);
    await expect(failure).rejects.toThrow(
      'AWS STS could not be reached at sts.us-east-1.amazonaws.com (TypeError: fetch failed)',
    );
    await expect(failure).rejects.not.toMatchObject({ name: 'DecisionError' });
  });
});

describe('parseCallerIdentity', () => {
  it('reads the XML STS answers the Query protocol with, and its JSON form', () => {
    expect(parseCallerIdentity(stsXml(CALLER_ARN, ACCOUNT))).toEqual({
      arn: CALLER_ARN,
      account: ACCOUNT,
      userId: 'AROAEXAMPLEID:alice@example.com',
    });
    const json = JSON.stringify({
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: { Arn: CALLER_ARN, Account: ACCOUNT, UserId: 'AROAEXAMPLEID:alice' },
        ResponseMetadata: { RequestId: 'r' },
      },
    });
    expect(parseCallerIdentity(json)).toEqual({
      arn: CALLER_ARN,
      account: ACCOUNT,
      userId: 'AROAEXAMPLEID:alice',
    });
  });

  it('reads nothing from an answer whose Arn and Account disagree, repeat, or are not AWS forms', () => {
    expect(parseCallerIdentity(stsXml(CALLER_ARN, OTHER_ACCOUNT))).toBeUndefined();
    expect(parseCallerIdentity(stsXml('alice', ACCOUNT))).toBeUndefined();
    const twice = stsXml(CALLER_ARN, ACCOUNT).replace(
      '<UserId>',
      `<Arn>arn:aws:iam::${ACCOUNT}:user/bob</Arn><UserId>`,
    );
    expect(parseCallerIdentity(twice)).toBeUndefined();
    expect(parseCallerIdentity('{"GetCallerIdentityResponse":{}}')).toBeUndefined();
    expect(parseCallerIdentity('{not json')).toBeUndefined();
  });
});
