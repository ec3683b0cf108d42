// Runs CDC's CDSi healthy childhood & adult test cases (1,013 cases, v4.45, against supporting
// data 4.64) and compares per-dose evaluation status and the forecast (status, earliest,
// recommended, past-due dates) for each case's vaccine group.
import { describe, expect, it } from 'vitest';
import { formatFailure, GROUP_NAMES, loadCdcCases, runCdcCases } from './cdc-test-cases';

/** The pass count reached; a regression below it fails and lists every failing case. */
const PASS_FLOOR = 1013;

describe('CDC CDSi healthy test cases', () => {
  const cases = loadCdcCases();

  it('reads all 1,013 cases with their expected outcome and a known vaccine group', () => {
    expect(cases).toHaveLength(1013);
    for (const c of cases) {
      expect(GROUP_NAMES[c.vaccineGroup], `case ${c.id}`).toBeDefined();
      expect(c.assessmentDate, `case ${c.id}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it(`passes at least ${PASS_FLOOR} of them`, () => {
    const outcomes = runCdcCases(cases);
    const failures = outcomes.filter((o) => o.differences.length > 0);
    const byGroup = new Map<string, { pass: number; total: number }>();
    for (const o of outcomes) {
      const g = byGroup.get(o.tc.vaccineGroup) ?? { pass: 0, total: 0 };
      g.total++;
      if (o.differences.length === 0) g.pass++;
      byGroup.set(o.tc.vaccineGroup, g);
    }
    if (failures.length > 0) {
      console.log(`${failures.length} CDC case(s) differ:\n${failures.map(formatFailure).join('\n')}`);
    }
    console.log(`CDSi pass rate per vaccine group: ${[...byGroup].map(([g, r]) => `${g} ${r.pass}/${r.total}`).join(', ')}`);
    expect(outcomes.length - failures.length, failures.map(formatFailure).join('\n')).toBeGreaterThanOrEqual(PASS_FLOOR);
  });
});
