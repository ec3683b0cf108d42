// What keyboard-wedge scanners type in place of the parts of a barcode that are not text.

/** The GS1 group separator (FNC1 inside the symbol), ASCII 29. */
export const GS = String.fromCharCode(29);

// Wedge scanners that cannot type a control character send one of these instead.
const GS_SUBSTITUTES = /<GS>|\{GS\}|\[GS\]|\^\]|\u241d|<FNC1>/gi;
// ISO/IEC 15424 symbology identifier, e.g. `]d2` DataMatrix, `]C1` GS1-128, `]Q3` GS1 QR.
const SYMBOLOGY_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/** Trims the Enter/Tab a scanner appends, maps GS substitutes to GS, drops the symbology prefix. */
export function normaliseWedgeInput(input: string): string {
  const text = input.replace(/^[\s]+|[\s]+$/g, '').replace(GS_SUBSTITUTES, GS);
  return SYMBOLOGY_PREFIX.test(text) ? text.slice(3) : text;
}

export function withoutGs(text: string): string {
  return text.split(GS).join('');
}
