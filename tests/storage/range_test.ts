import assert from "node:assert/strict";
import { parseRange } from "../../lib/storage/range.ts";

Deno.test("Range: a closed range, an open range and a suffix", () => {
  assert.deepEqual(parseRange("bytes=0-99", 1000), { kind: "range", start: 0, end: 99 });
  assert.deepEqual(parseRange("bytes=500-", 1000), { kind: "range", start: 500, end: 999 });
  assert.deepEqual(parseRange("bytes=-100", 1000), { kind: "range", start: 900, end: 999 });
});

Deno.test("Range: an end past the file is clipped, a suffix longer than the file is all of it", () => {
  assert.deepEqual(parseRange("bytes=990-5000", 1000), { kind: "range", start: 990, end: 999 });
  assert.deepEqual(parseRange("bytes=-5000", 1000), { kind: "range", start: 0, end: 999 });
  assert.deepEqual(parseRange("bytes=999-999", 1000), { kind: "range", start: 999, end: 999 });
});

Deno.test("Range: a start at or past the end, or a zero suffix, is unsatisfiable", () => {
  assert.deepEqual(parseRange("bytes=1000-", 1000), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=2000-3000", 1000), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=-0", 1000), { kind: "unsatisfiable" });
  assert.deepEqual(parseRange("bytes=0-", 0), { kind: "unsatisfiable" });
});

Deno.test("Range: absent, malformed, other units, reversed and multiple ranges → whole file", () => {
  for (
    const header of [
      null,
      "",
      "bytes=",
      "bytes=-",
      "items=0-5",
      "bytes=5-1",
      "bytes=0-1,5-9",
      "0-5",
    ]
  ) {
    assert.deepEqual(parseRange(header, 1000), { kind: "whole" }, String(header));
  }
});
