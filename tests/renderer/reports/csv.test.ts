import { csvCell, toCsv } from '../../../renderer/src/reports/csv';

// Reads a CSV back the way RFC 4180 defines it, independently of the writer under test.
function parse(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks so every cell reads back as written', () => {
    const nasty = ['O\'Brien, Mary', 'say "hi"', 'line1\nline2', 'cr\rhere', ' padded ', '', 'José Ñúñez', '""', ','];
    const csv = toCsv(['name'], nasty.map((n) => [n]));
    expect(parse(csv).slice(1).map((r) => r[0])).toEqual(nasty);
    expect(parse(csv).every((r) => r.length === 1)).toBe(true);
  });

  it('keeps a cell that a spreadsheet would run as a formula as text', () => {
    for (const attack of ['=HYPERLINK("http://x","click")', '+1+1', '-2+3', '@SUM(A1:A9)', '\t=1', '\r=1']) {
      const cell = parse(toCsv(['x'], [[attack]]))[1]![0]!;
      expect(cell, JSON.stringify(attack)).toBe(`'${attack}`);
    }
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell("'quoted already")).toBe("'quoted already");
  });

  it('writes numbers as numbers, negative ones too, and nothing for a missing value', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [[-3, 12, null, undefined]])).toBe('a,b,c,d\r\n-3,12,,\r\n');
    expect(csvCell(Number.NaN)).toBe('');
  });
});
