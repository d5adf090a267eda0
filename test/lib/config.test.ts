import {
  ConfigError,
  isKnownRegion,
  parseConfig,
  placeholderAddresses,
  placeholderRefusal,
} from '../../lib/config';

function problems(raw: unknown, requireEmails = true): readonly string[] {
  try {
    parseConfig(raw, { requireEmails });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const valid = {
  securityEmail: 'security@example.com',
  senderEmail: 'soc2@example.com',
  alarmEmail: 'alerts@example.com',
};

describe('parseConfig', () => {
  it('fills every default', () => {
    const config = parseConfig(valid, { requireEmails: true });
    expect(config).toMatchObject({
      timeZone: 'UTC',
      regions: ['us-east-1'],
      retention: { mode: 'COMPLIANCE', days: 400 },
      inactiveAfterDays: 90,
      remediationSlaDays: { critical: 7, high: 30, medium: 90 },
    });
    expect(config.schedules['iam-mfa']).toEqual({
      cron: 'cron(0 6 * * ? *)',
      timeZone: 'UTC',
      enabled: true,
    });
  });

  it('gives each schedule the top-level time zone unless it sets its own', () => {
    const config = parseConfig({
      ...valid,
      timeZone: 'Europe/Paris',
      schedules: { 'iam-mfa': { cron: 'cron(30 7 * * ? *)' } },
    });
    expect(config.schedules['iam-mfa']).toEqual({
      cron: 'cron(30 7 * * ? *)',
      timeZone: 'Europe/Paris',
      enabled: true,
    });
  });

  it('accepts rate expressions and GOVERNANCE retention', () => {
    expect(
      problems({
        ...valid,
        retention: { mode: 'GOVERNANCE', days: 30, acknowledgeGovernanceBypass: true },
        schedules: { 'iam-mfa': { cron: 'rate(1 day)' } },
      }),
    ).toEqual([]);
  });

  it('refuses GOVERNANCE retention unless its bypass is acknowledged', () => {
    const refusal =
      'soc2Evidence.retention.acknowledgeGovernanceBypass must be true when retention.mode is "GOVERNANCE" (principals with s3:BypassGovernanceRetention can delete evidence early)';
    expect(problems({ ...valid, retention: { mode: 'GOVERNANCE', days: 30 } })).toEqual([refusal]);
    expect(
      problems({ ...valid, retention: { mode: 'GOVERNANCE', days: 30, acknowledgeGovernanceBypass: false } }),
    ).toEqual([refusal]);
    expect(parseConfig({ ...valid }).retention.acknowledgeGovernanceBypass).toBe(false);
    expect(
      problems({ ...valid, retention: { mode: 'COMPLIANCE', acknowledgeGovernanceBypass: 'yes' } }),
    ).toEqual(['soc2Evidence.retention.acknowledgeGovernanceBypass must be true or false, got "yes"']);
  });

  it('refuses COMPLIANCE retention under 365 days unless it is acknowledged, in one line naming the key', () => {
    const refusal = (days: number) =>
      `soc2Evidence.retention.acknowledgeShortRetention must be true when retention.mode is "COMPLIANCE" and retention.days is under 365 (got ${days}: evidence would expire before a twelve-month audit period ends)`;
    expect(problems({ ...valid, retention: { days: 364 } })).toEqual([refusal(364)]);
    expect(problems({ ...valid, retention: { mode: 'COMPLIANCE', days: 30 } })).toEqual([refusal(30)]);
    expect(problems({ ...valid, retention: { days: 30, acknowledgeShortRetention: true } })).toEqual([]);
    expect(problems({ ...valid, retention: { days: 365 } })).toEqual([]);
    // GOVERNANCE has its own acknowledgement; a short GOVERNANCE retention needs no other.
    expect(
      problems({ ...valid, retention: { mode: 'GOVERNANCE', days: 1, acknowledgeGovernanceBypass: true } }),
    ).toEqual([]);
    expect(parseConfig(valid).retention.acknowledgeShortRetention).toBe(false);
    expect(problems({ ...valid, retention: { acknowledgeShortRetention: 1 } })).toEqual([
      'soc2Evidence.retention.acknowledgeShortRetention must be true or false, got 1',
    ]);
  });

  it.each([
    ['rate(5 minutes)', 'it runs every 5 minute(s)'],
    ['rate(1 minute)', 'it runs every 1 minute(s)'],
    ['rate(59 minutes)', 'it runs every 59 minute(s)'],
    ['cron(0/5 * * * ? *)', 'its minutes field "0/5" fires 12 times an hour'],
    ['cron(0,30 6 * * ? *)', 'its minutes field "0,30" fires 2 times an hour'],
    ['cron(* 6 * * ? *)', 'its minutes field "*" fires 60 times an hour'],
    ['cron(0-4 6 * * ? *)', 'its minutes field "0-4" fires 5 times an hour'],
    ['cron(5/20 6 * * ? *)', 'its minutes field "5/20" fires 3 times an hour'],
  ])('refuses %s: more often than hourly, naming the schedule key', (cron, why) => {
    expect(problems({ ...valid, schedules: { backups: { cron } } })).toEqual([
      `soc2Evidence.schedules.backups.cron must be a schedule that runs at most once an hour, such as "cron(0 6 * * ? *)" or "rate(1 hour)" (each run writes evidence nobody can delete until its retention ends); ${why}, got "${cron}"`,
    ]);
  });

  it.each([
    'rate(60 minutes)',
    'rate(1 hour)',
    'cron(0 * * * ? *)',
    'cron(15 0/2 * * ? *)',
    'cron(0/60 6 * * ? *)',
  ])('accepts %s: at most hourly', (cron) => {
    expect(problems({ ...valid, schedules: { backups: { cron } } })).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    [
      'retention days not a number',
      { retention: { days: 'abc' } },
      'soc2Evidence.retention.days must be an integer from 1 to 36500, got "abc"',
    ],
    [
      'retention days too long',
      { retention: { days: 36501 } },
      'soc2Evidence.retention.days must be an integer from 1 to 36500, got 36501',
    ],
    [
      'retention days fractional',
      { retention: { days: 1.5 } },
      'soc2Evidence.retention.days must be an integer from 1 to 36500, got 1.5',
    ],
    [
      'retention mode',
      { retention: { mode: 'LEGAL_HOLD' } },
      'soc2Evidence.retention.mode must be "COMPLIANCE" or "GOVERNANCE", got "LEGAL_HOLD"',
    ],
    [
      'retention not an object',
      { retention: 400 },
      'soc2Evidence.retention must be an object such as { "mode": "COMPLIANCE", "days": 400 }, got 400',
    ],
    [
      'bad security email',
      { securityEmail: 'security' },
      'soc2Evidence.securityEmail must be an email address such as security@example.com, got "security"',
    ],
    [
      'bad alarm email',
      { alarmEmail: 42 },
      'soc2Evidence.alarmEmail must be an email address such as security@example.com, got 42',
    ],
    [
      'time zone',
      { timeZone: 'Mars/Olympus' },
      'soc2Evidence.timeZone must be an IANA time zone name such as "Europe/Paris" or "UTC", got "Mars/Olympus"',
    ],
    [
      'empty regions',
      { regions: [] },
      'soc2Evidence.regions must be a list of one or more AWS region codes such as ["us-east-1", "eu-west-1"], got []',
    ],
    [
      'region not a list',
      { regions: 'us-east-1' },
      'soc2Evidence.regions must be a list of one or more AWS region codes such as ["us-east-1", "eu-west-1"], got "us-east-1"',
    ],
    [
      'bad region',
      { regions: ['us-east-1', 'Frankfurt'] },
      'soc2Evidence.regions[1] must be an AWS region code such as "eu-west-1", got "Frankfurt"',
    ],
    [
      'duplicate regions',
      { regions: ['us-east-1', 'us-east-1'] },
      'soc2Evidence.regions must be a list without duplicates, got ["us-east-1","us-east-1"]',
    ],
    [
      'inactive days zero',
      { inactiveAfterDays: 0 },
      'soc2Evidence.inactiveAfterDays must be an integer from 1 to 3650, got 0',
    ],
    [
      'inactive days string',
      { inactiveAfterDays: '90' },
      'soc2Evidence.inactiveAfterDays must be an integer from 1 to 3650, got "90"',
    ],
    [
      'unknown key with a hint',
      { regoins: ['us-east-1'] },
      'soc2Evidence has an unknown key "regoins" (did you mean "regions"?)',
    ],
    [
      'unknown nested key',
      { retention: { day: 10 } },
      'soc2Evidence.retention has an unknown key "day" (did you mean "days"?); known keys: mode, days',
    ],
    [
      'unknown collector',
      { schedules: { 'iam-mfaa': {} } },
      'soc2Evidence.schedules has an unknown key "iam-mfaa" (did you mean "iam-mfa"?)',
    ],
    [
      'cron with 5 fields',
      { schedules: { 'iam-mfa': { cron: 'cron(0 6 * * ?)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (cron takes 6 fields (minutes hours day-of-month month day-of-week year), found 5), got "cron(0 6 * * ?)"',
    ],
    [
      'cron without ?',
      { schedules: { 'iam-mfa': { cron: 'cron(0 6 * * * *)' } } },
      'exactly one of day-of-month and day-of-week must be "?"',
    ],
    [
      'unix cron',
      { schedules: { 'iam-mfa': { cron: '0 6 * * *' } } },
      'it is neither cron(...) nor rate(...)',
    ],
    ['rate plural', { schedules: { 'iam-mfa': { cron: 'rate(1 days)' } } }, 'use "1 day"'],
    [
      'schedule time zone',
      { schedules: { 'iam-mfa': { timeZone: 'CEST' } } },
      'soc2Evidence.schedules.iam-mfa.timeZone must be an IANA time zone name',
    ],
    [
      'schedule enabled',
      { schedules: { 'iam-mfa': { enabled: 'yes' } } },
      'soc2Evidence.schedules.iam-mfa.enabled must be true or false, got "yes"',
    ],
    [
      'break-glass not a role ARN',
      { breakGlassRoleArn: 'arn:aws:iam::123456789012:user/alice' },
      'soc2Evidence.breakGlassRoleArn must be an IAM role ARN such as "arn:aws:iam::123456789012:role/EvidenceBreakGlass", got "arn:aws:iam::123456789012:user/alice"',
    ],
    [
      'cron hour 25',
      { schedules: { 'iam-mfa': { cron: 'cron(0 25 * * ? *)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (the hours field "25" is not valid: "25" is outside 0-23), got "cron(0 25 * * ? *)"',
    ],
    [
      'cron minute 60',
      { schedules: { 'iam-mfa': { cron: 'cron(60 6 * * ? *)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (the minutes field "60" is not valid: "60" is outside 0-59), got "cron(60 6 * * ? *)"',
    ],
    [
      'cron day-of-month 32',
      { schedules: { 'iam-mfa': { cron: 'cron(0 6 32 * ? *)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (the day-of-month field "32" is not valid: "32" is outside 1-31), got "cron(0 6 32 * ? *)"',
    ],
    [
      'cron nearest weekday 32W',
      { schedules: { 'iam-mfa': { cron: 'cron(0 6 32W * ? *)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (the day-of-month field "32W" is not valid: "32" is outside 1-31), got "cron(0 6 32W * ? *)"',
    ],
    [
      'cron month 13',
      { schedules: { 'iam-mfa': { cron: 'cron(0 6 1 13 ? *)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (the month field "13" is not valid: "13" is outside 1-12), got "cron(0 6 1 13 ? *)"',
    ],
    [
      'cron day-of-week 0',
      { schedules: { 'iam-mfa': { cron: 'cron(0 6 ? * 0 *)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (the day-of-week field "0" is not valid: "0" is outside 1-7), got "cron(0 6 ? * 0 *)"',
    ],
    [
      'cron nth day-of-week 8#2',
      { schedules: { 'iam-mfa': { cron: 'cron(0 6 ? * 8#2 *)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (the day-of-week field "8#2" is not valid: "8" is outside 1-7), got "cron(0 6 ? * 8#2 *)"',
    ],
    [
      'cron year 2200',
      { schedules: { 'iam-mfa': { cron: 'cron(0 6 * * ? 2200)' } } },
      'soc2Evidence.schedules.iam-mfa.cron must be an EventBridge Scheduler expression such as "cron(0 6 * * ? *)" or "rate(1 day)" (the year field "2200" is not valid: "2200" is outside 1970-2199), got "cron(0 6 * * ? 2200)"',
    ],
    [
      'region that fits the pattern but does not exist',
      { regions: ['eu-west-1', 'eu-west-9'] },
      'soc2Evidence.regions[1] must be a region the AWS SDK knows, such as "eu-west-1" (no such region; a region newer than the SDK needs an SDK update), got "eu-west-9"',
    ],
    [
      'remediation SLA of zero days',
      { remediationSlaDays: { critical: 0 } },
      'soc2Evidence.remediationSlaDays.critical must be an integer from 1 to 3650, got 0',
    ],
    [
      'remediation SLA for a severity that has none',
      { remediationSlaDays: { urgent: 3 } },
      'soc2Evidence.remediationSlaDays',
    ],
    [
      'remediation SLA not an object',
      { remediationSlaDays: 7 },
      'soc2Evidence.remediationSlaDays must be an object of days by severity such as { "critical": 7, "high": 30, "medium": 90 }, got 7',
    ],
    [
      'threat response window of zero hours',
      { threatResponseHours: { critical: 0 } },
      'soc2Evidence.threatResponseHours.critical must be an integer from 1 to 8760, got 0',
    ],
    [
      'threat response window for a severity GuardDuty findings are not judged by',
      { threatResponseHours: { medium: 24 } },
      'soc2Evidence.threatResponseHours has an unknown key "medium"',
    ],
    [
      'requireSecurityHub as a string',
      { requireSecurityHub: 'yes' },
      'soc2Evidence.requireSecurityHub must be true or false, got "yes"',
    ],
    [
      'log retention of zero days',
      { logRetentionDays: 0 },
      'soc2Evidence.logRetentionDays must be an integer from 1 to 3653, got 0',
    ],
    [
      'a password length IAM does not accept',
      { passwordPolicy: { minimumLength: 5 } },
      'soc2Evidence.passwordPolicy.minimumLength must be an integer from 6 to 128, got 5',
    ],
    [
      'password reuse prevention above what IAM remembers',
      { passwordPolicy: { reusePrevention: 25 } },
      'soc2Evidence.passwordPolicy.reusePrevention must be an integer from 0 to 24, got 25',
    ],
    [
      'a password maximum age IAM does not accept',
      { passwordPolicy: { maxAgeDays: 2000 } },
      'soc2Evidence.passwordPolicy.maxAgeDays must be an integer from 1 to 1095, got 2000',
    ],
    [
      'a misspelt password policy key',
      { passwordPolicy: { minLength: 14 } },
      'soc2Evidence.passwordPolicy has an unknown key "minLength"; known keys: minimumLength, requireSymbols',
    ],
    [
      'access key age as a string',
      { maxAccessKeyAgeDays: '90' },
      'soc2Evidence.maxAccessKeyAgeDays must be an integer from 1 to 3650, got "90"',
    ],
    [
      'production tag without a key',
      { productionTag: { value: 'production' } },
      'soc2Evidence.productionTag.key is required: a tag key of 1 to 128 characters, such as "Environment"',
    ],
    [
      'production tag as a string',
      { productionTag: 'Environment=production' },
      'soc2Evidence.productionTag must be an object such as { "key": "Environment", "value": "production" }, got "Environment=production"',
    ],
    [
      'versioning exemption tag with an empty key',
      { versioningExemptTag: { key: '' } },
      'soc2Evidence.versioningExemptTag.key must be a tag key of 1 to 128 characters, such as "Environment", got ""',
    ],
    [
      'restore test age of zero days',
      { restoreTestMaxAgeDays: 0 },
      'soc2Evidence.restoreTestMaxAgeDays must be an integer from 1 to 3650, got 0',
    ],
    [
      'an approved administrator that is not an ARN',
      { approvedAdministrators: ['alice'] },
      'soc2Evidence.approvedAdministrators[0] must be an IAM user, role or group ARN such as "arn:aws:iam::123456789012:role/Admin", got "alice"',
    ],
    [
      'an approved administrator that is a policy ARN',
      { approvedAdministrators: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      'soc2Evidence.approvedAdministrators[0] must be an IAM user, role or group ARN such as "arn:aws:iam::123456789012:role/Admin", got "arn:aws:iam::aws:policy/AdministratorAccess"',
    ],
    [
      'the same approved administrator twice',
      {
        approvedAdministrators: [
          'arn:aws:iam::123456789012:group/Admins',
          'arn:aws:iam::123456789012:group/Admins',
        ],
      },
      'soc2Evidence.approvedAdministrators must be a list without duplicates',
    ],
    ['not an object', 'hello', 'soc2Evidence must be an object, got "hello"'],
    [
      "port lists longer than a function's environment can carry, with no administrator approved",
      { adminPorts: Array.from({ length: 700 }, (_, i) => 1000 + i) },
      "soc2Evidence's collector settings (the longest lists: adminPorts, publicWebPorts, regions, approvedAdministrators) make the settings",
    ],
    [
      "more approved administrators than a function's environment can carry",
      {
        approvedAdministrators: Array.from(
          { length: 60 },
          (_, i) => `arn:aws:iam::123456789012:role/platform-team/administrator-number-${i}`,
        ),
      },
      'soc2Evidence.approvedAdministrators makes the settings every collector function receives',
    ],
  ])('refuses %s', (_label, bad, message) => {
    const found = problems({ ...valid, ...(typeof bad === 'object' ? bad : {}) });
    const all = typeof bad === 'object' ? found : problems(bad);
    expect(all.some((p) => p.includes(message))).toBe(true);
  });

  it.each([
    'cron(0 6 * * ? *)',
    'cron(0 8-17 ? * MON-FRI *)',
    'cron(0 9 1 1,4,7,10 ? *)',
    'cron(59 23 L * ? *)',
    'cron(0 6 LW * ? *)',
    'cron(0 6 15W * ? *)',
    'cron(0 6 ? * 6#3 *)',
    'cron(0 6 ? * FRIL *)',
    'cron(0 6 ? JAN-DEC 1-7 2026-2199)',
    'cron(0 6 */2 * ? 2026/2)',
  ])('accepts %s (every field within its range)', (cron) => {
    expect(problems({ ...valid, schedules: { 'iam-mfa': { cron } } })).toEqual([]);
  });

  it('knows regions from the SDK partition data, in every partition', () => {
    for (const r of ['us-east-1', 'eu-central-2', 'cn-north-1', 'us-gov-west-1', 'ap-southeast-5'])
      expect(isKnownRegion(r)).toBe(true);
    for (const r of ['eu-west-9', 'us-east-7', 'aws-global', 'Frankfurt', 'us-east-1 '])
      expect(isKnownRegion(r)).toBe(false);
  });

  it('finds placeholder addresses at reserved example domains, naming the key and what to set', () => {
    expect(
      placeholderAddresses({
        securityEmail: 'security@example.com',
        senderEmail: 'soc2@mail.example.org',
        alarmEmail: 'alerts@acme.com',
      }),
    ).toEqual([
      { key: 'securityEmail', address: 'security@example.com' },
      { key: 'senderEmail', address: 'soc2@mail.example.org' },
    ]);
    expect(placeholderAddresses({ alarmEmail: 'ops@corp.test' })).toHaveLength(1);
    expect(
      placeholderAddresses({ securityEmail: 'a@example.company.com', senderEmail: 'b@notexample.com' }),
    ).toEqual([]);
    expect(placeholderRefusal([{ key: 'alarmEmail', address: 'alerts@example.com' }])).toBe(
      'soc2Evidence.alarmEmail is "alerts@example.com" (receives the alarms; SNS emails it a subscription confirmation): these are placeholders at a reserved example domain; set them in cdk.json to real addresses you can read, then deploy again',
    );
  });

  describe('organization', () => {
    const org = { id: 'o-a1b2c3d4e5', organizationalUnits: ['ou-a1b2-c3d4e5f6'] };

    it('is absent in single-account mode, and filled with defaults when given', () => {
      expect(parseConfig(valid).organization).toBeUndefined();
      expect(parseConfig({ ...valid, organization: org }).organization).toEqual({
        id: 'o-a1b2c3d4e5',
        organizationalUnits: ['ou-a1b2-c3d4e5f6'],
        excludeAccounts: [],
        memberRoleName: 'soc2-evidence-member',
        maxConcurrency: 10,
        stackSetCallAs: 'DELEGATED_ADMIN',
      });
      expect(
        parseConfig({
          ...valid,
          organization: {
            ...org,
            organizationalUnits: ['r-a1b2', 'ou-a1b2-c3d4e5f6'],
            excludeAccounts: ['111111111111'],
            memberRoleName: 'Audit.Reader',
            maxConcurrency: 40,
            stackSetCallAs: 'SELF',
            identityCenterRegion: 'eu-west-1',
          },
        }).organization,
      ).toEqual({
        id: 'o-a1b2c3d4e5',
        organizationalUnits: ['r-a1b2', 'ou-a1b2-c3d4e5f6'],
        excludeAccounts: ['111111111111'],
        memberRoleName: 'Audit.Reader',
        maxConcurrency: 40,
        stackSetCallAs: 'SELF',
        identityCenterRegion: 'eu-west-1',
      });
    });

    const P = 'soc2Evidence.organization';
    it.each<[string, unknown, string]>([
      [
        'a string',
        'o-a1b2c3d4e5',
        `${P} must be an object such as { "id": "o-a1b2c3d4e5", "organizationalUnits": ["ou-a1b2-c3d4e5f6"] }, got "o-a1b2c3d4e5"`,
      ],
      [
        'no id',
        { organizationalUnits: ['r-a1b2'] },
        `${P}.id is required: an organization id such as "o-a1b2c3d4e5"`,
      ],
      [
        'a short id',
        { ...org, id: 'o-abc' },
        `${P}.id must be an organization id such as "o-a1b2c3d4e5", got "o-abc"`,
      ],
      [
        'an id in capitals',
        { ...org, id: 'O-A1B2C3D4E5' },
        `${P}.id must be an organization id such as "o-a1b2c3d4e5", got "O-A1B2C3D4E5"`,
      ],
      [
        'no OU',
        { ...org, organizationalUnits: [] },
        `${P}.organizationalUnits must be a list of 1 to 100 root or organizational unit ids such as ["ou-a1b2-c3d4e5f6"], got []`,
      ],
      [
        'an account id as OU',
        { ...org, organizationalUnits: ['123456789012'] },
        `${P}.organizationalUnits[0] must be a root or organizational unit id such as "r-a1b2" or "ou-a1b2-c3d4e5f6", got "123456789012"`,
      ],
      [
        'a duplicate OU',
        { ...org, organizationalUnits: ['ou-a1b2-c3d4e5f6', 'ou-a1b2-c3d4e5f6'] },
        `${P}.organizationalUnits must be a list without duplicates, got ["ou-a1b2-c3d4e5f6","ou-a1b2-c3d4e5f6"]`,
      ],
      [
        'a short account',
        { ...org, excludeAccounts: ['1234'] },
        `${P}.excludeAccounts[0] must be a 12-digit AWS account id such as "123456789012", got "1234"`,
      ],
      [
        'a duplicate account',
        { ...org, excludeAccounts: ['111111111111', '111111111111'] },
        `${P}.excludeAccounts must be a list without duplicates, got ["111111111111","111111111111"]`,
      ],
      [
        'a role name with a space',
        { ...org, memberRoleName: 'soc2 member' },
        `${P}.memberRoleName must be an IAM role name of 1 to 64 characters from A-Z a-z 0-9 and +=,.@_-, got "soc2 member"`,
      ],
      [
        'a role name of 65 characters',
        { ...org, memberRoleName: 'r'.repeat(65) },
        `${P}.memberRoleName must be an IAM role name of 1 to 64 characters from A-Z a-z 0-9 and +=,.@_-, got "${'r'.repeat(65)}"`,
      ],
      [
        'no concurrency',
        { ...org, maxConcurrency: 0 },
        `${P}.maxConcurrency must be an integer from 1 to 100, got 0`,
      ],
      [
        'a fractional concurrency',
        { ...org, maxConcurrency: 2.5 },
        `${P}.maxConcurrency must be an integer from 1 to 100, got 2.5`,
      ],
      [
        'an unknown callAs',
        { ...org, stackSetCallAs: 'ADMIN' },
        `${P}.stackSetCallAs must be "DELEGATED_ADMIN" (the hub is a StackSets delegated administrator) or "SELF" (the hub is the management account), got "ADMIN"`,
      ],
      [
        'an unknown region',
        { ...org, identityCenterRegion: 'mars-1' },
        `${P}.identityCenterRegion must be an AWS region code such as "eu-west-1", got "mars-1"`,
      ],
      [
        'an unknown key',
        { ...org, accounts: ['111111111111'] },
        `${P} has an unknown key "accounts"; known keys: id, organizationalUnits, excludeAccounts, memberRoleName, maxConcurrency, stackSetCallAs, identityCenterRegion`,
      ],
    ])('refuses %s in one line naming the key', (_what, organization, message) => {
      expect(problems({ ...valid, organization })).toEqual([message]);
    });

    it('refuses settings the access review could not hold beside the collector settings', () => {
      const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));
      // 200 ids (the most allowed) are too many for any function's environment on their own.
      expect(problems({ ...valid, organization: { ...org, excludeAccounts: accounts(200) } })).toEqual([
        expect.stringMatching(
          /^soc2Evidence\.organization makes the organization settings 3\d{3} bytes, more than the 3072/,
        ),
      ]);
      // 170 fit on their own (the organization-accounts function), not beside the collector settings, which
      // the access review receives too.
      expect(problems({ ...valid, organization: { ...org, excludeAccounts: accounts(170) } })).toEqual([
        expect.stringMatching(
          /^soc2Evidence\.organization and the collector settings make \d+ bytes in the access review's environment, which receives both, more than the 3072 .*: list parent OUs instead of each child, fewer excludeAccounts/,
        ),
      ]);
      expect(problems({ ...valid, organization: { ...org, excludeAccounts: accounts(100) } })).toEqual([]);
    });
  });

  it('requires the three email addresses for a deployment, naming each', () => {
    expect(problems({})).toEqual([
      'soc2Evidence.securityEmail is required: an email address such as security@example.com',
      'soc2Evidence.senderEmail is required: an email address such as security@example.com',
      'soc2Evidence.alarmEmail is required: an email address such as security@example.com',
    ]);
    expect(problems({}, false)).toEqual([]);
  });

  it('lists every problem at once, not only the first', () => {
    expect(problems({ ...valid, inactiveAfterDays: -1, timeZone: 'nowhere', regions: [] })).toHaveLength(3);
  });

  it('formats the error for synth output', () => {
    expect(() => parseConfig({ retention: { days: 'abc' } })).toThrow(
      'invalid configuration (cdk.json context "soc2Evidence"):\n  - soc2Evidence.retention.days must be an integer from 1 to 36500, got "abc"',
    );
  });
});
