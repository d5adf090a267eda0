import { Readable } from 'node:stream';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { clientSettings, settingsWithCredentials } from '../../lambdas/aws/client-config';
import { ClientFactory } from '../../lambdas/aws/client-factory';

/** Records each request as sent (after signing) and answers GetCallerIdentity. */
function recorder() {
  const requests: HttpRequest[] = [];
  return {
    handle: async (request: HttpRequest): Promise<{ response: HttpResponse }> => {
      requests.push(request);
      const body =
        '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>111111111111</Account><Arn>arn:aws:sts::111111111111:assumed-role/soc2-evidence-member/soc2-evidence-iam-mfa</Arn><UserId>AROAEXAMPLE:soc2-evidence-iam-mfa</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>';
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    requests,
  };
}

const SESSION = {
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLEtoken',
  expiration: new Date('2026-03-02T07:00:00Z'),
};

afterEach(() => {
  delete process.env.AWS_ENDPOINT_URL;
});

describe('clients on session credentials', () => {
  it('leaves credentials to the SDK chain when none are given', () => {
    expect(clientSettings('eu-west-1')).not.toHaveProperty('credentials');
    expect(settingsWithCredentials(SESSION)('eu-west-1', 'adaptive')).toEqual({
      ...clientSettings('eu-west-1', 'adaptive'),
      credentials: SESSION,
    });
  });

  it("signs with the session, keeps the hub's settings and the standard endpoint resolution, and counts its own calls", async () => {
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
    const handler = recorder();
    const hub = new ClientFactory(
      (region, mode) => ({ ...clientSettings(region, mode), requestHandler: handler }) as never,
    );
    const member = hub.withCredentials(SESSION);

    await member.get(STSClient, 'eu-west-1').send(new GetCallerIdentityCommand({}));
    await hub.get(STSClient, 'eu-west-1').send(new GetCallerIdentityCommand({}));

    const [asMember, asHub] = handler.requests;
    expect(asMember?.hostname).toBe('localhost');
    expect(asMember?.port).toBe(4566);
    expect(asMember?.headers.authorization).toContain(`Credential=${SESSION.accessKeyId}/`);
    expect(asMember?.headers.authorization).toContain('/eu-west-1/sts/aws4_request');
    expect(asMember?.headers['x-amz-security-token']).toBe(SESSION.sessionToken);
    expect(asMember?.headers['user-agent'] ?? asMember?.headers['x-amz-user-agent']).toMatch(/soc2-evidence/);
    // The hub's own clients still sign with the SDK chain (here the environment's key), without a token.
    expect(asHub?.headers.authorization).toContain(`Credential=${process.env.AWS_ACCESS_KEY_ID}/`);
    expect(asHub?.headers['x-amz-security-token']).toBeUndefined();
    expect(member.sdkStats.calls).toBe(1);
    expect(hub.sdkStats.calls).toBe(1);
    expect(member.get(STSClient, 'eu-west-1')).not.toBe(hub.get(STSClient, 'eu-west-1'));
  });
});
