import { parseCsv } from '../../lambdas/readers/credential-report/csv';

describe('parseCsv', () => {
  it('reads plain, quoted and empty fields, with CRLF or LF line ends and no trailing blank row', () => {
    expect(parseCsv('user,arn\r\nalice,"arn:aws:iam::123456789012:user/alice"\nbob,\n\n')).toEqual([
      ['user', 'arn'],
      ['alice', 'arn:aws:iam::123456789012:user/alice'],
      ['bob', ''],
    ]);
  });

  it('keeps commas, line ends and doubled quotes inside a quoted field', () => {
    expect(parseCsv('"a,b","line\r\nnext","say ""hi""",""\n')).toEqual([
      ['a,b', 'line\r\nnext', 'say "hi"', ''],
    ]);
  });

  it('takes a quote after the start of a field as text, and a field left open at the end as read', () => {
    expect(parseCsv('ab"c,"x"y"z,"open')).toEqual([['ab"c', 'xy"z', 'open']]);
    expect(parseCsv('last')).toEqual([['last']]);
  });

  it('reads a report of 50,000 rows to its last one', () => {
    const rows = 50_000;
    const text =
      'user,arn,mfa_active\n' +
      Array.from(
        { length: rows },
        (_, i) => `user-${i},arn:aws:iam::123456789012:user/user-${i},${i % 2 ? 'true' : 'false'}`,
      ).join('\n');
    const parsed = parseCsv(text);
    expect(parsed).toHaveLength(rows + 1);
    expect(parsed[rows]).toEqual([
      `user-${rows - 1}`,
      `arn:aws:iam::123456789012:user/user-${rows - 1}`,
      'true',
    ]);
  });
});
