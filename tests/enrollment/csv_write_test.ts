/** lib/csv_write.ts: RFC 4180 out, read back by lib/csv.ts, and safe from formula injection. */
import assert from "node:assert/strict";
import { BOM, csvCell, toCsv } from "../../lib/csv_write.ts";
import { parseCsv } from "../../lib/csv.ts";

Deno.test("plain cells stay as they are; empty and missing values are empty cells", () => {
  assert.equal(csvCell("Brian Mwangi"), "Brian Mwangi");
  assert.equal(csvCell(""), "");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(undefined), "");
  assert.equal(csvCell(42), "42");
});

Deno.test("quotes, commas and line breaks are quoted, inner quotes doubled", () => {
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell("Mwangi, Brian"), '"Mwangi, Brian"');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
  assert.equal(csvCell("two\r\nlines"), '"two\r\nlines"');
});

Deno.test("cells a spreadsheet would run as a formula get a leading apostrophe", () => {
  assert.equal(csvCell("=1+2"), "'=1+2");
  assert.equal(csvCell("+254700000131"), "'+254700000131");
  assert.equal(csvCell("-5"), "'-5");
  assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvCell("\tx"), "'\tx");
  assert.equal(csvCell("\rx"), `"'\rx"`);
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell("a=b"), "a=b", "only the first character counts");
});

Deno.test("a file has a BOM, CRLF line ends, and parses back to the same cells", () => {
  const rows = [
    ["name", "email", "note"],
    ["Amani Otieno", "amani@x.test", 'said "hi", then\r\nleft'],
    ["Zoë Ndlovu", "", "ü ß 漢字"],
  ];
  const text = toCsv(rows);
  assert.ok(text.startsWith(BOM));
  assert.ok(text.endsWith("\r\n"));
  assert.equal(text.split("\r\n").length, 5, "3 rows, 1 line break inside a quoted cell, end");
  assert.deepEqual(parseCsv(text), rows);
  assert.equal(toCsv([]), BOM);
});
