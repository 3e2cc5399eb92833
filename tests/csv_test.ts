import assert from "node:assert/strict";
import { CsvError, csvRecords, parseCsv } from "../lib/csv.ts";

Deno.test("CSV: quotes, doubled quotes, commas and line breaks inside fields, CRLF, BOM", () => {
  const text = '\uFEFFname,note\r\n"Okafor, Chidi","said ""hi""\r\nthen left"\r\nAmina,plain\n\n';
  assert.deepEqual(parseCsv(text), [
    ["name", "note"],
    ["Okafor, Chidi", 'said "hi"\r\nthen left'],
    ["Amina", "plain"],
  ]);
});

Deno.test("CSV: records keyed by a lowercased header, missing cells empty", () => {
  assert.deepEqual(csvRecords("Full_Name, Email \nWanjiku Kamau\n"), {
    header: ["full_name", "email"],
    records: [{ full_name: "Wanjiku Kamau", email: "" }],
  });
});

Deno.test("CSV: an unclosed quote is an error", () => {
  assert.throws(() => parseCsv('a,"b\n'), CsvError);
});
