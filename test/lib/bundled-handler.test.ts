import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256Base64 } from '../../lambdas/evidence/canonical-json';
import type { Envelope } from '../../lambdas/evidence/envelope';
import { handlerEntry } from '../../lib/scheduled-collector';
import { bundleFunction } from '../../lib/bundle/bundle-function';
import { expectValidEnvelope } from '../helpers/envelope-schema';
import { startFakeEndpoint, type FakeEndpoint } from '../helpers/fake-aws-endpoint';

const run = promisify(execFile);
const CSV = readFileSync(join(__dirname, '..', 'fixtures', 'credential-report.csv'));

/**
 * The function as Lambda would run it: the handler bundled as the stack bundles it (bundleFunction: SDK
 * included, ES-module builds first, schema modules made tree-shakeable, minified), loaded in a fresh Node process, writing through the real S3
 * client to an AWS-compatible endpoint named by AWS_ENDPOINT_URL. Catches what unit tests cannot: a bundle
 * that does not load, or an SDK whose bundled build behaves differently on the wire.
 */
describe('the bundled iam-mfa function', () => {
  let endpoint: FakeEndpoint;
  let bundle: string;

  beforeAll(async () => {
    endpoint = await startFakeEndpoint({
      GenerateCredentialReport: () => '<State>COMPLETE</State>',
      GetCredentialReport: () =>
        `<Content>${CSV.toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-23T05:00:00Z</GeneratedTime>`,
      ListVirtualMFADevices: () => '<VirtualMFADevices></VirtualMFADevices><IsTruncated>false</IsTruncated>',
    });
    const dir = mkdtempSync(join(tmpdir(), 'soc2-bundle-'));
    await bundleFunction(handlerEntry('iam-mfa'), dir);
    bundle = join(dir, 'index.js');
  });
  afterAll(() => endpoint.close());

  it('loads, runs and writes a checked, conditional envelope and the raw report', async () => {
    const invoke = `require(${JSON.stringify(bundle)}).handler({}, {
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Soc2Evidence-iam-mfa',
      awsRequestId: '11111111-2222-3333-4444-555555555555',
      getRemainingTimeInMillis: () => 600000,
    }).then((r) => console.log('RESULT ' + JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ['-e', invoke], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_ENDPOINT_URL: endpoint.url,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        EVIDENCE_BUCKET: 'evidence-bucket',
        COLLECTOR_SETTINGS: JSON.stringify({ regions: ['us-east-1'], inactiveAfterDays: 90 }),
        SCHEDULE_EXPRESSION: 'cron(0 6 * * ? *)',
        SCHEDULE_TIME_ZONE: 'UTC',
      },
    });
    const result = JSON.parse(
      stdout
        .split('\n')
        .find((l) => l.startsWith('RESULT '))!
        .slice(7),
    ) as { key: string };
    expect(result.key).toMatch(
      /^evidence\/\d{4}\/\d{2}\/\d{2}\/iam-mfa\/123456789012\/global\/\d{6}Z-[0-9a-f-]+\.json$/,
    );

    const stored = endpoint.objects.get(`evidence-bucket/${result.key}`)!;
    expect(stored.headers['if-none-match']).toBe('*');
    expect(stored.headers['x-amz-checksum-sha256']).toBe(sha256Base64(stored.body));
    const envelope = JSON.parse(stored.body.toString()) as Envelope;
    expectValidEnvelope(envelope);
    expect(envelope.summary).toMatchObject({ status: 'FAIL', evaluated: 5, failed: 2 });
    const report = endpoint.objects.get(`evidence-bucket/${envelope.sources[0]!.key}`)!;
    expect(report.body).toEqual(CSV);
  });
});
