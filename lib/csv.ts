/**
 * RFC 4180 CSV: quoted fields with commas, doubled quotes and line breaks; CRLF or LF; a
 * UTF-8 byte-order mark (Excel writes one) is ignored.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    if (row.length > 1 || row[0] !== "") rows.push(row); // blank lines are not rows
    row = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") endField();
    else if (c === "\n") endRow();
    else if (c === "\r") {
      if (text[i + 1] !== "\n") endRow();
    } else field += c;
  }
  if (quoted) throw new CsvError("A quoted field is not closed.");
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

export class CsvError extends Error {
  override name = "CsvError";
}

/** Rows as objects keyed by the header row (names lowercased and trimmed). */
export function csvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  const names = header.map((name) => name.trim().toLowerCase());
  return {
    header: names,
    records: rows.map((cells) =>
      Object.fromEntries(names.map((name, i) => [name, (cells[i] ?? "").trim()]))
    ),
  };
}
