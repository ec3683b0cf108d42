// Per-site HL7 settings. Everything MIIS or the practice decides (PIN, receiving application and
// facility, processing mode, responsible organization) lives here, never in the builders.
import type { Address } from '../../electron/domain/patient';
import type { Site } from '../../electron/domain/site';
import { zoneOffsetProvider, type OffsetProvider } from './encoding';

/** HL7 HD: a namespace, an OID (with type `ISO`), or both. */
export interface HierarchicDesignator {
  namespaceId?: string;
  universalId?: string;
  universalIdType?: string;
}

/** HL7 XON as MSH-22/23 use it: `name^^^^^authority^XX^^^identifier`. */
export interface ResponsibleOrganization {
  name: string;
  identifier?: string;
  assigningAuthority?: string;
  /** HL7 0203 identifier type, `XX` organization identifier by default. */
  identifierTypeCode?: string;
}

/**
 * Where gender identity (105 CMR 222.100) goes. CDC IG R1.5 has no field for it and the MIIS
 * transfer specification 3.1 predates the 2024 rule; the default is an OBX (LOINC 76691-5)
 * in the dose's observation group, which registries that do not know it ignore with a warning.
 */
export type GenderIdentityPlacement = { kind: 'obx'; loinc: string } | { kind: 'omit' };

export type ProcessingId = 'P' | 'T' | 'D';

export interface Hl7SiteConfig {
  /** MSH-3. */
  sendingApplication: HierarchicDesignator;
  /** MSH-4: for MIIS, the site's Vaccine PIN. */
  sendingFacility: HierarchicDesignator;
  /** MSH-5 (MIIS: `MIIS`). */
  receivingApplication: HierarchicDesignator;
  /** MSH-6 (MIIS: `99990`). */
  receivingFacility: HierarchicDesignator;
  /** MSH-11: `P` production, `T` training/test. */
  processingId: ProcessingId;
  /** MSH-15 / MSH-16 (`ER` / `AL` for Z22 and Z34). */
  acceptAckType: string;
  applicationAckType: string;
  /** MSH-22. */
  responsibleOrganization?: ResponsibleOrganization;
  /** MSH-23. */
  receivingResponsibleOrganization?: ResponsibleOrganization;
  /** The administering location: RXA-11 (LA2.4 id and address), ORC-17. */
  facility: { id: string; name: string; address?: Address };
  /** PID-3.4 assigning authority of the practice's MRN. */
  patientIdAuthority: string;
  /** PID-3.4 of the registry's own patient id (type `SR`). */
  registryIdAuthority: string;
  /** ORC-3.2 namespace of the dose's permanent id. */
  orderIdNamespace: string;
  /** XCN.9 assigning authority for NPIs. */
  npiAuthority: string;
  genderIdentity: GenderIdentityPlacement;
  /** Whether RXA-5 carries the NDC in its alternate triplet after the CVX. */
  ndcInRxa5: boolean;
  /** XAD.7 address type for the patient's current address (HL7 0190). */
  patientAddressType: string;
  /** Offset from UTC of the site's wall clock at an instant. */
  offsetProvider: OffsetProvider;
}

/** The parts of a Massachusetts configuration that do not depend on the site. */
export const massachusettsHl7Defaults = Object.freeze({
  sendingApplication: Object.freeze({ namespaceId: 'DoseDesk' }),
  receivingApplication: Object.freeze({ namespaceId: 'MIIS' }),
  receivingFacility: Object.freeze({ namespaceId: '99990' }),
  acceptAckType: 'ER',
  applicationAckType: 'AL',
  registryIdAuthority: 'MIIS',
  npiAuthority: 'CMS',
  genderIdentity: Object.freeze({ kind: 'obx', loinc: '76691-5' }) as GenderIdentityPlacement,
  ndcInRxa5: true,
  patientAddressType: 'H',
  offsetProvider: zoneOffsetProvider('America/New_York'),
}) satisfies Partial<Hl7SiteConfig>;

/**
 * A full configuration for a Massachusetts site. The processing id has no default on purpose:
 * a production site sending `T` would have MIIS silently discard its doses.
 */
export function hl7ConfigForSite(
  site: Pick<Site, 'name' | 'vaccinePin' | 'facilityId' | 'address'>,
  options: { processingId: ProcessingId } & Partial<Hl7SiteConfig>,
): Hl7SiteConfig {
  return {
    ...massachusettsHl7Defaults,
    sendingFacility: { namespaceId: site.vaccinePin },
    responsibleOrganization: { name: site.name, identifier: site.vaccinePin, assigningAuthority: 'MIIS', identifierTypeCode: 'XX' },
    facility: { id: site.facilityId, name: site.name, address: site.address },
    patientIdAuthority: site.vaccinePin,
    orderIdNamespace: site.vaccinePin,
    ...options,
  };
}
