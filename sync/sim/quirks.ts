// Behaviours real registries show, switchable one by one. Names follow AIRA's IIS Sandbox
// "processing flavors" (docs/domain.md §2.3) so a failure can be compared with the Sandbox.

export const QUIRKS = {
  soursop: 'MSH-4 must equal the SOAP facilityID, otherwise the message is rejected.',
  medlar: 'ACKs carry only E-severity ERR segments (warnings are not reported).',
  melon: 'ACK headers are damaged: MSH-9 is "ZZZ".',
  clementine: 'A dose dated before the date of birth is accepted.',
  cantaloupe: 'Dates in the future are accepted (lax date checks).',
  spruce: 'RXR (route) is required: a dose without it is rejected.',
  blackberry: 'The patient address (PID-11) is required: the message is rejected without it.',
  fig: 'Race (PID-10) and ethnicity (PID-22) must be CDCREC codes: other values (a null flavour such as ASKU included) reject the message; an empty field (declined, usage RE) is accepted.',
  cranberry: 'An update (RXA-21 U) for a dose the registry does not hold is rejected.',
} as const;

export type QuirkName = keyof typeof QUIRKS;

export function isQuirkName(name: string): name is QuirkName {
  return Object.prototype.hasOwnProperty.call(QUIRKS, name);
}
