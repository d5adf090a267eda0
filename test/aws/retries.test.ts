import { Readable } from 'node:stream';
import { GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { S3Client } from '@aws-sdk/client-s3';
import { clientSettings, retryModeFor } from '../../lambdas/aws/client-config';
import { ClientFactory } from '../../lambdas/aws/client-factory';

/** A request handler that fails the first `failures` requests with `status`, then answers. */
function flaky(failures: number, status: number, code: string) {
  let seen = 0;
  return {
    handle: async (_request: HttpRequest): Promise<{ response: HttpResponse }> => {
      seen++;
      const ok = seen > failures;
      const body = ok
        ? '<GetCredentialReportResponse><GetCredentialReportResult><Content>dXNlcg==</Content><GeneratedTime>2026-11-23T05:00:00Z</GeneratedTime></GetCredentialReportResult></GetCredentialReportResponse>'
        : `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>try later</Message></Error></ErrorResponse>`;
      return {
        response: {
          statusCode: ok ? 200 : status,
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    get requests() {
      return seen;
    },
  };
}

describe('the SDK retry path, as configured for every client', () => {
  it.each([
    ['throttling', 400, 'Throttling'],
    ['a transient 5xx', 503, 'ServiceUnavailable'],
  ])('recovers from %s and counts the retries', async (_label, status, code) => {
    const handler = flaky(3, status, code);
    const factory = new ClientFactory(
      (region) => ({ ...clientSettings(region), requestHandler: handler }) as never,
    );
    const report = await factory.get(IAMClient).send(new GetCredentialReportCommand({}));
    expect(Buffer.from(report.Content!).toString()).toBe('user');
    expect(handler.requests).toBe(4);
    expect(factory.sdkStats).toEqual({ calls: 1, retries: 3, failures: 0 });
  });

  it('gives up after the configured attempts and reports the error', async () => {
    const handler = flaky(100, 400, 'Throttling');
    const factory = new ClientFactory(
      (region) => ({ ...clientSettings(region), maxAttempts: 3, requestHandler: handler }) as never,
    );
    await expect(factory.get(IAMClient).send(new GetCredentialReportCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
    });
    expect(handler.requests).toBe(3);
    expect(factory.sdkStats).toEqual({ calls: 1, retries: 2, failures: 1 });
  });

  it('uses adaptive retries for IAM, standard retries elsewhere, with a user agent naming the project', () => {
    expect(clientSettings('eu-west-1')).toEqual({
      region: 'eu-west-1',
      retryMode: 'standard',
      maxAttempts: 8,
      customUserAgent: 'soc2-evidence/0.1.0',
    });
    expect(retryModeFor('IAM')).toBe('adaptive');
    expect(retryModeFor('S3')).toBe('standard');
    const factory = new ClientFactory();
    expect(factory.get(IAMClient).config.retryMode).toBe('adaptive');
    expect(factory.get(S3Client, 'eu-west-1').config.retryMode).toBe('standard');
  });

  it('chooses the retry mode by the service, not the class name, which the minified bundles rename', () => {
    // What esbuild's minifier does to `class IAMClient`: the class is the same, its name is not.
    const Renamed = class extends IAMClient {};
    Object.defineProperty(Renamed, 'name', { value: 'Xe' });
    const RenamedS3 = class extends S3Client {};
    Object.defineProperty(RenamedS3, 'name', { value: 'Xe' });
    const factory = new ClientFactory();
    const iam = factory.get(Renamed);
    const s3 = factory.get(RenamedS3);
    expect(iam.config.retryMode).toBe('adaptive');
    expect(s3.config.retryMode).toBe('standard');
    // Two classes of the same (minified) name are two clients, each created once.
    expect(s3).not.toBe(iam as unknown);
    expect(factory.get(Renamed)).toBe(iam);
  });
});
