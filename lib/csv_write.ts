/**
 * Writing CSV for spreadsheets (the other half of lib/csv.ts): RFC 4180 fields — quoted when
 * they hold `"`, `,`, CR or LF, inner quotes doubled — CRLF line ends, and a UTF-8 byte-order
 * mark so Excel reads the file as UTF-8. Cells that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, TAB or CR) get a leading `'` (OWASP's CSV injection advice).
 */

export const BOM = "\uFEFF";

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as written: defused if it could start a formula, then quoted if it must be. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: BOM, then each row (the header first) ending in CRLF. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return BOM + rows.map((row) => row.map(csvCell).join(",") + "\r\n").join("");
}
