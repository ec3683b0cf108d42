// CSV for the report exports, as RFC 4180 writes it and as a spreadsheet opens it safely.
// A cell that starts with = + - @ (or a tab or carriage return, which some spreadsheets
// skip before reading a formula) would be run as a formula when the manager opens the file:
// a patient name or a lot number typed as "=HYPERLINK(…)" must stay text, so such a cell
// gets a leading apostrophe (OWASP's advice for CSV injection).

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // A number is data the program produced, never a formula; negative counts stay numbers.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows joined with CRLF (RFC 4180), a header first; ends with a line break. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
