/**
 * The Supabase Storage backend against the local emulator of its REST API
 * (lib/storage/supabase_emulator.ts): the same contract as the local backend.
 */
import assert from "node:assert/strict";
import { HttpError } from "../../lib/fresh/mod.ts";
import { createStorage, createSupabaseStorage } from "../../lib/storage/mod.ts";
import { startSupabaseStorageEmulator } from "../../lib/storage/supabase_emulator.ts";
import { call, testApp, testJwtSecret } from "../support/app.ts";
import { failingStream, HTML_BYTES, MP4_BYTES, PDF_BYTES, streamOf } from "./samples.ts";

const MEDIA = { maxBytes: 4096, allowedTypes: ["application/pdf", "video/mp4"] };

async function setup() {
  const emulator = startSupabaseStorageEmulator();
  const storage = await createStorage(
    {
      kind: "supabase",
      url: emulator.url,
      serviceRoleKey: emulator.serviceKey,
      bucket: "lesson-files",
    },
    testJwtSecret,
  );
  // The tests look at the requests of what they do, not at the bucket's creation.
  emulator.requests.length = 0;
  return { emulator, storage, [Symbol.asyncDispose]: () => emulator.close() };
}

Deno.test("supabase: a project without the bucket gets it, private, once; one with it is left alone", async () => {
  const emulator = startSupabaseStorageEmulator();
  try {
    const config = {
      kind: "supabase" as const,
      url: emulator.url,
      serviceRoleKey: emulator.serviceKey,
      bucket: "lesson-files",
    };
    // As on a project, nothing can be uploaded into a bucket that does not exist.
    const missing = await fetch(`${emulator.url}/storage/v1/object/lesson-files/a.pdf`, {
      method: "POST",
      headers: { Authorization: `Bearer ${emulator.serviceKey}`, apikey: emulator.serviceKey },
      body: PDF_BYTES,
    });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).message, "Bucket not found");

    const storage = await createStorage(config, testJwtSecret);
    assert.deepEqual([...emulator.buckets], ["lesson-files"]);
    const create = emulator.requests.find((r) => r.path === "/storage/v1/bucket")!;
    assert.equal(create.method, "POST");
    assert.equal(create.headers.get("authorization"), `Bearer ${emulator.serviceKey}`);
    await storage.put("courses/c1/a.pdf", streamOf(PDF_BYTES), MEDIA);
    assert.ok(emulator.objects.has("lesson-files/courses/c1/a.pdf"));

    // A second start finds it there (statusCode "409") and goes on; the files stay.
    await createStorage(config, testJwtSecret);
    assert.equal(emulator.buckets.size, 1);
    assert.ok(emulator.objects.has("lesson-files/courses/c1/a.pdf"));
  } finally {
    await emulator.close();
  }
});

Deno.test("supabase: the bucket's creation reads Storage's answers, never shows the key", async () => {
  const answering = (status: number, body: unknown) =>
    (() => Promise.resolve(Response.json(body, { status }))) as typeof fetch;
  const storage = (answer: typeof fetch) =>
    createSupabaseStorage({
      url: "https://project.supabase.example",
      serviceRoleKey: "secret-service-key",
      bucket: "lesson-files",
      signingKey: undefined as unknown as CryptoKey,
      fetch: answer,
    });
  assert.equal(await storage(answering(200, { name: "lesson-files" })).ensureBucket(), true);
  // supabase/storage answers a bucket that exists with HTTP 400 and statusCode "409"
  const exists = { statusCode: "409", error: "Duplicate", message: "The resource already exists" };
  assert.equal(await storage(answering(400, exists)).ensureBucket(), false);
  assert.equal(await storage(answering(409, exists)).ensureBucket(), false);
  const denied = { statusCode: "403", error: "Unauthorized", message: "Invalid Compact JWS" };
  await assert.rejects(
    storage(answering(400, denied)).ensureBucket(),
    (error: Error) =>
      /could not create the bucket lesson-files: HTTP 400 Unauthorized/.test(error.message) &&
      !error.message.includes("secret-service-key"),
  );
});

Deno.test("supabase: put uploads the sniffed type with the service key and x-upsert", async () => {
  await using s = await setup();
  const stored = await s.storage.put("courses/c1/m1-l1.pdf", streamOf(PDF_BYTES), MEDIA);
  assert.deepEqual(stored, {
    path: "courses/c1/m1-l1.pdf",
    contentType: "application/pdf",
    byteSize: PDF_BYTES.length,
  });
  const upload = s.emulator.requests.find((r) => r.method === "POST")!;
  assert.equal(upload.path, "/storage/v1/object/lesson-files/courses/c1/m1-l1.pdf");
  assert.equal(upload.headers.get("x-upsert"), "true");
  assert.equal(upload.headers.get("content-type"), "application/pdf");
  assert.equal(upload.headers.get("authorization"), `Bearer ${s.emulator.serviceKey}`);
  assert.deepEqual(s.emulator.objects.get("lesson-files/courses/c1/m1-l1.pdf")?.bytes, PDF_BYTES);
  // a second put replaces the object (upsert)
  await s.storage.put("courses/c1/m1-l1.pdf", streamOf(MP4_BYTES), MEDIA);
  assert.equal(
    s.emulator.objects.get("lesson-files/courses/c1/m1-l1.pdf")?.contentType,
    "video/mp4",
  );
});

Deno.test("supabase: refused and interrupted uploads never reach the bucket", async () => {
  await using s = await setup();
  const refusal = (status: number) => (error: unknown) =>
    error instanceof HttpError && error.status === status;
  await assert.rejects(s.storage.put("c/a.pdf", streamOf(HTML_BYTES), MEDIA), refusal(415));
  await assert.rejects(
    s.storage.put("c/a.pdf", streamOf(new Uint8Array(5000).fill(37)), MEDIA),
    refusal(415),
  );
  const big = new Uint8Array(5000);
  big.set(PDF_BYTES);
  await assert.rejects(s.storage.put("c/a.pdf", streamOf(big, 500), MEDIA), refusal(413));
  await assert.rejects(
    s.storage.put("c/a.pdf", failingStream(big.subarray(0, 300)), MEDIA),
    refusal(400),
  );
  assert.equal(s.emulator.objects.size, 0);
  assert.equal(s.emulator.requests.length, 0);
});

Deno.test("supabase: signed URLs from /object/sign serve ranges, downloads, then expire", async () => {
  await using s = await setup();
  await s.storage.put("courses/c1/m1-l1.pdf", streamOf(PDF_BYTES), MEDIA);
  const url = await s.storage.signedUrl("courses/c1/m1-l1.pdf");
  assert.ok(
    url.startsWith(
      `${s.emulator.url}/storage/v1/object/sign/lesson-files/courses/c1/m1-l1.pdf?token=`,
    ),
  );
  const sign = s.emulator.requests.find((r) => r.path.startsWith("/storage/v1/object/sign/"))!;
  assert.equal(sign.method, "POST");

  const part = await fetch(url, { headers: { Range: "bytes=0-4" } });
  assert.equal(part.status, 206);
  assert.equal(await part.text(), "%PDF-");

  const download = await fetch(
    await s.storage.signedUrl("courses/c1/m1-l1.pdf", { downloadName: "Worksheet 1.pdf" }),
  );
  assert.match(
    download.headers.get("Content-Disposition")!,
    /^attachment; filename=Worksheet%201\.pdf/,
  );
  await download.body?.cancel();

  const tampered = await fetch(url.replace("m1-l1.pdf", "m1-l2.pdf"));
  assert.equal(tampered.status, 400);
  assert.equal((await tampered.json()).error, "InvalidSignature");

  const start = Date.now();
  s.emulator.setNow(() => start + 901_000);
  const expired = await fetch(url);
  assert.equal(expired.status, 400);
  assert.equal((await expired.json()).error, "InvalidJWT");
});

Deno.test("supabase: signing a missing object is 404", async () => {
  await using s = await setup();
  await assert.rejects(
    s.storage.signedUrl("courses/none.pdf"),
    (error: unknown) => error instanceof HttpError && error.status === 404,
  );
});

Deno.test("supabase: putFile, fetchToFile, delete of a file and of a folder", async () => {
  await using s = await setup();
  const local = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(local, "#EXTM3U\n");
    assert.deepEqual(
      await s.storage.putFile("hls/l1/master.m3u8", local, "application/vnd.apple.mpegurl"),
      {
        path: "hls/l1/master.m3u8",
        contentType: "application/vnd.apple.mpegurl",
        byteSize: 8,
      },
    );
    await s.storage.putFile("hls/l1/360p/seg-1.ts", local, "video/mp2t");
    await s.storage.putFile("hls/l2/master.m3u8", local, "application/vnd.apple.mpegurl");
    await s.storage.fetchToFile("hls/l1/360p/seg-1.ts", `${local}.copy`);
    assert.equal(await Deno.readTextFile(`${local}.copy`), "#EXTM3U\n");
    await Deno.remove(`${local}.copy`);

    await s.storage.delete("hls/l1/");
    assert.deepEqual([...s.emulator.objects.keys()], ["lesson-files/hls/l2/master.m3u8"]);
    await s.storage.delete("hls/l2/master.m3u8");
    assert.equal(s.emulator.objects.size, 0);
  } finally {
    await Deno.remove(local);
  }
});

Deno.test("supabase: folder URLs are the app's, proxied from the bucket with ranges; CSP allows the bucket", async () => {
  await using s = await setup();
  const local = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(local, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n");
    await s.storage.putFile("hls/l1/master.m3u8", local, "application/vnd.apple.mpegurl");
    await s.storage.putFile("hls/l1/360p/index.m3u8", local, "application/vnd.apple.mpegurl");
  } finally {
    await Deno.remove(local);
  }
  const app = await testApp(null as never, { storage: s.storage });
  const master = await s.storage.signedFolderUrl("hls/l1", "master.m3u8");
  assert.match(master, /^\/files\/\d+\.2\./);
  const res = await call(app, master);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/vnd.apple.mpegurl");
  assert.equal(res.headers.get("X-Content-Type-Options"), "nosniff");
  assert.match(await res.text(), /^#EXTM3U/);
  const variant = new URL("360p/index.m3u8", new URL(master, "http://localhost")).pathname;
  const part = await call(app, variant, { headers: { Range: "bytes=0-6" } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("Content-Range"), "bytes 0-6/54");
  assert.equal(await part.text(), "#EXTM3U");
  const outside = await call(app, master.replace("hls/l1/", "hls/l2/"));
  assert.equal(outside.status, 403);
  await outside.body?.cancel();

  const page = await call(app, "/signin");
  assert.match(
    page.headers.get("Content-Security-Policy")!,
    new RegExp(`media-src 'self' ${s.emulator.url}`),
  );
  await page.body?.cancel();
});
