/** The local-disk backend: atomic, sniffed, size-limited uploads, and file operations. */
import assert from "node:assert/strict";
import { HttpError } from "../../lib/fresh/mod.ts";
import { openTestStorage } from "../support/app.ts";
import { failingStream, HTML_BYTES, listAll, MP4_BYTES, PDF_BYTES, streamOf } from "./samples.ts";

const MEDIA = { maxBytes: 1024, allowedTypes: ["application/pdf", "video/mp4"] } as const;

async function refusedWith(promise: Promise<unknown>, status: number, pattern: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof HttpError, String(error));
    assert.equal(error.status, status);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("put: streams a file into place with the sniffed type and its size", async () => {
  await using files = await openTestStorage();
  const stored = await files.storage.put("courses/c1/notes.bin", streamOf(PDF_BYTES), MEDIA);
  assert.deepEqual(stored, {
    path: "courses/c1/notes.bin",
    contentType: "application/pdf",
    byteSize: PDF_BYTES.length,
  });
  assert.deepEqual(await Deno.readFile(`${files.dir}/courses/c1/notes.bin`), PDF_BYTES);
  // only the file and its type sidecar: no temp file left
  assert.deepEqual(await listAll(files.dir), [
    "courses/c1/.notes.bin.type",
    "courses/c1/notes.bin",
  ]);
});

Deno.test("put: a type that is not allowed is 415 and nothing is written", async () => {
  await using files = await openTestStorage();
  await refusedWith(
    files.storage.put("c/page.pdf", streamOf(HTML_BYTES), MEDIA),
    415,
    /Only PDF or MP4 video files are accepted; this one is not\./,
  );
  await refusedWith(
    files.storage.put("c/clip.mp4", streamOf(MP4_BYTES), {
      ...MEDIA,
      allowedTypes: ["application/pdf"],
    }),
    415,
    /this one is MP4 video/,
  );
  assert.deepEqual(await listAll(files.dir), []);
});

Deno.test("put: one byte over the limit is 413, the limit itself is fine, nothing half-written", async () => {
  await using files = await openTestStorage();
  const big = new Uint8Array(4096);
  big.set(PDF_BYTES);
  await refusedWith(
    files.storage.put("c/big.pdf", streamOf(big, 100), { ...MEDIA, maxBytes: 4095 }),
    413,
    /too large: the limit is 4 KB/,
  );
  assert.deepEqual(await listAll(files.dir), []);
  const exact = await files.storage.put("c/big.pdf", streamOf(big, 100), {
    ...MEDIA,
    maxBytes: 4096,
  });
  assert.equal(exact.byteSize, 4096);
});

Deno.test("put: a stream that fails half-way leaves no file, and an older file survives", async () => {
  await using files = await openTestStorage();
  await files.storage.put("c/lesson.pdf", streamOf(PDF_BYTES), MEDIA);
  const partial = new Uint8Array(300);
  partial.set(PDF_BYTES);
  await refusedWith(
    files.storage.put("c/lesson.pdf", failingStream(partial), MEDIA),
    400,
    /interrupted/,
  );
  await refusedWith(
    files.storage.put("c/other.pdf", failingStream(partial), MEDIA),
    400,
    /interrupted/,
  );
  assert.deepEqual(await listAll(files.dir), ["c/.lesson.pdf.type", "c/lesson.pdf"]);
  assert.deepEqual(await Deno.readFile(`${files.dir}/c/lesson.pdf`), PDF_BYTES);
});

Deno.test("put: bad paths are refused before anything is read", async () => {
  await using files = await openTestStorage();
  for (
    const path of ["../escape.pdf", "/abs.pdf", "a//b.pdf", "a/.hidden", "a\\b.pdf", "", "a/b/"]
  ) {
    await refusedWith(
      files.storage.put(path, streamOf(PDF_BYTES), MEDIA),
      400,
      /Not a valid storage path/,
    );
  }
  assert.deepEqual(await listAll(files.dir), []);
});

Deno.test("putFile, fetchToFile and delete of a file and of a prefix", async () => {
  await using files = await openTestStorage();
  const local = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(local, "#EXTM3U\n");
    const stored = await files.storage.putFile(
      "hls/l1/master.m3u8",
      local,
      "application/vnd.apple.mpegurl",
    );
    assert.deepEqual(stored, {
      path: "hls/l1/master.m3u8",
      contentType: "application/vnd.apple.mpegurl",
      byteSize: 8,
    });
    await files.storage.putFile("hls/l1/360p/seg-1.ts", local, "video/mp2t");
    await files.storage.putFile("hls/l2/master.m3u8", local, "application/vnd.apple.mpegurl");
    const copy = `${local}.copy`;
    await files.storage.fetchToFile("hls/l1/360p/seg-1.ts", copy);
    assert.equal(await Deno.readTextFile(copy), "#EXTM3U\n");
    await Deno.remove(copy);
    await refusedWith(files.storage.fetchToFile("hls/none.ts", copy), 404, /No such file/);

    await files.storage.delete("hls/l1/");
    assert.deepEqual(await listAll(files.dir), ["hls/l2/.master.m3u8.type", "hls/l2/master.m3u8"]);
    await files.storage.delete("hls/l2/master.m3u8");
    await files.storage.delete("hls/never-there.pdf"); // deleting what is gone is fine
    assert.deepEqual(await listAll(files.dir), []);
  } finally {
    await Deno.remove(local);
  }
});
