// The simulated registry's history of patients DoseDesk never reported: what a walk-in's
// pediatrician, pharmacy or another state sent to MIIS. Invented people; each one exercises an
// answer of the query profiles (docs/domain.md §1.9): doses from other providers (Z32/Z42),
// twins that a name and birth date cannot tell apart (Z31, or Z33 "too many" for Z44), a record
// merged into another (its old id still finds the survivor), a data-sharing objection (answered
// as not found, never with the history) and a name common enough to match too many.

export interface SeededDose {
  /** ISO date. */
  on: string;
  cvx: string;
  cvxText: string;
  /** RXA-11.4: who reported it to the registry. */
  facility: string;
  /** ORC-3.1 / ORC-3.2 as the reporting provider sent them. */
  orderId: string;
  orderNamespace: string;
  /** RXA-9.1, NIP001: `00` administered by the reporter, `01`… historical. */
  source: '00' | '01' | '02' | '05';
  /** CVX of the vaccine group, for the Z42 evaluation OBX. */
  groupCvx: string;
  groupName: string;
}

export interface SeededForecast {
  groupCvx: string;
  groupName: string;
  earliest: string;
  recommended: string;
  overdue?: string;
  status: string;
  doseNumber: number;
}

export interface SeededPatient {
  /** The registry's own id (PID-3 type `SR`). */
  miisId: string;
  /** Ids of records merged into this one: a query by any of them finds this record. */
  mergedIds?: string[];
  lastName: string;
  firstName: string;
  dob: string;
  sex: 'F' | 'M';
  mothersMaidenName?: string;
  birthOrder?: number;
  /** The patient objected to data sharing: the registry keeps the record and never returns it. */
  objection?: boolean;
  doses: SeededDose[];
  forecast: SeededForecast[];
}

const MMR = { cvx: '03', cvxText: 'MMR', groupCvx: '03', groupName: 'MMR' };
const HEPB_PED = { cvx: '08', cvxText: 'Hep B, adolescent or pediatric', groupCvx: '45', groupName: 'HepB' };
const TDAP = { cvx: '115', cvxText: 'Tdap', groupCvx: '139', groupName: 'Td/Tdap' };
const FLU = { cvx: '150', cvxText: 'Influenza, injectable, quadrivalent, preservative free', groupCvx: '88', groupName: 'Influenza' };
const DTAP = { cvx: '20', cvxText: 'DTaP', groupCvx: '107', groupName: 'DTaP/Tdap/Td' };
const VAR = { cvx: '21', cvxText: 'varicella', groupCvx: '21', groupName: 'Varicella' };

function dose(on: string, v: typeof MMR, facility: string, orderId: string, source: SeededDose['source'] = '00'): SeededDose {
  return { on, ...v, facility, orderId, orderNamespace: facility, source };
}

export const SEEDED_HISTORY: readonly SeededPatient[] = [
  {
    // The 47-year-old walk-in of issue 14: two MMR doses from her pediatrician, a Tdap from a pharmacy.
    miisId: 'MIIS1001',
    lastName: 'Whitaker',
    firstName: 'Dana',
    dob: '1979-06-15',
    sex: 'F',
    doses: [
      dose('1980-06-20', MMR, 'PEDS-CAMBRIDGE', 'PC-88121', '01'),
      dose('1984-09-10', MMR, 'PEDS-CAMBRIDGE', 'PC-90555', '01'),
      dose('1979-06-16', HEPB_PED, 'MT-AUBURN-HOSP', 'MAH-11', '01'),
      dose('1979-08-20', HEPB_PED, 'PEDS-CAMBRIDGE', 'PC-80010', '01'),
      dose('1980-01-18', HEPB_PED, 'PEDS-CAMBRIDGE', 'PC-80400', '01'),
      dose('2019-03-02', TDAP, 'CVS-0412', 'RX-55012'),
    ],
    forecast: [
      { groupCvx: '139', groupName: 'Td/Tdap', earliest: '2029-03-02', recommended: '2029-03-02', overdue: '2029-04-02', status: 'Not complete', doseNumber: 2 },
      { groupCvx: '88', groupName: 'Influenza', earliest: '2026-08-01', recommended: '2026-09-01', overdue: '2027-06-30', status: 'Due', doseNumber: 1 },
    ],
  },
  {
    miisId: 'MIIS2001',
    lastName: 'Nguyen',
    firstName: 'Samuel',
    dob: '2019-04-02',
    sex: 'M',
    mothersMaidenName: 'Tran',
    birthOrder: 1,
    doses: [dose('2019-04-03', HEPB_PED, 'BMC-NURSERY', 'BMC-2001-1'), dose('2020-04-10', MMR, 'DORCHESTER-PEDS', 'DP-7001')],
    forecast: [{ groupCvx: '03', groupName: 'MMR', earliest: '2020-05-08', recommended: '2023-04-02', overdue: '2025-04-02', status: 'Overdue', doseNumber: 2 }],
  },
  {
    miisId: 'MIIS2002',
    lastName: 'Nguyen',
    firstName: 'Samantha',
    dob: '2019-04-02',
    sex: 'F',
    mothersMaidenName: 'Tran',
    birthOrder: 2,
    doses: [dose('2019-04-03', HEPB_PED, 'BMC-NURSERY', 'BMC-2002-1'), dose('2020-04-10', MMR, 'DORCHESTER-PEDS', 'DP-7002'), dose('2020-04-10', VAR, 'DORCHESTER-PEDS', 'DP-7003')],
    forecast: [{ groupCvx: '03', groupName: 'MMR', earliest: '2020-05-08', recommended: '2023-04-02', overdue: '2025-04-02', status: 'Overdue', doseNumber: 2 }],
  },
  {
    // Two records of the same child merged at the registry: MIIS3099 was the duplicate.
    miisId: 'MIIS3001',
    mergedIds: ['MIIS3099'],
    lastName: 'Okafor',
    firstName: 'Chidi',
    dob: '2015-11-30',
    sex: 'M',
    doses: [dose('2016-01-30', DTAP, 'CHA-SOMERVILLE', 'CHA-31'), dose('2016-03-30', DTAP, 'CHA-SOMERVILLE', 'CHA-32'), dose('2016-11-30', MMR, 'LYNN-HEALTH', 'LH-3099-1')],
    forecast: [{ groupCvx: '107', groupName: 'DTaP/Tdap/Td', earliest: '2016-05-25', recommended: '2016-05-30', overdue: '2016-07-01', status: 'Overdue', doseNumber: 3 }],
  },
  {
    miisId: 'MIIS4001',
    lastName: 'Lindqvist',
    firstName: 'Erik',
    dob: '1990-01-01',
    sex: 'M',
    objection: true,
    doses: [dose('2020-10-01', FLU, 'WALGREENS-1102', 'W-4001')],
    forecast: [],
  },
  // A name and birth date shared by more people than a query may return (RCP-2 default 10).
  ...Array.from({ length: 12 }, (_, i): SeededPatient => ({
    miisId: `MIIS50${String(i).padStart(2, '0')}`,
    lastName: 'Smith',
    firstName: 'John',
    dob: '2000-01-01',
    sex: 'M',
    doses: [],
    forecast: [],
  })),
];
