// The condition picker's catalogue: exactly what the build step makes from CDC's XML, with each
// observation's role in the forecast, and a search a nurse can type into.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildObservations } from '../../../../build/scripts/build-observations';
import { observationByCode, observationInfo, searchObservations } from '../../../../electron/domain/forecast/observation-catalogue';

const XML = fileURLToPath(new URL('../../../../build/sources/cdsi/supporting-data-4.64-xml/ScheduleSupportingData.xml', import.meta.url));
const JSON_FILE = fileURLToPath(new URL('../../../../assets/cdsi/cdsi-observations.json', import.meta.url));

describe('CDSi observation catalogue', () => {
  it('matches the committed assets/cdsi/cdsi-observations.json', () => {
    expect(JSON.parse(readFileSync(JSON_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(buildObservations(XML))));
  });

  it('names the file when the XML is missing or is not the schedule file', () => {
    expect(() => buildObservations('/nonexistent/ScheduleSupportingData.xml')).toThrow(/nonexistent/);
    const antigenFile = XML.replace('ScheduleSupportingData.xml', 'AntigenSupportingData- HepA-508.xml');
    expect(() => buildObservations(antigenFile)).toThrow(/no <observation> list/);
  });

  it('carries all 277 observations with CDC titles and coded values', () => {
    const list = observationInfo();
    expect(list).toHaveLength(277);
    expect(observationByCode('160')?.title).toBe('Anatomical or functional asplenia');
    expect(observationByCode('003')?.codedValues).toContainEqual({ code: 'VXC27', system: 'CDCPHINVS', text: 'Immunodeficiency due to any cause' });
  });

  it('says what each observation does in the forecast', () => {
    expect(observationByCode('160')?.indicationFor).toEqual(expect.arrayContaining(['Hib', 'Meningococcal', 'Pneumococcal']));
    expect(observationByCode('007')?.contraindicates).toEqual(expect.arrayContaining(['MMR', 'Varicella']));
    expect(observationByCode('171')?.needsDate).toBe(true);
    expect(observationByCode('160')?.needsDate).toBe(false);
    expect(observationInfo().filter((o) => o.immunityFor.length > 0).length).toBeGreaterThan(0);
  });

  it('finds observations by code, by words in any order, and ignores case and accents', () => {
    expect(searchObservations('160').map((o) => o.code)).toEqual(['160']);
    expect(searchObservations('asplenia')[0]?.code).toBe('160');
    expect(searchObservations('Stem CELL').map((o) => o.code)).toEqual(expect.arrayContaining(['004', '171']));
    expect(searchObservations('diabètes').map((o) => o.code)).toContain('014');
    expect(searchObservations('').length).toBeGreaterThan(10);
    expect(searchObservations('', 5)).toHaveLength(5);
  });

  it('returns nothing for garbage rather than throwing', () => {
    expect(searchObservations('zzqx')).toEqual([]);
    expect(searchObservations('%%%_*', 500)).toEqual(searchObservations('', 500));
    expect(searchObservations('', 500).length).toBeLessThan(277);
    expect(searchObservations('9999')).toEqual([]);
  });
});
