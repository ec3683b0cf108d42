import { ftsExpression, foldName, namesMatch, parseDob, parseSearchText } from '../../../electron/store/search-query';

describe('search text parsing', () => {
  it('reads DOBs typed as YYYY-MM-DD or MM/DD/YYYY and refuses impossible dates', () => {
    expect(parseDob('2020-03-14')).toBe('2020-03-14');
    expect(parseDob('3/4/2020')).toBe('2020-03-04');
    expect(parseDob('02/30/2020')).toBeUndefined();
    expect(parseDob('14/03/2020')).toBeUndefined();
  });

  it('separates name parts, a DOB and an MRN', () => {
    expect(parseSearchText(' Ñúñez,  José 07/09/1984 ')).toEqual({ nameTokens: ['nunez', 'jose'], dob: '1984-07-09' });
    expect(parseSearchText('MRN-443 smith')).toEqual({ nameTokens: ['smith'], mrn: 'MRN-443' });
    expect(parseSearchText("O'Brien")).toEqual({ nameTokens: ['o', 'brien'] });
  });

  it('quotes every token as a prefix so typed text cannot inject FTS syntax', () => {
    expect(ftsExpression(['ma', 'jo'])).toBe('"ma"* "jo"*');
    expect(ftsExpression(['a"b'])).toBe('"a""b"*');
  });

  it('folds accents like the index does and matches prefixes of any part', () => {
    expect(foldName('ÉLODIE Ørsted')).toBe('elodie ørsted');
    expect(namesMatch(['gar', 'jo'], 'Ñúñez García José')).toBe(true);
    expect(namesMatch(['arc'], 'García')).toBe(false);
  });
});
