import { describe, expect, it } from 'vitest';
import { CREDENTIALS } from '../../../../electron/domain/clinician';
import { CREDENTIAL_LABELS, ETHNICITY_LABELS, LANGUAGES, RACE_LABELS, RELATIONSHIP_LABELS, demographicOptions, hl7Display } from '../../../../electron/domain/codes/demographics';
import { ETHNICITY_CODES, RACE_CODES, RELATIONSHIP_CODES } from '../../../../electron/domain/patient';

describe('demographic value sets', () => {
  it('label every code the patient and clinician schemas accept, in the schema order', () => {
    expect(demographicOptions(RACE_LABELS).map((o) => o.code)).toEqual([...RACE_CODES]);
    expect(demographicOptions(ETHNICITY_LABELS).map((o) => o.code)).toEqual([...ETHNICITY_CODES]);
    expect(demographicOptions(RELATIONSHIP_LABELS).map((o) => o.code)).toEqual([...RELATIONSHIP_CODES]);
    expect(demographicOptions(CREDENTIAL_LABELS).map((o) => o.code)).toEqual([...CREDENTIALS]);
  });

  it('send the official HL7 display name where the form words a choice differently', () => {
    expect(RACE_LABELS.ASKU.label).toBe('Asked, declined to answer');
    expect(hl7Display.race('ASKU')).toBe('Asked but unknown');
    expect(hl7Display.race('2106-3')).toBe('White');
    expect(hl7Display.ethnicity('2135-2')).toBe('Hispanic or Latino');
    expect(hl7Display.relationship('MTH')).toBe('Mother');
    expect(hl7Display.race('9999-9')).toBe('');
  });

  it('files Cape Verdean Creole under the Portuguese-based creoles (ISO 639-2 cpp)', () => {
    expect(LANGUAGES.find((l) => l.label === 'Cape Verdean Creole')?.code).toBe('cpp');
    expect(hl7Display.language('cpp')).toBe('Creoles and pidgins, Portuguese-based');
  });

  it('understands the bibliographic language codes other systems send', () => {
    expect(hl7Display.language('chi')).toBe('Chinese');
    expect(hl7Display.language('fre')).toBe('French');
    expect(new Set(LANGUAGES.map((l) => l.code)).size).toBe(LANGUAGES.length);
  });
});
