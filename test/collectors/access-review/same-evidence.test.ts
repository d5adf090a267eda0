import { readFileSync } from 'node:fs';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { accessReview } from '../../../lambdas/collectors/access-review/collector';
import {
  POPULATION_FORMAT_VERSION,
  readPopulation,
  type Population,
} from '../../../lambdas/collectors/access-review/population';
import { canonicalJson, sha256Hex } from '../../../lambdas/evidence/canonical-json';
import { NOW, runInTempDir } from '../../helpers/run';
import { authorizationPage, largeAccount } from './large-account';

const iam = mockClient(IAMClient);
const ACCOUNT = largeAccount(2500, NOW);

/**
 * The evidence of a 2,500-user account as the access review wrote it before its memory was bounded (commit
 * 3ecb5d4, issue 18): the findings and figures, and each source's SHA-256. population.json has been written in
 * format 2 since; what it reads back as is the format-1 document of then, byte for byte.
 */
const BEFORE = {
  findingsAndFigures: '2c22c48a9c392a8aee8af0f284398129c7d3e83bccc4554410ba14915d0d6518',
  sources: {
    'credential-report.csv': 'dcadee557064f235428eff7351b68316b0f0e8c5918ea2054f0d77c61f68de19',
    'authorization-details.json': '126d6aa6f15dfb29a3b2f9d231b8862cfe1fa682188e90c99b56c2eb2859a40c',
    'population.json': '159384aed90448bc6da416a837f3e9d3ae76a1592a17c7209eadc7b2e618f263',
    'access-review.csv': '1a6e9cb3388b3de8c4468a42cc07a290e1cd5954cdef10ab6eaf92771edcfbb7',
  } as Record<string, string>,
};

beforeEach(() => {
  iam.reset();
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({
    Content: Buffer.from(ACCOUNT.credentialReport, 'utf8'),
    GeneratedTime: new Date(NOW.getTime() - 3_600_000),
  });
  iam
    .on(GetAccountAuthorizationDetailsCommand)
    .callsFake((input: { Marker?: string; MaxItems?: number }) =>
      authorizationPage(ACCOUNT, input.Marker, input.MaxItems),
    );
});

describe('access-review evidence across the memory change', () => {
  it('has the same findings, figures and sources as before, population.json reading back as it was', async () => {
    const { envelope, sourceObjects, facts } = await runInTempDir(accessReview);
    const bytes = (name: string) =>
      readFileSync(sourceObjects[envelope.sources.findIndex((s) => s.name === name)]!.location);

    const now = {
      findingsAndFigures: sha256Hex(
        canonicalJson({ findings: envelope.findings, figures: envelope.summary.figures }),
      ),
      sources: Object.fromEntries(
        envelope.sources.map((s) => [
          s.name,
          s.name === 'population.json'
            ? sha256Hex(canonicalJson(readPopulation(JSON.parse(bytes(s.name).toString('utf8')))))
            : s.sha256,
        ]),
      ),
    };
    expect(now).toEqual(BEFORE);

    // Format 2 and smaller: each group's policies once, not once per member.
    const written = JSON.parse(bytes('population.json').toString('utf8')) as { formatVersion?: number };
    expect(written.formatVersion).toBe(POPULATION_FORMAT_VERSION);
    const frozen = (facts as { population: Population }).population;
    expect(bytes('population.json').byteLength).toBeLessThan(Buffer.byteLength(canonicalJson(frozen)) * 0.8);
    expect(envelope.findings).toHaveLength(2500 + frozen.roles.length);
  });
});
