import assert from "node:assert/strict";
import { describeTypes, sniffContentType } from "../../lib/storage/sniff.ts";
import { HTML_BYTES, MP4_BYTES, PDF_BYTES, QUICKTIME_BYTES, WEBM_BYTES } from "./samples.ts";

Deno.test("sniffing: PDF, MP4, QuickTime and WebM are told by their first bytes", () => {
  assert.equal(sniffContentType(PDF_BYTES), "application/pdf");
  assert.equal(sniffContentType(MP4_BYTES), "video/mp4");
  assert.equal(sniffContentType(QUICKTIME_BYTES), "video/quicktime");
  assert.equal(sniffContentType(WEBM_BYTES), "video/webm");
});

Deno.test("sniffing: HTML, empty input, a bare EBML header and short ftyp are unknown", () => {
  assert.equal(sniffContentType(HTML_BYTES), null);
  assert.equal(sniffContentType(new Uint8Array()), null);
  assert.equal(sniffContentType(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x42, 0x82])), null);
  assert.equal(sniffContentType(MP4_BYTES.subarray(0, 10)), null);
  // a name is not a type: "%PDF" must be at the very start
  assert.equal(sniffContentType(new TextEncoder().encode(" %PDF-1.4")), null);
});

Deno.test("sniffing: accepted types are named for people", () => {
  assert.equal(describeTypes(["application/pdf"]), "PDF");
  assert.equal(
    describeTypes(["application/pdf", "video/mp4", "video/webm"]),
    "PDF, MP4 video or WebM video",
  );
});
