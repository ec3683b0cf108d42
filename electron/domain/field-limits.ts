// The longest value each form field may hold: the MaxLength the NIST VXU-Z22 profile
// (build/sources/nist-profiles/VXU-Z22_Profile.xml) gives the component the field is sent in.
// A longer value would pass the form and then be flagged by the profile check, or cut short by
// the registry; tests/electron/domain/field-limits.test.ts reads the profile and holds each
// schema to it.

export const FIELD_LIMITS = {
  /** FN.1 Surname: PID-5.1, PID-6.1 (mother's maiden name), NK1-2.1, RXA-10.2. */
  familyName: 50,
  /** XPN.2 / XCN.3 given name. */
  givenName: 30,
  /** XPN.3 second and further given names. */
  middleName: 30,
  /** XPN.4 suffix (JR, III). */
  suffix: 20,
  /** CX.1 ID number (PID-3: MRN, MIIS id) and XCN.1 (a clinician's local id). */
  identifier: 15,
  /** XAD.1 / SAD.1 street, and LA2.9 for the place a dose was given. */
  street: 120,
  /** XAD.2 other designation (apartment, suite), LA2.10. */
  otherDesignation: 120,
  /** XAD.3 city, LA2.11. */
  city: 50,
  /** XTN.4 email address. */
  email: 199,
  /** RXA-15 substance lot number. */
  lotNumber: 20,
} as const;
