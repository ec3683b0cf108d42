import type { Migration } from './types';

// The first schema. Records keep their validated fields as JSON in `data` and copy into columns
// only what is searched, joined or constrained, so adding a form field needs no migration.
// Tables with a text id also carry an INTEGER PRIMARY KEY (`rid`) so their rowid is stable
// across VACUUM (the search index points at it).

export const initial: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE patients (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        mrn TEXT NOT NULL UNIQUE,
        last_name TEXT NOT NULL,
        first_name TEXT NOT NULL,
        middle_name TEXT,
        dob TEXT NOT NULL,
        sex TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX patients_dob ON patients(dob);
      CREATE INDEX patients_name_dob ON patients(last_name COLLATE NOCASE, first_name COLLATE NOCASE, dob);

      CREATE TABLE clinicians (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        last_name TEXT NOT NULL,
        first_name TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE users (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('administrator','clinician','front_desk')),
        clinician_id TEXT REFERENCES clinicians(id),
        active INTEGER NOT NULL DEFAULT 1,
        password_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        last_sign_in_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE lots (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        lot_number TEXT NOT NULL,
        cvx TEXT NOT NULL,
        expiration_date TEXT NOT NULL,
        doses_on_hand INTEGER NOT NULL CHECK (doses_on_hand >= 0),
        active INTEGER NOT NULL DEFAULT 1,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX lots_cvx ON lots(cvx, active);

      CREATE TABLE doses (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        patient_id TEXT NOT NULL REFERENCES patients(id),
        lot_id TEXT REFERENCES lots(id),
        kind TEXT NOT NULL CHECK (kind IN ('administered','historical','refusal')),
        cvx TEXT NOT NULL,
        administered_on TEXT NOT NULL,
        data TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT,
        deleted_reason TEXT,
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX doses_patient ON doses(patient_id, administered_on);

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        dose_id TEXT NOT NULL REFERENCES doses(id),
        patient_id TEXT NOT NULL REFERENCES patients(id),
        action TEXT NOT NULL CHECK (action IN ('A','U','D')),
        state TEXT NOT NULL CHECK (state IN ('pending','sending','accepted','warning','rejected','cancelled','superseded')),
        message_control_id TEXT NOT NULL UNIQUE,
        message_text TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        ack_code TEXT,
        ack_text TEXT,
        registry_messages TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        completed_at TEXT,
        deadline_at TEXT
      );
      CREATE INDEX outbox_open_by_patient ON outbox(patient_id, seq)
        WHERE state IN ('pending','sending','rejected');
      CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending';
      CREATE INDEX outbox_by_dose ON outbox(dose_id, seq);
      CREATE INDEX outbox_work_queue ON outbox(updated_at) WHERE state IN ('rejected','warning');

      -- Append-only: no code path updates or deletes, and these triggers refuse it anyway.
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id TEXT,
        action TEXT NOT NULL,
        entity TEXT,
        entity_id TEXT,
        detail TEXT,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_entity ON audit(entity_id) WHERE entity_id IS NOT NULL;
      CREATE INDEX audit_user ON audit(user_id) WHERE user_id IS NOT NULL;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
