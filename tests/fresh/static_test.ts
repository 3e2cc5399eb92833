import assert from "node:assert/strict";
import { isTraversal } from "../../lib/fresh/static_files.ts";
import { BASIC, REPO_ROOT, testApp } from "./helpers.ts";

const app = await testApp(BASIC);

Deno.test("static files carry a strong content ETag; If-None-Match → 304", async () => {
  const first = await app.request("/hello.txt");
  assert.equal(first.status, 200);
  assert.equal(await first.text(), "hello static\n");
  assert.match(first.headers.get("Content-Type")!, /^text\/plain/);
  assert.match(first.headers.get("Cache-Control")!, /public, max-age=\d+/);
  const etag = first.headers.get("ETag")!;
  assert.match(etag, /^"[0-9a-f]{32}"$/, "strong, not W/");

  for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
    const again = await app.request("/hello.txt", { headers: { "If-None-Match": ifNoneMatch } });
    assert.equal(again.status, 304, ifNoneMatch);
    assert.equal(await again.text(), "");
    assert.equal(again.headers.get("ETag"), etag);
  }
  const changed = await app.request("/hello.txt", { headers: { "If-None-Match": '"stale"' } });
  assert.equal(changed.status, 200);
  await changed.body?.cancel();

  const json = await app.request("/sub/data.json");
  assert.match(json.headers.get("Content-Type")!, /^application\/json/);
  assert.deepEqual(await json.json(), { ok: true });
  assert.notEqual(json.headers.get("ETag"), etag);
});

Deno.test("dotfiles and paths that climb out of static/ are not served", async () => {
  for (
    const path of [
      "/.hidden",
      "/..%2fstate.ts",
      "/sub/..%2f..%2fstate.ts",
      "/%2e%2e%2fstate.ts",
      "/sub%2f..%2f..%2f..%2fdeno.json",
      "/..%5cstate.ts",
      "/%E0%A4%A",
    ]
  ) {
    const res = await app.request(path);
    const body = await res.text();
    assert.equal(res.status, 404, path);
    assert.ok(!body.includes("createDefine") && !body.includes("secret"), path);
  }
  assert.ok(isTraversal("/a/..%2f..%2fetc/passwd"));
  assert.ok(isTraversal("/a%5c..%5cb"));
  assert.ok(!isTraversal("/sub/data.json"));
  assert.ok(!isTraversal("/notes..txt"));
});

Deno.test("the app answers /favicon.ico, so browsers log no 404", async () => {
  const real = await testApp(REPO_ROOT, { state: { db: null } });
  const res = await real.request("/favicon.ico");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "image/x-icon");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 1, 0], "an ICO header");
  assert.ok(bytes.length < 1024, "tiny");
});
