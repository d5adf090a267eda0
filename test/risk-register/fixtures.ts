import type { STSClientConfig } from '@aws-sdk/client-sts';
import { signedIdentityRequest } from '../../cli/exception';
import {
  addUtcDays,
  decisionDigest,
  utcDay,
  type DecisionRequest,
} from '../../lambdas/risk-register/decision';
import type { ForwardedIdentity } from '../../lambdas/risk-register/identity';

/** Fixtures of the risk-register tests: AWS's example account, example.com addresses, a fixed day. */
export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';
export const NOW = new Date('2026-11-30T10:00:00Z');
export const CALLER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/SecurityLead/alice@example.com`;

export const ACCEPT: DecisionRequest = {
  action: 'accept',
  check: 'console-mfa',
  resource: `arn:aws:iam::${ACCOUNT}:user/break-glass`,
  owner: 'security-lead@example.com',
  reason: 'The break-glass user has a hardware key kept in the safe; MFA on it is tracked in SEC-42.',
  expires: '2027-02-28',
};

export const REVOKE: DecisionRequest = {
  action: 'revoke',
  check: 'console-mfa',
  resource: `arn:aws:iam::${ACCOUNT}:user/*`,
  owner: 'security-lead@example.com',
  reason: 'MFA is now enforced for every console user.',
};

/** ACCEPT as of the real clock (for code that reads it: the handler, the CLI): expiring in 30 days. */
export function acceptToday(): DecisionRequest {
  return { ...ACCEPT, expires: addUtcDays(utcDay(new Date()), 30) };
}

/** Static credentials (AWS's documented example keys): the request is signed, never sent. */
export const STATIC_STS: STSClientConfig = {
  region: 'us-east-1',
  credentials: {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
};

/** The signed STS request the CLI would forward for `decision`. */
export function signedFor(decision: DecisionRequest): Promise<ForwardedIdentity> {
  return signedIdentityRequest(decisionDigest(decision), STATIC_STS);
}

/** STS's XML answer to GetCallerIdentity (the AWS Query protocol). */
export function stsXml(arn: string, account: string): string {
  return [
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    '  <GetCallerIdentityResult>',
    `    <Arn>${arn}</Arn>`,
    '    <UserId>AROAEXAMPLEID:alice@example.com</UserId>',
    `    <Account>${account}</Account>`,
    '  </GetCallerIdentityResult>',
    '  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>',
    '</GetCallerIdentityResponse>',
  ].join('\n');
}

/** A stand-in for fetch that answers every request with `status` and `body`, and records the requests. */
export function fakeSts(
  body: string,
  status = 200,
): jest.Mock<Promise<Response>, [string | URL | Request, RequestInit?]> {
  return jest.fn((_url: string | URL | Request, _init?: RequestInit) =>
    Promise.resolve(new Response(body, { status })),
  );
}
