// Runs the half of CDC's CDSi underlying-conditions test cases (v4.6) kept in the repository,
// with each case's observations passed in, and reports the pass rate by vaccine group and by
// forecast test type. The other half is kept apart (build/sources/README.md): rules are fixed
// for the specification's sake, never fitted to a case.
import { describe, expect, it } from 'vitest';
import { findConditionsCaseFile, formatFailure, formatRates, loadCdcCases, passRateBy, runCdcCases } from './cdc-test-cases';

/** The pass count reached; a regression below it fails and lists every failing case. */
const PASS_FLOOR = 147;

describe('CDC CDSi underlying-conditions test cases', () => {
  const cases = loadCdcCases(findConditionsCaseFile());

  it('reads the 161 cases with their observations', () => {
    expect(cases).toHaveLength(161);
    expect(cases.filter((c) => c.observations.length > 0).length).toBeGreaterThan(150);
    for (const c of cases) expect(c.assessmentDate, `case ${c.id}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it(`passes at least ${PASS_FLOOR} of them`, () => {
    const outcomes = runCdcCases(cases);
    const failures = outcomes.filter((o) => o.differences.length > 0);
    if (failures.length > 0) console.log(`${failures.length} CDC case(s) differ:\n${failures.map(formatFailure).join('\n')}`);
    console.log(`Conditions pass rate ${outcomes.length - failures.length}/${outcomes.length}`);
    console.log(`by vaccine group: ${formatRates(passRateBy(outcomes, (o) => o.tc.vaccineGroup))}`);
    console.log(`by forecast test type: ${formatRates(passRateBy(outcomes, (o) => o.tc.forecastTestType))}`);
    expect(outcomes.length - failures.length, failures.map(formatFailure).join('\n')).toBeGreaterThanOrEqual(PASS_FLOOR);
  });
});
