import type { Migration } from './types';

// One narrow row per administered dose, kept by triggers, for the clinic reports: the year's
// doses-given report groups a covering index instead of parsing every dose's JSON. Only doses
// given here and not deleted count (a historical record or a refusal is not a dose given);
// the triggers follow every insert, edit, delete and date-of-birth change, whoever writes
// (the dose repo, a restore, a hub pull), so the report can never drift from the chart.
//
// `age_years` is the patient's age in whole years on the day of the dose (what a VFC
// doses-administered report groups by); empty text stands for "not recorded" in the code
// columns so they can sit in the index and group without NULL handling.

const AGE = (on: string, dob: string) =>
  `((CAST(substr(${on}, 1, 4) AS INTEGER) - CAST(substr(${dob}, 1, 4) AS INTEGER)) - (substr(${on}, 6, 5) < substr(${dob}, 6, 5)))`;

const FACT_COLUMNS = 'dose_rid, dose_id, given_on, cvx, funding, vfc, age_years, lot_id, clinician_id';
const factFrom = (d: string) => `${d}.rid, ${d}.id, ${d}.administered_on, ${d}.cvx,
  coalesce(json_extract(${d}.data, '$.fundingSource'), ''), coalesce(json_extract(${d}.data, '$.vfcEligibility'), ''),
  ${AGE(`${d}.administered_on`, 'p.dob')}, ${d}.lot_id, coalesce(json_extract(${d}.data, '$.administeringClinicianId'), '')`;

export const doseFacts: Migration = {
  version: 90,
  name: 'dose-facts',
  up(db) {
    db.exec(`
      CREATE TABLE dose_facts (
        dose_rid INTEGER PRIMARY KEY,
        dose_id TEXT NOT NULL,
        given_on TEXT NOT NULL,
        cvx TEXT NOT NULL,
        funding TEXT NOT NULL,
        vfc TEXT NOT NULL,
        age_years INTEGER NOT NULL,
        lot_id TEXT,
        clinician_id TEXT NOT NULL
      );
      CREATE INDEX dose_facts_given ON dose_facts(given_on, cvx, funding, vfc, age_years);
      CREATE INDEX dose_facts_clinician ON dose_facts(given_on, clinician_id, cvx);
      CREATE INDEX dose_facts_lot ON dose_facts(lot_id, given_on) WHERE lot_id IS NOT NULL;

      INSERT INTO dose_facts (${FACT_COLUMNS})
        SELECT ${factFrom('d')} FROM doses d JOIN patients p ON p.id = d.patient_id
        WHERE d.kind = 'administered' AND d.deleted_at IS NULL;

      CREATE TRIGGER dose_facts_insert AFTER INSERT ON doses
        WHEN NEW.kind = 'administered' AND NEW.deleted_at IS NULL
      BEGIN
        INSERT INTO dose_facts (${FACT_COLUMNS}) SELECT ${factFrom('NEW')} FROM patients p WHERE p.id = NEW.patient_id;
      END;
      CREATE TRIGGER dose_facts_update AFTER UPDATE ON doses
      BEGIN
        DELETE FROM dose_facts WHERE dose_rid = OLD.rid;
        INSERT INTO dose_facts (${FACT_COLUMNS}) SELECT ${factFrom('NEW')} FROM patients p
          WHERE p.id = NEW.patient_id AND NEW.kind = 'administered' AND NEW.deleted_at IS NULL;
      END;
      CREATE TRIGGER dose_facts_delete AFTER DELETE ON doses
      BEGIN
        DELETE FROM dose_facts WHERE dose_rid = OLD.rid;
      END;
      CREATE TRIGGER dose_facts_dob AFTER UPDATE OF dob ON patients
        WHEN NEW.dob IS NOT OLD.dob
      BEGIN
        UPDATE dose_facts SET age_years = ${AGE('given_on', 'NEW.dob')}
          WHERE dose_rid IN (SELECT rid FROM doses WHERE patient_id = NEW.id);
      END;
    `);
  },
};
