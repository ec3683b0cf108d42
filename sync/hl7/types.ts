// Inputs of the message builders, in the domain model's terms.
import type { Clinician } from '../../electron/domain/clinician';
import type { Dose } from '../../electron/domain/dose';
import type { Patient } from '../../electron/domain/patient';
import type { Hl7SiteConfig } from './config';

/** HL7 0323 action code (RXA-21). */
export type RxaAction = 'A' | 'U' | 'D';

export interface PersonName {
  lastName: string;
  firstName: string;
}

export interface VxuInput {
  patient: Patient;
  dose: Dose;
  administeredBy?: Clinician;
  orderedBy?: Clinician;
  /** ORC-10, the person who keyed the record. */
  enteredBy?: PersonName;
  action: RxaAction;
  /** MSH-10: the outbox entry's id, identical on every retry. */
  messageControlId: string;
  sentAt: Date;
  config: Hl7SiteConfig;
}

export interface QbpInput {
  patient: Pick<Patient, 'mrn' | 'miisId' | 'lastName' | 'firstName' | 'middleName' | 'suffix' | 'dob' | 'sex'> &
    Partial<Pick<Patient, 'mothersMaidenName' | 'address' | 'phone' | 'multipleBirth'>>;
  /** MSH-10. */
  messageControlId: string;
  /** QPD-2, echoed in QAK-1; defaults to the message control id. */
  queryTag?: string;
  /** RCP-2: most candidates the registry may return (default 10). */
  maxCandidates?: number;
  sentAt: Date;
  config: Hl7SiteConfig;
}
