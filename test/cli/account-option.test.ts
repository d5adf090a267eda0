import { InvalidArgumentError } from 'commander';
import { accountIds } from '../../cli/arguments';
import { accountFilterFields, accountFilterOf } from '../../cli/pull/options';

describe('--account: one, several or all', () => {
  it('takes one id, several comma-separated (deduplicated, repeatable) or all', () => {
    expect(accountIds('111111111111')).toEqual(['111111111111']);
    expect(accountIds('222222222222,111111111111,222222222222')).toEqual(['222222222222', '111111111111']);
    expect(accountIds('333333333333', ['111111111111'])).toEqual(['111111111111', '333333333333']);
    expect(accountIds('all')).toEqual([]);
  });

  it("names the bad id with today's message", () => {
    expect(() => accountIds('1234')).toThrow(
      new InvalidArgumentError('expected a 12-digit account id, got "1234"'),
    );
    expect(() => accountIds('111111111111,abc')).toThrow('expected a 12-digit account id, got "abc"');
  });

  it('is written as account for one, accounts for several, nothing for all', () => {
    expect(accountFilterFields(['111111111111'])).toEqual({ account: '111111111111' });
    expect(accountFilterFields(['222222222222', '111111111111'])).toEqual({
      accounts: ['111111111111', '222222222222'],
    });
    expect(accountFilterFields([])).toEqual({});
    expect(accountFilterOf({ account: '222222222222', accounts: ['111111111111'] })).toEqual([
      '111111111111',
      '222222222222',
    ]);
    expect(accountFilterOf({})).toBeUndefined();
  });
});
