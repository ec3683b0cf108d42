import type { Migration } from './types';

// A patient's CDSi observations: conditions (asplenia, diabetes, dialysis), occupations and
// travel that open a risk series, contraindications (anaphylaxis to a previous dose,
// pregnancy), and evidence of immunity. The forecast reads the ones in force on its date:
// `start_date` is also the date CDSi counts intervals from (a transplant, the start of
// antiviral therapy, the onset of a pregnancy), `end_date` the day one stopped applying.
//
// A removed row stays (removed_at/by/reason) so the chart's history and the audit trail agree;
// `source` tells one the nurse recorded from one read back from a registry answer.
// `patient_observations_active` serves the chart and a recall page (patient ids in one list);
// `patient_observations_code` serves a recall filtered by condition.
export const patientObservations: Migration = {
  version: 80,
  name: 'patient-observations',
  up(db) {
    db.exec(`
      CREATE TABLE patient_observations (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        patient_id TEXT NOT NULL REFERENCES patients(id),
        code TEXT NOT NULL,
        start_date TEXT,
        end_date TEXT,
        note TEXT,
        source TEXT NOT NULL DEFAULT 'chart' CHECK (source IN ('chart', 'registry')),
        recorded_by TEXT,
        recorded_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        removed_at TEXT,
        removed_by TEXT,
        removed_reason TEXT,
        CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
      );
      CREATE INDEX patient_observations_active ON patient_observations(patient_id, code) WHERE removed_at IS NULL;
      CREATE INDEX patient_observations_code ON patient_observations(code, patient_id) WHERE removed_at IS NULL;
    `);
  },
};
