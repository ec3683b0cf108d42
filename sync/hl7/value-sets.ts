// The value sets of the IZ profiles that we hold locally: small HL7/CDC tables written out here
// and the CDC code tables (CVX, MVX, NDC, routes, sites) through electron/domain/codes. A value
// set we do not hold answers `undefined`, so the profile checker skips it instead of guessing.
import * as codes from '../../electron/domain/codes';
import type { ValueSetLookup } from './profile';

const sets: Record<string, ReadonlySet<string>> = {
  HL70001_IZ: new Set(['F', 'M', 'U']),
  HL70136_IZ: new Set(['Y', 'N']),
  HL70136: new Set(['Y', 'N']),
  HL70441_IZ: new Set(['A', 'I', 'L', 'M', 'P', 'U']),
  HL70215_IZ: new Set(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']),
  HL70063_IZ: new Set(['BRO', 'CGV', 'CHD', 'EXF', 'FCH', 'FND', 'FTH', 'GRD', 'GRP', 'MTH', 'OTH', 'PAR', 'SCH', 'SEL', 'SIB', 'SIS', 'SPO', 'VAB', 'VAC']),
  // PHVS_Race_HL7_2x (HL7 table 0005 as the immunization guide binds it, OID
  // 2.16.840.1.114222.4.11.6065) and the CDC ethnicity group: the OMB categories only, no null
  // flavour. A patient who declines is sent with the field empty (usage RE).
  CDCREC_R_IZ: new Set(['1002-5', '2028-9', '2054-5', '2076-8', '2106-3', '2131-1']),
  CDCREC_E_IZ: new Set(['2135-2', '2186-5']),
  HL70322_IZ: new Set(['CP', 'RE', 'NA', 'PA']),
  HL70323_IZ: new Set(['A', 'U', 'D']),
  NIP001: new Set(['00', '01', '02', '03', '04', '05', '06', '07', '08']),
  NIP002: new Set(['00', '01', '02', '03']),
  HL70125_IZ: new Set(['CE', 'NM', 'ST', 'DT', 'ID', 'TS']),
  HL70155_IZ: new Set(['AL', 'NE', 'ER', 'SU']),
  HL70103: new Set(['P', 'T', 'D']),
  HL70200_IZ: new Set(['A', 'B', 'C', 'D', 'I', 'L', 'M', 'N', 'P', 'S', 'T', 'U']),
  HL70190_IZ: new Set(['B', 'BA', 'BDL', 'BR', 'C', 'F', 'H', 'L', 'M', 'N', 'O', 'P', 'RH']),
  HL70201_IZ: new Set(['ASN', 'BPN', 'EMR', 'NET', 'ORN', 'PRN', 'PRS', 'VHN', 'WPN']),
  HL70202_IZ: new Set(['BP', 'CP', 'FX', 'Internet', 'MD', 'PH', 'SAT', 'TDD', 'TTY', 'X.400']),
  HL70203_IZ: new Set(['AN', 'BR', 'DL', 'DN', 'EI', 'EN', 'LN', 'MA', 'MC', 'MD', 'MR', 'NPI', 'PI', 'PN', 'PPN', 'PRN', 'PT', 'RRI', 'SR', 'SS', 'TAX', 'WC', 'XX']),
  HL70301_IZ: new Set(['ISO', 'DNS', 'GUID', 'HCD', 'HL7', 'L', 'M', 'N', 'Random', 'URI', 'UUID', 'x400', 'x500']),
  UCUM: new Set(['mL']),
  PHVS_ImmunizationProfileIdentifier_IIS: new Set(['Z22', 'Z23', 'Z31', 'Z32', 'Z33', 'Z34', 'Z42', 'Z44']),
  NIP003: new Set(['64994-7', '30963-3', '30956-7', '38890-0', '69764-9', '29768-9', '29769-7', '59784-9', '75505-8', '30945-0', '30946-8', '30944-3', '31044-1', '59785-6', '46249-9', '46250-7', '76691-5']),
};

function fromCodes(valueSet: string, code: string): boolean | undefined {
  switch (valueSet) {
    case 'CVX':
      return codes.cvx(code) !== undefined;
    case 'MVX':
      return codes.mvx(code) !== undefined;
    case 'NDC_Use':
    case 'NDC_Sale':
      return codes.ndc(code) !== undefined;
    case 'NCIT':
      return codes.route(code)?.code === code;
    case 'HL70163_IZ':
      return codes.bodySite(code) !== undefined;
    case 'HL70296':
      return /^[a-z]{3}$/.test(code);
    default:
      return undefined;
  }
}

/** Value-set membership for the IZ profiles' bindings that we can decide locally. */
export const localValueSets: ValueSetLookup = (valueSet, code) => {
  const set = sets[valueSet];
  if (set) return set.has(code);
  try {
    return fromCodes(valueSet, code);
  } catch {
    return undefined;
  }
};
