/**
 * Demo media: the generated worksheet PDF is well formed, the shipped sample video is a small
 * faststart MP4, and seeding puts a file at every demo lesson's path with matching sizes.
 */
import assert from "node:assert/strict";
import { SAMPLE_VIDEO, SAMPLE_VIDEO_SECONDS, seedDemoMedia } from "../../lib/demo_media/mod.ts";
import { worksheetPdf } from "../../lib/demo_media/worksheet_pdf.ts";
import { sniffContentType } from "../../lib/storage/sniff.ts";
import { openTestStorage } from "../support/app.ts";
import { openTestDatabase } from "../support/database.ts";

/** One character per byte (TextDecoder's "latin1" is really windows-1252). */
function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

Deno.test("worksheet PDF: header, objects where the xref says, stream length, escaped title", () => {
  const bytes = worksheetPdf({
    title: "Equations (part 2): a \\ b – “worked” examples",
    course: "Mathematics: Algebra I",
    module: "Linear equations",
    school: "Nairobi Demo School",
  });
  assert.equal(sniffContentType(bytes), "application/pdf");
  const pdf = latin1(bytes);
  assert.ok(pdf.endsWith("%%EOF\n"));
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
  assert.ok(pdf.startsWith("xref\n0 8\n", startxref));
  const entries = pdf.slice(startxref).split("\n").slice(3, 10);
  entries.forEach((entry, i) => {
    const offset = Number(entry.slice(0, 10));
    assert.ok(pdf.startsWith(`${i + 1} 0 obj\n`, offset), `object ${i + 1} at ${offset}`);
  });
  const stream = /<< \/Length (\d+) >>\nstream\n/.exec(pdf)!;
  const start = stream.index + stream[0].length;
  assert.equal(pdf.indexOf("\nendstream", start), start + Number(stream[1]));
  // parentheses and backslashes escaped, the dash and quotes in WinAnsi
  assert.ok(pdf.includes("(Equations \\(part 2\\): a \\\\ b \x96 \x93worked\x94 examples)"));
});

Deno.test("sample video: a faststart MP4 (moov before mdat) under 300 KB", async () => {
  const bytes = await Deno.readFile(SAMPLE_VIDEO);
  assert.ok(bytes.byteLength <= 300 * 1024, `${bytes.byteLength} bytes`);
  assert.equal(sniffContentType(bytes), "video/mp4");
  const view = new DataView(bytes.buffer);
  const boxes: string[] = [];
  for (let offset = 0; offset < bytes.byteLength;) {
    boxes.push(latin1(bytes.subarray(offset + 4, offset + 8)));
    offset += view.getUint32(offset);
  }
  assert.ok(
    boxes.indexOf("moov") >= 0 && boxes.indexOf("moov") < boxes.indexOf("mdat"),
    boxes.join(),
  );
  // the duration in the movie header (mvhd v0: timescale at +20, duration at +24 of the box)
  const mvhd = latin1(bytes).indexOf("mvhd") - 4;
  const seconds = view.getUint32(mvhd + 24) / view.getUint32(mvhd + 20);
  assert.equal(Math.round(seconds), SAMPLE_VIDEO_SECONDS);
});

Deno.test("demo media: every demo video and PDF lesson gets its file, sizes match", async () => {
  const t = await openTestDatabase({ seed: true });
  try {
    await using files = await openTestStorage();
    const count = await seedDemoMedia(t.owner, files.storage);
    const lessons = await t.owner.query<
      { storage_path: string; kind: string; byte_size: string; duration_seconds: number }
    >(
      `select storage_path, kind::text, byte_size, duration_seconds from public.lessons
        where kind in ('video', 'pdf') order by storage_path`,
    );
    assert.equal(count, lessons.length);
    assert.ok(lessons.some((l) => l.kind === "video") && lessons.some((l) => l.kind === "pdf"));
    for (const lesson of lessons) {
      const info = await Deno.stat(`${files.dir}/${lesson.storage_path}`);
      assert.equal(String(info.size), String(lesson.byte_size), lesson.storage_path);
      if (lesson.kind === "video") assert.equal(lesson.duration_seconds, SAMPLE_VIDEO_SECONDS);
    }
  } finally {
    await t.close();
  }
});
