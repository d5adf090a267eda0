/**
 * The demo's sample AWS account: edit it and run `npm run demo` again to see the evidence change.
 *
 * Times are in days before the moment the demo runs, so the story reads the same whatever the date.
 * `null` means "never". Every realistic problem the collectors look for appears at least once; each is
 * marked PROBLEM below.
 */
export const SAMPLE_ACCOUNT_ID = '123456789012';

export interface SampleAccessKey {
  readonly active: boolean;
  readonly rotatedDaysAgo: number;
  readonly lastUsedDaysAgo: number | null;
  readonly lastUsedService?: string;
}

export interface SampleUser {
  readonly name: string;
  readonly createdDaysAgo: number;
  /** A console password, and when it was last used. */
  readonly console?: { readonly lastUsedDaysAgo: number | null; readonly changedDaysAgo: number };
  readonly mfa: 'virtual' | 'hardware' | null;
  readonly accessKeys: readonly SampleAccessKey[];
  readonly groups: readonly string[];
}

export const SAMPLE_ROOT = {
  mfa: 'hardware' as 'virtual' | 'hardware' | null,
  lastSignInDaysAgo: 41,
  accessKeys: [] as readonly SampleAccessKey[],
};

export const SAMPLE_USERS: readonly SampleUser[] = [
  // An administrator who does everything right.
  {
    name: 'alice',
    createdDaysAgo: 900,
    console: { lastUsedDaysAgo: 1, changedDaysAgo: 60 },
    mfa: 'virtual',
    accessKeys: [],
    groups: ['Admins'],
  },
  // PROBLEM: a console user without MFA.
  {
    name: 'bob',
    createdDaysAgo: 400,
    console: { lastUsedDaysAgo: 3, changedDaysAgo: 400 },
    mfa: null,
    accessKeys: [],
    groups: ['Developers'],
  },
  // PROBLEM: an inactive user: console last used 200 days ago, key unused for 150 days.
  {
    name: 'carol',
    createdDaysAgo: 700,
    console: { lastUsedDaysAgo: 200, changedDaysAgo: 700 },
    mfa: 'virtual',
    accessKeys: [{ active: true, rotatedDaysAgo: 300, lastUsedDaysAgo: 150, lastUsedService: 's3' }],
    groups: ['Developers'],
  },
  // PROBLEM: an access key created 120 days ago and never used.
  {
    name: 'deploy-bot',
    createdDaysAgo: 120,
    mfa: null,
    accessKeys: [{ active: true, rotatedDaysAgo: 120, lastUsedDaysAgo: null }],
    groups: [],
  },
  // An API-only user in daily use; its old key was deactivated, which is fine.
  {
    name: 'ci-runner',
    createdDaysAgo: 500,
    mfa: null,
    accessKeys: [
      { active: true, rotatedDaysAgo: 30, lastUsedDaysAgo: 0, lastUsedService: 'ecr' },
      { active: false, rotatedDaysAgo: 400, lastUsedDaysAgo: 95, lastUsedService: 'ecr' },
    ],
    groups: [],
  },
  // A new joiner who has not signed in yet (account created yesterday): not inactive.
  {
    name: 'erin',
    createdDaysAgo: 1,
    console: { lastUsedDaysAgo: null, changedDaysAgo: 1 },
    mfa: null,
    accessKeys: [],
    groups: ['Developers'],
  },
  // A user with no credentials at all (informational).
  { name: 'frank', createdDaysAgo: 250, mfa: null, accessKeys: [], groups: ['ReadOnly'] },
];
