import fc from 'fast-check';
import {
  DEFAULT_DELIMITERS,
  escapeHl7,
  fixedOffsetProvider,
  formatHl7Date,
  formatHl7Timestamp,
  formatZone,
  parseHl7Date,
  parseHl7Timestamp,
  unescapeHl7,
  zoneOffsetProvider,
} from '../../../sync/hl7/encoding';

describe('escapeHl7 / unescapeHl7', () => {
  it('escapes every delimiter and the escape character itself', () => {
    expect(escapeHl7("O'Brien-Smith|Jr^")).toBe("O'Brien-Smith\\F\\Jr\\S\\");
    expect(escapeHl7('Renée D\'Souza & Co')).toBe("Renée D'Souza \\T\\ Co");
    expect(escapeHl7('a~b\\c')).toBe('a\\R\\b\\E\\c');
    expect(escapeHl7('line1\r\nline2')).toBe('line1\\X0D\\\\X0A\\line2');
  });

  it('leaves plain text untouched (same string)', () => {
    const s = 'Rivera Ana 12 Elm St';
    expect(escapeHl7(s)).toBe(s);
    expect(unescapeHl7(s)).toBe(s);
  });

  it('round-trips the names from the issue byte for byte', () => {
    for (const s of ["O'Brien-Smith|Jr^", "Renée D'Souza & Co", '\\E\\', '\\', '~~~', '&^|\\~']) {
      expect(unescapeHl7(escapeHl7(s))).toBe(s);
    }
  });

  it('round-trips any text a user may type (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => unescapeHl7(escapeHl7(s)) === s), { numRuns: 1000 });
  });

  it('decodes hex, formatting and highlight sequences, and keeps unknown ones literally', () => {
    expect(unescapeHl7('a\\X0D0A\\b')).toBe('a\r\nb');
    expect(unescapeHl7('caf\\XC3A9\\')).toBe('café');
    expect(unescapeHl7('one\\.br\\two')).toBe('one\ntwo');
    expect(unescapeHl7('\\H\\bold\\N\\')).toBe('bold');
    expect(unescapeHl7('C:\\path')).toBe('C:\\path'); // a lone backslash stays
    expect(unescapeHl7('a\\Q\\b')).toBe('a\\Q\\b'); // unknown sequence stays
  });

  it('honours custom delimiters', () => {
    const d = { ...DEFAULT_DELIMITERS, field: '#', escape: '!' };
    expect(escapeHl7('a#b!c|d', d)).toBe('a!F!b!E!c|d');
    expect(unescapeHl7('a!F!b!E!c|d', d)).toBe('a#b!c|d');
  });
});

describe('timestamps', () => {
  const instant = new Date('2025-10-15T14:35:12Z');

  it('formats TS_Z with seconds and zone', () => {
    expect(formatHl7Timestamp(instant, -240)).toBe('20251015103512-0400');
    expect(formatHl7Timestamp(instant, 330)).toBe('20251015200512+0530');
    expect(formatHl7Timestamp(instant, 0, 'minute')).toBe('202510151435+0000');
    expect(formatHl7Timestamp(instant, -240, 'day')).toBe('20251015');
  });

  it('crosses midnight into the local calendar day', () => {
    expect(formatHl7Timestamp(new Date('2025-01-01T03:00:00Z'), -300, 'day')).toBe('20241231');
  });

  it('formats zones', () => {
    expect(formatZone(-240)).toBe('-0400');
    expect(formatZone(0)).toBe('+0000');
    expect(formatZone(-570)).toBe('-0930');
  });

  it('follows daylight saving in America/New_York', () => {
    const ny = zoneOffsetProvider('America/New_York');
    expect(ny(new Date('2025-07-01T12:00:00Z'))).toBe(-240);
    expect(ny(new Date('2025-01-15T12:00:00Z'))).toBe(-300);
    expect(zoneOffsetProvider('UTC')(instant)).toBe(0);
    expect(fixedOffsetProvider(60)(instant)).toBe(60);
  });

  it('parses every precision and rejects impossible values', () => {
    const ts = parseHl7Timestamp('20251015103512-0400');
    expect(ts?.precision).toBe('second');
    expect(ts?.isoDate).toBe('2025-10-15');
    expect(ts?.instant?.toISOString()).toBe('2025-10-15T14:35:12.000Z');
    expect(parseHl7Timestamp('2025')?.precision).toBe('year');
    expect(parseHl7Timestamp('202510')?.precision).toBe('month');
    expect(parseHl7Timestamp('20251015')?.instant).toBeUndefined();
    expect(parseHl7Timestamp('20251015103512.25+0000')?.instant?.toISOString()).toBe('2025-10-15T10:35:12.250Z');
    for (const bad of ['', '2025101', '20251301', '20250230', '2025101525', '201201130000-500', 'abc', '20251015103560']) {
      expect(parseHl7Timestamp(bad)).toBeUndefined();
    }
  });

  it('round-trips instants at second precision (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (d, off) => {
          const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
          return parseHl7Timestamp(formatHl7Timestamp(whole, off))?.instant?.getTime() === whole.getTime();
        },
      ),
    );
  });
});

describe('dates', () => {
  it('formats and parses calendar dates', () => {
    expect(formatHl7Date('2025-10-15')).toBe('20251015');
    expect(formatHl7Date('2026-06')).toBe('202606');
    expect(formatHl7Date('20240229')).toBe('20240229');
    expect(parseHl7Date('20251015')).toBe('2025-10-15');
    expect(parseHl7Date('20251015103512-0400')).toBe('2025-10-15');
    expect(parseHl7Date('202510')).toBeUndefined();
  });

  it('refuses dates that do not exist, naming the value', () => {
    expect(() => formatHl7Date('2025-02-29')).toThrow(/2025-02-29/);
    expect(() => formatHl7Date('15/10/2025')).toThrow(RangeError);
    expect(() => formatHl7Date('2025-13-01')).toThrow(/month/);
  });
});
