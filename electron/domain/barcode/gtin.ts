// GS1 GTIN arithmetic shared by the barcode parser, the code-table lookups and the build script.

/** GS1 mod-10 check digit for the digits that precede it (weights 3,1,3,… from the right). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isGtin14(value: string): boolean {
  return /^\d{14}$/.test(value) && gs1CheckDigit(value.slice(0, 13)) === Number(value[13]);
}

/**
 * The 10 NDC digits a US drug GTIN-14 carries: indicator digit, `03` (the NDC prefix), 10 NDC
 * digits, check digit. Which NDC segment was zero-padded in the 11-digit form is not encoded, so
 * callers must resolve these digits against the NDC table, never by arithmetic alone.
 */
export function ndc10DigitsFromGtin(gtin14: string): string | undefined {
  if (!/^\d{14}$/.test(gtin14) || gtin14.slice(1, 3) !== '03') return undefined;
  return gtin14.slice(3, 13);
}
