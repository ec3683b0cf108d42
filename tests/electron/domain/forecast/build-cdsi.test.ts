// The shipped JSON must be exactly what the build step makes from CDC's XML, so a new CDC
// release is a folder swap and `npx tsx build/scripts/build-cdsi.ts`, nothing by hand.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCdsi } from '../../../../build/scripts/build-cdsi';

const XML = fileURLToPath(new URL('../../../../build/sources/cdsi/supporting-data-4.64-xml', import.meta.url));
const JSON_FILE = fileURLToPath(new URL('../../../../assets/cdsi/cdsi-supporting-data.json', import.meta.url));

describe('build-cdsi', () => {
  const built = buildCdsi(XML);

  it('matches the committed assets/cdsi/cdsi-supporting-data.json', () => {
    expect(JSON.parse(readFileSync(JSON_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(built)));
  });

  it('records the source version and carries every antigen, group and CVX mapping', () => {
    expect(built.version).toBe('4.64');
    expect(Object.keys(built.antigens)).toHaveLength(30);
    expect(built.vaccineGroups.find((g) => g.name === 'MMR')).toEqual({ name: 'MMR', administerFullVaccineGroup: true, antigens: ['Measles', 'Mumps', 'Rubella'] });
    expect(built.cvx['110']?.antigens.map((a) => a.antigen).sort()).toEqual(['Diphtheria', 'HepB', 'Pertussis', 'Polio', 'Tetanus']);
    expect(built.liveVirusConflicts).toContainEqual({ previousCvx: '03', currentCvx: '03', begin: '1 day', minEnd: '24 days', end: '28 days' });
    expect(built.observations['055']?.title).toMatch(/health care personnel/i);
  });

  it('keeps the rule details the logic reads (ages, intervals, skips with their own interval)', () => {
    const hpv = built.antigens.HPV?.series.find((s) => s.name === 'HPV 2-dose series');
    expect(hpv?.doses[0]?.ages[0]).toMatchObject({ absMinAge: '9 years - 4 days', minAge: '9 years', maxAge: '46 years' });
    expect(hpv?.doses[1]?.skips[0]?.sets[0]?.conditions[0]).toEqual({ type: 'Interval', interval: '5 months - 4 days' });
    expect(hpv?.genders).toEqual(['F', 'U']);
  });

  it('names the folder when the XML is missing', () => {
    expect(() => buildCdsi('/nonexistent-cdsi')).toThrow(/nonexistent-cdsi/);
  });
});
