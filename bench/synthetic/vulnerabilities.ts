import { REGION_CONCURRENCY } from '../../lambdas/readers/regions';
import { makespan } from '../minimums';
import { ACCOUNT_ID, seededRandom, slice, type PageRule, type SyntheticAccount } from '../synthetic-account';
import type { ControlBench } from './control-bench';

/** ListFindings and ListFindingAggregations: at most 100 a page, 100 when none is asked for (per the API
 * reference, maxResults 1 to 100). */
const INSPECTOR_PAGE: PageRule = { max: 100, dflt: 100 };
const DAY = 86_400_000;

type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
/** A realistic spread of Inspector findings: most medium and low, a few critical. */
const SEVERITY_WEIGHTS: readonly (readonly [Severity, number])[] = [
  ['CRITICAL', 0.02],
  ['HIGH', 0.13],
  ['MEDIUM', 0.45],
  ['LOW', 0.35],
  ['INFORMATIONAL', 0.05],
];

interface SynthFinding {
  readonly k: number;
  readonly severity: Severity;
  readonly daysAgo: number;
  readonly fix: 'YES' | 'NO' | 'PARTIAL';
  /** EC2 instance (index) or ECR image (index). */
  readonly resource: { readonly kind: 'ec2' | 'ecr'; readonly index: number };
}

/**
 * Findings of a region, proportional to its workloads: about two per EC2 instance (one instance per three
 * security groups of the region) and one per five buckets' worth of ECR images, so the default account holds
 * thousands of active findings.
 */
function regionFindings(account: SyntheticAccount, region: string): SynthFinding[] {
  const instances = Math.ceil(account.countIn(account.sizes.securityGroups, region) / 3);
  const images = Math.ceil(account.countIn(account.sizes.buckets, region) / 5);
  const total = instances * 6 + images;
  const out: SynthFinding[] = [];
  const seed = [...region].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, account.seed);
  const rnd = seededRandom(seed);
  for (let k = 0; k < total; k++) {
    const r = rnd();
    let acc = 0;
    let severity: Severity = 'INFORMATIONAL';
    for (const [s, w] of SEVERITY_WEIGHTS) {
      acc += w;
      if (r < acc) {
        severity = s;
        break;
      }
    }
    const f = rnd();
    out.push({
      k,
      severity,
      daysAgo: Math.floor(rnd() * 60),
      fix: f < 0.7 ? 'YES' : f < 0.9 ? 'NO' : 'PARTIAL',
      resource:
        k < instances * 6 ? { kind: 'ec2', index: k % instances } : { kind: 'ecr', index: k - instances * 6 },
    });
  }
  return out;
}

function findingsOf(account: SyntheticAccount): (region: string) => SynthFinding[] {
  const cache = new Map<string, SynthFinding[]>();
  return (region) => {
    let fs = cache.get(region);
    if (!fs) cache.set(region, (fs = regionFindings(account, region)));
    return fs;
  };
}

/** The last region leaves Lambda scanning off, as accounts that never ran functions there often do. */
const lambdaStatus = (account: SyntheticAccount, region: string) =>
  region === account.regions[account.regions.length - 1] && account.regions.length > 1
    ? 'DISABLED'
    : 'ENABLED';

type Filter = readonly { comparison?: string; value?: string }[] | undefined;
const matches = (filter: Filter, value: string) =>
  !filter?.length || filter.some((c) => c.comparison === 'EQUALS' && c.value === value);

const count = (fs: readonly SynthFinding[], s: Severity) => fs.filter((f) => f.severity === s).length;
const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

export const vulnerabilitiesBench: ControlBench = {
  answers: (account) => {
    const findings = findingsOf(account);
    const state = (status: string) => ({ status });
    return {
      'Inspector2:BatchGetAccountStatus': (_input, region) => ({
        accounts: [
          {
            accountId: ACCOUNT_ID,
            state: state('ENABLED'),
            resourceState: {
              ec2: state('ENABLED'),
              ecr: state('ENABLED'),
              lambda: state(lambdaStatus(account, region)),
              lambdaCode: state('DISABLED'),
            },
          },
        ],
        failedAccounts: [],
      }),
      'Inspector2:ListFindingAggregations': (input, region) => {
        const fs = findings(region);
        const rows = matches(input.accountIds as Filter, ACCOUNT_ID)
          ? [
              {
                accountAggregation: {
                  accountId: ACCOUNT_ID,
                  severityCounts: {
                    all: fs.length,
                    critical: count(fs, 'CRITICAL'),
                    high: count(fs, 'HIGH'),
                    medium: count(fs, 'MEDIUM'),
                  },
                  fixAvailableCount: fs.filter((f) => f.fix === 'YES').length,
                  exploitAvailableCount: 0,
                },
              },
            ]
          : [];
        return { aggregationType: 'ACCOUNT', responses: rows };
      },
      'Inspector2:ListFindings': (input, region) => {
        const c = (input.filterCriteria ?? {}) as Record<string, Filter>;
        const selected = findings(region).filter(
          (f) =>
            matches(c.findingStatus, 'ACTIVE') &&
            matches(c.severity, f.severity) &&
            matches(c.awsAccountId, ACCOUNT_ID),
        );
        const api = `Inspector2:ListFindings:${region}:${JSON.stringify(c.severity ?? null)}`;
        const { from, to, next } = slice(
          api,
          selected.length,
          INSPECTOR_PAGE,
          input.maxResults,
          input.nextToken,
        );
        const now = account.now.getTime();
        return {
          findings: selected.slice(from, to).map((f) => ({
            findingArn: `arn:aws:inspector2:${region}:${ACCOUNT_ID}:finding/${region}-${f.k}`,
            awsAccountId: ACCOUNT_ID,
            type: 'PACKAGE_VULNERABILITY',
            title: `CVE-2025-${10000 + (f.k % 5000)} - pkg-${f.k % 97}`,
            description: 'A synthetic vulnerability.',
            severity: f.severity,
            status: 'ACTIVE',
            firstObservedAt: new Date(now - f.daysAgo * DAY),
            lastObservedAt: new Date(now - 3_600_000),
            resources: [
              f.resource.kind === 'ec2'
                ? { type: 'AWS_EC2_INSTANCE', id: `i-${String(f.resource.index).padStart(17, '0')}`, region }
                : {
                    type: 'AWS_ECR_CONTAINER_IMAGE',
                    id: `arn:aws:ecr:${region}:${ACCOUNT_ID}:repository/app-${f.resource.index % 50}/sha256:${String(f.resource.index).padStart(64, '0')}`,
                    region,
                  },
            ],
            packageVulnerabilityDetails: {
              vulnerabilityId: `CVE-2025-${10000 + (f.k % 5000)}`,
              source: 'NVD',
              vulnerablePackages: [
                {
                  name: `pkg-${f.k % 97}`,
                  version: '1.0.0',
                  ...(f.fix === 'NO' ? {} : { fixedInVersion: '1.0.1' }),
                },
              ],
            },
            remediation: { recommendation: { text: 'Update the package.' } },
            fixAvailable: f.fix,
            exploitAvailable: 'NO',
            inspectorScore: f.severity === 'CRITICAL' ? 9.8 : 7.5,
          })),
          ...(next ? { nextToken: next } : {}),
        };
      },
    };
  },

  floor: (account, latencyMs) => {
    const findings = findingsOf(account);
    const perRegion = account.regions.map((region) => {
      const fs = findings(region);
      const critical = pages(count(fs, 'CRITICAL'), INSPECTOR_PAGE.max);
      const high = pages(count(fs, 'HIGH'), INSPECTOR_PAGE.max);
      return { calls: 2 + critical + high, longest: Math.max(1, critical, high) };
    });
    const minCalls = perRegion.reduce((n, r) => n + r.calls, 0);
    // Two phases of regions at REGION_CONCURRENCY: the status of every region, then in each region whose
    // Inspector is on the aggregation and the two listings side by side (each listing's pages in sequence).
    const wallFloorMs =
      makespan(
        account.regions.map(() => latencyMs),
        REGION_CONCURRENCY,
      ) +
      makespan(
        perRegion.map((r) => r.longest * latencyMs),
        REGION_CONCURRENCY,
      );
    return {
      minCalls,
      formula:
        'per region: BatchGetAccountStatus (1) + ListFindingAggregations ACCOUNT (1) + ListFindings ACTIVE CRITICAL pages + ListFindings ACTIVE HIGH pages (100 a page); medium and lower are counted by the aggregation, never listed',
      wallFloorMs,
    };
  },
};
