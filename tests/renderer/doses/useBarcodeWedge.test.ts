import { findScan, looksLikeGs1 } from '../../../renderer/src/doses/useBarcodeWedge';

const OPTS = { maxGapMs: 150, maxMeanGapMs: 40, maxFirstGapMs: 300, minLength: 16, accepts: looksLikeGs1 };
const SCAN = '01103581608280311727063010SHX42A<GS>21ABC123';

function keys(text: string, gaps: (i: number) => number, start = 1000): { chars: string[]; times: number[] } {
  const chars = [...text];
  const times: number[] = [];
  let t = start;
  chars.forEach((_, i) => {
    t += i === 0 ? 0 : gaps(i);
    times.push(t);
  });
  return { chars, times };
}

describe('keyboard-wedge detection', () => {
  it('finds a scan typed at scanner speed, even after what the person typed before', () => {
    const typed = keys('tda', () => 180);
    const scan = keys(SCAN, () => 12, typed.times.at(-1)! + 900);
    const chars = [...typed.chars, ...scan.chars];
    const times = [...typed.times, ...scan.times];
    expect(findScan(chars, times, OPTS, times.at(-1)! + 10)).toBe(typed.chars.length);
  });

  it('tolerates a slow first gap (the page re-renders after the first key)', () => {
    const { chars, times } = keys(SCAN, (i) => (i === 1 ? 120 : 10));
    expect(findScan(chars, times, OPTS, times.at(-1)! + 5)).toBe(0);
  });

  it('ignores the same text typed at a person’s speed', () => {
    const { chars, times } = keys(SCAN, () => 95);
    expect(findScan(chars, times, OPTS, times.at(-1)! + 90)).toBeUndefined();
  });

  it('ignores fast text that is not a GS1 barcode', () => {
    const { chars, times } = keys('hepatitis b adult dose 0.5', () => 8);
    expect(findScan(chars, times, OPTS, times.at(-1)! + 8)).toBeUndefined();
    expect(looksLikeGs1(']d2' + SCAN)).toBe(true);
    expect(looksLikeGs1('(01)10358160828031(17)270630')).toBe(true);
    expect(looksLikeGs1('0123456789')).toBe(false);
  });
});
