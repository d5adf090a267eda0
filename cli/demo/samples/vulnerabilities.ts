import { SAMPLE_ACCOUNT_ID } from '../sample-account';
import type { Answers } from '../offline-clients';

/**
 * The sample account's Amazon Inspector (read by `vulnerabilities`): its status per region and its findings.
 * Findings are dated back from the demo's today, so a replayed earlier day sees only those already observed.
 */

const DAY = 86_400_000;
const A = SAMPLE_ACCOUNT_ID;

type ScanStatus = 'ENABLED' | 'DISABLED' | 'ENABLING' | 'SUSPENDED';

interface SampleInspector {
  readonly account: ScanStatus;
  readonly ec2: ScanStatus;
  readonly ecr: ScanStatus;
  readonly lambda: ScanStatus;
  readonly lambdaCode: ScanStatus;
}

const INSPECTOR: Readonly<Record<string, SampleInspector>> = {
  // PROBLEM: Inspector scans EC2 and ECR in us-east-1 but Lambda scanning was never turned on, so the
  // functions' dependencies are never checked for known vulnerabilities.
  'us-east-1': {
    account: 'ENABLED',
    ec2: 'ENABLED',
    ecr: 'ENABLED',
    lambda: 'DISABLED',
    lambdaCode: 'DISABLED',
  },
  // Done right: every scan type on, Lambda code scanning too.
  'eu-west-1': {
    account: 'ENABLED',
    ec2: 'ENABLED',
    ecr: 'ENABLED',
    lambda: 'ENABLED',
    lambdaCode: 'ENABLED',
  },
};

type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

interface SampleFinding {
  readonly id: string;
  readonly region: string;
  readonly severity: Severity;
  readonly title: string;
  readonly cve: string;
  readonly resource:
    | { readonly type: 'AWS_EC2_INSTANCE'; readonly id: string }
    | { readonly type: 'AWS_ECR_CONTAINER_IMAGE'; readonly repository: string; readonly digest: string };
  readonly pkg: {
    readonly name: string;
    readonly version: string;
    readonly fixedInVersion?: string;
    readonly manager: string;
  };
  readonly firstObservedDaysAgo: number;
  readonly fix: 'YES' | 'NO' | 'PARTIAL';
  readonly score: number;
}

const WEB = { type: 'AWS_EC2_INSTANCE', id: 'i-0a1b2c3d4e5f60001' } as const;
const BATCH = { type: 'AWS_EC2_INSTANCE', id: 'i-0a1b2c3d4e5f60002' } as const;
const API_IMAGE = {
  type: 'AWS_ECR_CONTAINER_IMAGE',
  repository: 'payments-api',
  digest: 'sha256:5d1c0b6f9e8a7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170ab12c',
} as const;
const EU_IMAGE = {
  type: 'AWS_ECR_CONTAINER_IMAGE',
  repository: 'reports',
  digest: 'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
} as const;

const FINDINGS: readonly SampleFinding[] = [
  // PROBLEM: a critical OpenSSH vulnerability on the web server, first seen 12 days ago with a fix
  // available: past the 7-day SLA for critical findings.
  {
    id: '0e436649379db5f327e3cf5bb4421d76',
    region: 'us-east-1',
    severity: 'CRITICAL',
    title: 'CVE-2024-6387 - openssh-server',
    cve: 'CVE-2024-6387',
    resource: WEB,
    pkg: {
      name: 'openssh-server',
      version: '8.7p1-38.el9',
      fixedInVersion: '8.7p1-38.el9_4.1',
      manager: 'OS',
    },
    firstObservedDaysAgo: 12,
    fix: 'YES',
    score: 9.8,
  },
  // A high finding in the payments API image, seen 9 days ago: open, within its 30-day SLA (WARN).
  {
    id: '1a2b3c4d5e6f708192a3b4c5d6e7f801',
    region: 'us-east-1',
    severity: 'HIGH',
    title: 'CVE-2024-24790 - stdlib',
    cve: 'CVE-2024-24790',
    resource: API_IMAGE,
    pkg: { name: 'stdlib', version: 'go1.21.5', fixedInVersion: '1.21.11', manager: 'GOBINARY' },
    firstObservedDaysAgo: 9,
    fix: 'YES',
    score: 7.5,
  },
  // A high finding on the batch host with no fix published yet, seen 3 days ago (WARN).
  {
    id: '2b3c4d5e6f708192a3b4c5d6e7f80912',
    region: 'us-east-1',
    severity: 'HIGH',
    title: 'CVE-2025-0395 - glibc',
    cve: 'CVE-2025-0395',
    resource: BATCH,
    pkg: { name: 'glibc', version: '2.34-100.el9', manager: 'OS' },
    firstObservedDaysAgo: 3,
    fix: 'NO',
    score: 7.5,
  },
  // Medium and low findings: counted, not judged.
  ...(
    [
      ['3c4d5e6f708192a3b4c5d6e7f8091223', 'MEDIUM', 'CVE-2024-2511 - openssl', 'openssl', WEB, 40, 'YES'],
      [
        '4d5e6f708192a3b4c5d6e7f809122334',
        'MEDIUM',
        'CVE-2024-28182 - nghttp2',
        'nghttp2',
        API_IMAGE,
        20,
        'YES',
      ],
      ['5e6f708192a3b4c5d6e7f80912233445', 'MEDIUM', 'CVE-2024-0727 - openssl', 'openssl', BATCH, 60, 'NO'],
      ['6f708192a3b4c5d6e7f8091223344556', 'LOW', 'CVE-2023-4039 - gcc', 'gcc', WEB, 80, 'NO'],
      [
        '708192a3b4c5d6e7f809122334455667',
        'LOW',
        'CVE-2024-26458 - krb5-libs',
        'krb5-libs',
        BATCH,
        15,
        'YES',
      ],
      [
        '8192a3b4c5d6e7f80912233445566778',
        'INFORMATIONAL',
        'CVE-2022-3219 - gnupg2',
        'gnupg2',
        WEB,
        100,
        'NO',
      ],
      [
        '92a3b4c5d6e7f8091223344556677889',
        'MEDIUM',
        'CVE-2024-6119 - openssl',
        'openssl',
        EU_IMAGE,
        10,
        'YES',
      ],
      ['a3b4c5d6e7f809122334455667788990', 'LOW', 'CVE-2024-2398 - curl', 'curl', EU_IMAGE, 30, 'YES'],
    ] as const
  ).map(([id, severity, title, name, resource, days, fix]): SampleFinding => ({
    id,
    region: resource === EU_IMAGE ? 'eu-west-1' : 'us-east-1',
    severity,
    title,
    cve: title.split(' ')[0]!,
    resource,
    pkg: { name, version: '1.0.0', ...(fix === 'YES' ? { fixedInVersion: '1.0.1' } : {}), manager: 'OS' },
    firstObservedDaysAgo: days,
    fix,
    score: severity === 'MEDIUM' ? 5.9 : severity === 'LOW' ? 3.1 : 0,
  })),
];

function resourceOf(f: SampleFinding) {
  if (f.resource.type === 'AWS_EC2_INSTANCE')
    return { type: f.resource.type, id: f.resource.id, region: f.region };
  const { repository, digest } = f.resource;
  return {
    type: f.resource.type,
    id: `arn:aws:ecr:${f.region}:${A}:repository/${repository}/${digest}`,
    region: f.region,
    details: {
      awsEcrContainerImage: { repositoryName: repository, imageHash: digest, imageTags: ['latest'] },
    },
  };
}

type Filter = readonly { comparison?: string; value?: string }[] | undefined;

const equals = (filter: Filter, value: string) =>
  !filter || filter.length === 0 || filter.some((c) => c.comparison === 'EQUALS' && c.value === value);

/** The sample account's Inspector answers. */
export function vulnerabilitiesAnswers(now: Date, demoNow: Date): Answers {
  const observedAt = (f: SampleFinding) => new Date(demoNow.getTime() - f.firstObservedDaysAgo * DAY);
  // Findings first observed after the day being answered did not exist yet on it.
  const active = (region: string) =>
    FINDINGS.filter((f) => f.region === region && observedAt(f).getTime() <= now.getTime());
  const state = (status: ScanStatus) => ({ status });
  return {
    'Inspector2:BatchGetAccountStatus': (_input, region) => {
      const s = INSPECTOR[region];
      if (!s) return { accounts: [], failedAccounts: [] };
      return {
        accounts: [
          {
            accountId: A,
            state: state(s.account),
            resourceState: {
              ec2: state(s.ec2),
              ecr: state(s.ecr),
              lambda: state(s.lambda),
              lambdaCode: state(s.lambdaCode),
            },
          },
        ],
        failedAccounts: [],
      };
    },
    'Inspector2:ListFindingAggregations': (input, region) => {
      const fs = active(region);
      const n = (s: Severity) => fs.filter((f) => f.severity === s).length;
      return {
        aggregationType: 'ACCOUNT',
        responses: [
          {
            accountAggregation: {
              accountId: A,
              severityCounts: {
                all: fs.length,
                critical: n('CRITICAL'),
                high: n('HIGH'),
                medium: n('MEDIUM'),
              },
              fixAvailableCount: fs.filter((f) => f.fix === 'YES').length,
              exploitAvailableCount: fs.filter((f) => f.cve === 'CVE-2024-6387').length,
            },
          },
        ].filter(() => equals(input.accountIds as Filter, A)),
      };
    },
    'Inspector2:ListFindings': (input, region) => {
      const c = (input.filterCriteria ?? {}) as Record<string, Filter>;
      const findings = active(region)
        .filter(
          (f) =>
            equals(c.findingStatus, 'ACTIVE') && equals(c.severity, f.severity) && equals(c.awsAccountId, A),
        )
        .map((f) => ({
          findingArn: `arn:aws:inspector2:${region}:${A}:finding/${f.id}`,
          awsAccountId: A,
          type: 'PACKAGE_VULNERABILITY',
          title: f.title,
          description: `${f.cve} in ${f.pkg.name}.`,
          severity: f.severity,
          status: 'ACTIVE',
          firstObservedAt: observedAt(f),
          lastObservedAt: new Date(now.getTime() - 6 * 3_600_000),
          updatedAt: new Date(now.getTime() - 6 * 3_600_000),
          resources: [resourceOf(f)],
          packageVulnerabilityDetails: {
            vulnerabilityId: f.cve,
            source: 'NVD',
            vulnerablePackages: [
              {
                name: f.pkg.name,
                version: f.pkg.version,
                packageManager: f.pkg.manager,
                ...(f.pkg.fixedInVersion ? { fixedInVersion: f.pkg.fixedInVersion } : {}),
              },
            ],
          },
          remediation: { recommendation: { text: `Update ${f.pkg.name}.` } },
          fixAvailable: f.fix,
          exploitAvailable: f.cve === 'CVE-2024-6387' ? 'YES' : 'NO',
          inspectorScore: f.score,
        }));
      return { findings };
    },
  };
}
