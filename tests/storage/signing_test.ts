import assert from "node:assert/strict";
import { HttpError } from "../../lib/fresh/mod.ts";
import {
  deriveSigningKey,
  redactFileUrlPath,
  signFileUrl,
  verifyFileUrl,
} from "../../lib/storage/signing.ts";

const key = await deriveSigningKey("tests-only-secret-0123456789-abcdefghijklmnop");
const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const EXPIRES = NOW / 1000 + 900;

/** Verifies a URL as the file route would see it. */
function verify(url: string, nowMs = NOW, withKey = key) {
  const parsed = new URL(url, "http://localhost");
  return verifyFileUrl(
    withKey,
    parsed.pathname.slice("/files/".length),
    parsed.searchParams,
    nowMs,
  );
}

async function refused(promise: Promise<unknown>, pattern: RegExp, status = 403) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, status);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("signed URL: verifies for its path until it expires", async () => {
  const url = await signFileUrl(key, "demo/nairobi/MAT101/m1-l2.pdf", { expires: EXPIRES });
  assert.match(url, /^\/files\/\d+\.0\.[A-Za-z0-9_-]{43}\/demo\/nairobi\/MAT101\/m1-l2\.pdf$/);
  assert.deepEqual(await verify(url), {
    path: "demo/nairobi/MAT101/m1-l2.pdf",
    downloadName: undefined,
    expires: EXPIRES,
  });
  assert.equal((await verify(url, EXPIRES * 1000 - 1)).expires, EXPIRES);
  await refused(verify(url, EXPIRES * 1000), /expired/);
});

Deno.test("signed URL: names with spaces and non-ASCII round-trip through encoding", async () => {
  const path = "courses/x/Leçon 1 (intro).pdf";
  const url = await signFileUrl(key, path, { expires: EXPIRES, downloadName: "Leçon 1.pdf" });
  assert.doesNotMatch(url, / /);
  assert.deepEqual(await verify(url), { path, downloadName: "Leçon 1.pdf", expires: EXPIRES });
});

Deno.test("signed URL: another path, expiry, signature or key is refused", async () => {
  const url = await signFileUrl(key, "demo/a/one.pdf", { expires: EXPIRES });
  const notValid = /not valid/;
  await refused(verify(url.replace("one.pdf", "two.pdf")), notValid);
  await refused(verify(url.replace(`/${EXPIRES}.`, `/${EXPIRES + 3600}.`)), notValid);
  const sig = url.split("/")[2].split(".")[2];
  // the first character: the last one of 43 carries padding bits that decoding ignores
  const flipped = (sig.startsWith("A") ? "B" : "A") + sig.slice(1);
  await refused(verify(url.replace(sig, flipped)), notValid);
  await refused(
    verify(url, NOW, await deriveSigningKey("another-secret-0123456789-abcdefghijkl")),
    notValid,
  );
  await refused(verify("/files/garbage/demo/a/one.pdf"), notValid);
  await refused(verify(`/files/${url.split("/")[2]}`), notValid);
});

Deno.test("signed URL: a download name cannot be added, changed or dropped", async () => {
  const plain = await signFileUrl(key, "demo/a/one.pdf", { expires: EXPIRES });
  const named = await signFileUrl(key, "demo/a/one.pdf", {
    expires: EXPIRES,
    downloadName: "a.pdf",
  });
  await refused(verify(`${plain}?download=evil.html`), /not valid/);
  await refused(verify(named.replace("a.pdf", "b.pdf")), /not valid/);
  await refused(verify(named.split("?")[0]), /not valid/);
  assert.equal((await verify(named)).downloadName, "a.pdf");
});

Deno.test("signed folder URL: any file under the folder verifies, nothing outside it", async () => {
  const url = await signFileUrl(key, "hls/lesson-1/master.m3u8", { expires: EXPIRES, scope: 2 });
  assert.match(url, /^\/files\/\d+\.2\./);
  // relative URLs in a playlist resolve under the same token
  const variant = new URL("360p/index.m3u8", new URL(url, "http://localhost")).pathname;
  assert.equal((await verify(variant)).path, "hls/lesson-1/360p/index.m3u8");
  const segment = new URL("seg-001.ts", new URL(variant, "http://localhost")).pathname;
  assert.equal((await verify(segment)).path, "hls/lesson-1/360p/seg-001.ts");
  // another folder, or climbing out, breaks the signature
  await refused(verify(url.replace("lesson-1", "lesson-2")), /not valid/);
  const outside = new URL("../lesson-2/master.m3u8", new URL(url, "http://localhost")).pathname;
  await refused(verify(outside), /not valid/);
  // widening the scope to fewer segments is tampering
  await refused(verify(url.replace(`${EXPIRES}.2.`, `${EXPIRES}.1.`)), /not valid/);
  // the folder itself is not a file of the folder
  await refused(verify(url.replace("/master.m3u8", "")), /not valid/);
});

Deno.test("signed URL: traversal and malformed paths are no file at all", async () => {
  const url = await signFileUrl(key, "demo/a/one.pdf", { expires: EXPIRES });
  const token = url.split("/")[2];
  // (a literal "/../" never arrives: URL parsing resolves it before any route sees the path)
  for (
    const rest of [
      "demo/a%2F..%2F..%2Fetc",
      "demo/a/..%2Fb",
      "demo/.hidden",
      "demo/a%5Cb",
      "%E0%A4%A",
    ]
  ) {
    await refused(verify(`/files/${token}/${rest}`), /No such file/, 404);
  }
});

Deno.test("the request log masks the signature of file URLs", () => {
  assert.equal(
    redactFileUrlPath("/files/1767603600.0.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/demo/a.pdf"),
    "/files/1767603600.0.…/demo/a.pdf",
  );
  assert.equal(redactFileUrlPath("/portal/courses"), "/portal/courses");
});
