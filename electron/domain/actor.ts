// Who is acting: written to the audit trail with every read or change of patient data, by the
// store, the services and the sync engine alike.

/** Who is acting; written to the audit trail with every read or change of patient data. */
export interface Actor {
  userId: string;
  /** Free text for the trail when no user is signed in (e.g. `system:sync`). */
  label?: string;
}
