/**
 * The file route over HTTP (the real app, no database needed): signed URLs work, then are
 * refused once expired or tampered with; byte ranges, HEAD, conditional requests and headers.
 */
import assert from "node:assert/strict";
import { call, openTestStorage, quietLog, testApp } from "../support/app.ts";
import { PDF_BYTES, streamOf } from "./samples.ts";
import { HttpError } from "../../lib/fresh/mod.ts";
import { noStorage } from "../../lib/storage/mod.ts";

const MEDIA = { maxBytes: 1 << 20, allowedTypes: ["application/pdf", "video/mp4"] };

async function setup() {
  const files = await openTestStorage();
  const lines: string[] = [];
  const app = await testApp(null as never, { storage: files.storage, log: quietLog(lines) });
  const body = new Uint8Array(1000);
  body.set(PDF_BYTES);
  for (let i = PDF_BYTES.length; i < body.length; i++) body[i] = i % 251;
  await files.storage.put("demo/nairobi/MAT101/m1-l2.pdf", streamOf(body, 128), MEDIA);
  return { files, app, body, lines };
}

Deno.test("files: a signed URL serves the whole file with its stored type and safe headers", async () => {
  const { files, app, body, lines } = await setup();
  await using _ = files;
  const url = await files.storage.signedUrl("demo/nairobi/MAT101/m1-l2.pdf");
  const res = await call(app, url);
  assert.equal(res.status, 200);
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), body);
  assert.equal(res.headers.get("Content-Type"), "application/pdf");
  assert.equal(res.headers.get("Content-Length"), "1000");
  assert.equal(res.headers.get("Accept-Ranges"), "bytes");
  assert.equal(res.headers.get("X-Content-Type-Options"), "nosniff");
  assert.equal(res.headers.get("Content-Disposition"), "inline");
  assert.equal(res.headers.get("X-Frame-Options"), "SAMEORIGIN"); // our lesson page frames PDFs
  assert.match(
    res.headers.get("Content-Security-Policy")!,
    /default-src 'none'; frame-ancestors 'self'/,
  );
  assert.match(res.headers.get("ETag")!, /^"[0-9a-f]+-[0-9a-f]+"$/);
  assert.ok(res.headers.get("Last-Modified"));
  assert.match(res.headers.get("Cache-Control")!, /^private, max-age=(89\d|900)$/);
  // the log has the path without the signature
  const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "request");
  assert.match(logged.path, /^\/files\/\d+\.0\.…\/demo\/nairobi\/MAT101\/m1-l2\.pdf$/);
  assert.ok(!lines.join("\n").includes(url.split("/")[2]), "signature not in the log");
});

Deno.test("files: ranges give 206 with Content-Range; past the end 416; HEAD has no body", async () => {
  const { files, app, body } = await setup();
  await using _ = files;
  const url = await files.storage.signedUrl("demo/nairobi/MAT101/m1-l2.pdf");
  const part = await call(app, url, { headers: { Range: "bytes=100-199" } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("Content-Range"), "bytes 100-199/1000");
  assert.equal(part.headers.get("Content-Length"), "100");
  assert.deepEqual(new Uint8Array(await part.arrayBuffer()), body.subarray(100, 200));

  const tail = await call(app, url, { headers: { Range: "bytes=-10" } });
  assert.equal(tail.headers.get("Content-Range"), "bytes 990-999/1000");
  assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), body.subarray(990));

  const open = await call(app, url, { headers: { Range: "bytes=995-" } });
  assert.deepEqual(new Uint8Array(await open.arrayBuffer()), body.subarray(995));

  const beyond = await call(app, url, { headers: { Range: "bytes=1000-" } });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers.get("Content-Range"), "bytes */1000");
  await beyond.body?.cancel();

  const head = await call(app, url, { method: "HEAD", headers: { Range: "bytes=0-9" } });
  assert.equal(head.status, 206);
  assert.equal(head.headers.get("Content-Length"), "10");
  assert.equal(head.body, null);
});

Deno.test("files: ETag gives 304; If-Range with an old ETag sends the whole file", async () => {
  const { files, app } = await setup();
  await using _ = files;
  const url = await files.storage.signedUrl("demo/nairobi/MAT101/m1-l2.pdf");
  const first = await call(app, url);
  await first.body?.cancel();
  const etag = first.headers.get("ETag")!;
  const again = await call(app, url, { headers: { "If-None-Match": etag } });
  assert.equal(again.status, 304);
  const stale = await call(app, url, { headers: { Range: "bytes=0-9", "If-Range": '"old"' } });
  assert.equal(stale.status, 200);
  assert.equal((await stale.arrayBuffer()).byteLength, 1000);
  const fresh = await call(app, url, { headers: { Range: "bytes=0-9", "If-Range": etag } });
  assert.equal(fresh.status, 206);
  await fresh.body?.cancel();
});

Deno.test("files: a download URL is an attachment with the signed name", async () => {
  const { files, app } = await setup();
  await using _ = files;
  const url = await files.storage.signedUrl("demo/nairobi/MAT101/m1-l2.pdf", {
    downloadName: "Fractions – worksheet.pdf",
  });
  const res = await call(app, url);
  assert.equal(res.status, 200);
  assert.equal(
    res.headers.get("Content-Disposition"),
    `attachment; filename="Fractions _ worksheet.pdf"; filename*=UTF-8''Fractions%20%E2%80%93%20worksheet.pdf`,
  );
  await res.body?.cancel();
});

Deno.test("files: refused with 403 after 15 minutes and when tampered with", async () => {
  const { files, app } = await setup();
  await using _ = files;
  const url = await files.storage.signedUrl("demo/nairobi/MAT101/m1-l2.pdf");
  assert.equal((await call(app, url)).status, 200);
  await files.storage.put("demo/nairobi/MAT101/other.pdf", streamOf(PDF_BYTES), MEDIA);

  for (
    const tampered of [
      url.replace("m1-l2.pdf", "other.pdf"),
      url.replace(/\/files\/(\d+)\./, (_, e) => `/files/${Number(e) + 60}.`),
      `${url}?download=page.html`,
      url.replace(/\.0\./, ".2."),
    ]
  ) {
    const res = await call(app, tampered);
    assert.equal(res.status, 403, tampered);
    assert.match(await res.text(), /This file link is not valid/);
  }

  files.advance(14 * 60 * 1000);
  const stillOk = await call(app, url);
  assert.equal(stillOk.status, 200);
  await stillOk.body?.cancel();
  files.advance(60 * 1000 + 1);
  const expired = await call(app, url);
  assert.equal(expired.status, 403);
  assert.match(await expired.text(), /expired/);
});

Deno.test("files: missing files 404, traversal 404, no DELETE", async () => {
  const { files, app } = await setup();
  await using _ = files;
  const missing = await call(app, await files.storage.signedUrl("demo/none.pdf"));
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  const token = (await files.storage.signedUrl("demo/nairobi/MAT101/m1-l2.pdf")).split("/")[2];
  const climb = await call(app, `/files/${token}/demo%2F..%2F..%2Fetc%2Fpasswd`);
  assert.equal(climb.status, 404);
  await climb.body?.cancel();
  const post = await call(app, `/files/${token}/demo/nairobi/MAT101/m1-l2.pdf`, {
    method: "DELETE",
  });
  assert.ok([403, 405].includes(post.status), String(post.status)); // CSRF or no such method
  await post.body?.cancel();
  assert.ok((await Deno.stat(`${files.dir}/demo/nairobi/MAT101/m1-l2.pdf`)).isFile);
});

Deno.test("files: a folder URL serves files under the folder (HLS playlists and segments)", async () => {
  const { files, app } = await setup();
  await using _ = files;
  const local = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(local, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n");
    await files.storage.putFile("hls/l1/master.m3u8", local, "application/vnd.apple.mpegurl");
    await files.storage.putFile("hls/l1/360p/index.m3u8", local, "application/vnd.apple.mpegurl");
    const master = await files.storage.signedFolderUrl("hls/l1/", "master.m3u8");
    const res = await call(app, master);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("Content-Type"), "application/vnd.apple.mpegurl");
    await res.body?.cancel();
    const variant = new URL("360p/index.m3u8", new URL(master, "http://localhost"));
    const v = await call(app, variant.pathname);
    assert.equal(v.status, 200);
    await v.body?.cancel();
  } finally {
    await Deno.remove(local);
  }
});

Deno.test("files: an app built without storage serves no files and signs nothing (503)", async () => {
  const app = await testApp(null as never);
  const res = await call(app, "/files/1.0.abc/demo/a.pdf");
  assert.equal(res.status, 404);
  await res.body?.cancel();
  await assert.rejects(
    noStorage.signedUrl("demo/a.pdf"),
    (e: unknown) => e instanceof HttpError && e.status === 503,
  );
});
