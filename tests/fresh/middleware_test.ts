import assert from "node:assert/strict";
import { routeBodyLimit } from "../../lib/fresh/body_limit.ts";
import { BASIC, cspNonce, ORIGIN, testApp } from "./helpers.ts";

const app = await testApp(BASIC, { bodyLimitBytes: 1024 });

Deno.test("CSP is nonce-based and every inline <script>/<style> carries that nonce", async () => {
  for (const path of ["/islands", "/", "/no-such-page", "/boom"]) {
    const res = await app.request(path);
    const csp = res.headers.get("Content-Security-Policy")!;
    const nonce = cspNonce(res);
    assert.ok(nonce && nonce.length >= 16, `${path}: a nonce in ${csp}`);
    for (
      const directive of [
        "default-src 'self'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "img-src 'self' data:",
      ]
    ) assert.ok(csp.includes(directive), `${path}: ${directive} in ${csp}`);
    assert.ok(!csp.includes("unsafe-inline"));
    const html = await res.text();
    const tags = [...html.matchAll(/<(script|style)\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(tags.length >= 1, `${path} has a <style>`);
    for (const tag of tags) assert.ok(tag.includes(`nonce="${nonce}"`), `${path}: ${tag}`);
  }
  const a = cspNonce(await app.request("/"));
  const b = cspNonce(await app.request("/"));
  assert.notEqual(a, b, "a fresh nonce per request");
  assert.equal((await app.request("/")).headers.get("X-Content-Type-Options"), "nosniff");
});

Deno.test("request id: a sane one is echoed, anything else is replaced", async () => {
  const sane = "req-42.abc:XYZ_9";
  const echoed = await app.request("/", { headers: { "X-Request-Id": sane } });
  assert.equal(echoed.headers.get("X-Request-Id"), sane);
  await echoed.body?.cancel();

  for (const bad of ["has space", "x".repeat(129), "<script>", "a/b"]) {
    const res = await app.request("/api/nothing", { headers: { "X-Request-Id": bad } });
    const id = res.headers.get("X-Request-Id")!;
    assert.notEqual(id, bad);
    assert.match(id, /^[0-9a-f-]{36}$/);
    await res.body?.cancel();
  }
  const generated = await app.request("/boom");
  assert.match(generated.headers.get("X-Request-Id")!, /^[0-9a-f-]{36}$/);
  await generated.body?.cancel();
});

Deno.test("exactly one JSON request line per request, with its fields", async () => {
  const before = app.lines.length;
  const paths = ["/", "/courses/9?token=secret-value", "/no-such-page", "/api/boom"];
  const ids: string[] = [];
  for (const path of paths) {
    const res = await app.request(path);
    ids.push(res.headers.get("X-Request-Id")!);
    await res.body?.cancel();
  }
  const requestLines = app.lines.slice(before).filter((l) => l.msg === "request");
  assert.equal(requestLines.length, paths.length);
  requestLines.forEach((line, i) => {
    assert.equal(line.level, "info");
    assert.equal(line.method, "GET");
    assert.equal(line.path, new URL(paths[i], ORIGIN).pathname, "the path, never the query");
    assert.equal(line.requestId, ids[i]);
    assert.equal(typeof line.durationMs, "number");
    assert.equal(typeof line.status, "number");
  });
  assert.deepEqual(requestLines.map((l) => l.status), [200, 200, 404, 500]);
  assert.ok(!JSON.stringify(app.lines).includes("secret-value"));
});

Deno.test("an oversized body gets 413: JSON under /api, a page elsewhere", async () => {
  const big = "x".repeat(2048);
  const api = await app.request("/api/items", { method: "POST", body: big });
  assert.equal(api.status, 413);
  assert.match((await api.json()).error, /too large \(the limit is 1 KB\)/);

  const form = await app.request("/form", {
    method: "POST",
    body: new URLSearchParams({ name: big }),
  });
  assert.equal(form.status, 413);
  assert.match(await form.text(), /Fixture error 413/);

  // A streamed body without Content-Length is counted as it arrives.
  const stream = new ReadableStream({
    start(c) {
      for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode("y".repeat(512)));
      c.close();
    },
  });
  const chunked = await app.request("/api/items", { method: "POST", body: stream });
  assert.equal(chunked.status, 413);
  await chunked.body?.cancel();

  const small = await app.request("/api/items", { method: "POST", body: "ok" });
  assert.equal(small.status, 201);
  assert.deepEqual(await small.json(), { received: 2 });
});

Deno.test("a cross-origin form post is refused with 403; a same-origin one passes", async () => {
  const body = () => new URLSearchParams({ name: "Amina" });
  const evil = await app.request("/form", {
    method: "POST",
    body: body(),
    headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
  });
  assert.equal(evil.status, 403);
  assert.match(await evil.text(), /Fixture error 403/);

  const evilApi = await app.request("/api/items", {
    method: "POST",
    body: body(),
    headers: { Origin: "https://evil.example" },
  });
  assert.equal(evilApi.status, 403);
  assert.equal(typeof (await evilApi.json()).error, "string");

  const ok = await app.request("/form", { method: "POST", body: body() });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("Location"), "/?name=Amina");
});

Deno.test("pages are compressed for clients that accept gzip", async () => {
  const res = await app.request("/islands", { headers: { "Accept-Encoding": "gzip" } });
  assert.equal(res.headers.get("Content-Encoding"), "gzip");
  const html = await new Response(res.body!.pipeThrough(new DecompressionStream("gzip"))).text();
  assert.ok(html.startsWith("<!DOCTYPE html>"));
});

Deno.test("small answers are not gzipped (gzip would make them larger) but say they vary", async () => {
  const res = await app.request("/api/missing", { headers: { "Accept-Encoding": "gzip" } });
  assert.equal(res.headers.get("Content-Encoding"), null);
  assert.equal(res.headers.get("Vary"), "Accept-Encoding");
  const body = await res.text();
  assert.equal(res.headers.get("Content-Length"), String(new TextEncoder().encode(body).length));
  assert.ok(JSON.parse(body).error);
});

Deno.test("clients that do not accept gzip get the page as it is", async () => {
  const res = await app.request("/islands");
  assert.equal(res.headers.get("Content-Encoding"), null);
  assert.equal(res.headers.get("Vary"), "Accept-Encoding");
  assert.ok((await res.text()).startsWith("<!DOCTYPE html>"));
});

Deno.test("a route's own body limit replaces the app's, streams, and is checked as it arrives", async () => {
  const chunks = (count: number, size: number) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < count; i++) c.enqueue(new Uint8Array(size));
        c.close();
      },
    });
  // 3 KB is over the app's 1 KB but within the route's 4 KB.
  const within = await app.request("/api/upload", { method: "POST", body: new Uint8Array(3000) });
  assert.equal(within.status, 201);
  assert.deepEqual(await within.json(), { bytes: 3000 });
  const streamed = await app.request("/api/upload", { method: "POST", body: chunks(3, 1000) });
  assert.deepEqual([streamed.status, await streamed.json()], [201, { bytes: 3000 }]);

  // A declared length over the limit is refused before the route reads anything.
  const declared = await app.request("/api/upload?max=2000", {
    method: "POST",
    body: new Uint8Array(3000),
  });
  assert.equal(declared.status, 413);
  assert.match((await declared.json()).error, /too large \(the limit is 2 KB\)/);

  // Without a length, the stream fails at the limit while the route reads it: still a 413.
  const counted = await app.request("/api/upload?max=2000", {
    method: "POST",
    body: chunks(3, 1000),
  });
  assert.equal(counted.status, 413);
  assert.match((await counted.json()).error, /the limit is 2 KB/);

  // MB limits read as MB.
  const huge = await app.request("/api/upload?max=1048576", {
    method: "POST",
    headers: { "Content-Length": String(2 * 1024 * 1024) },
    body: chunks(1, 10),
  });
  assert.equal(huge.status, 413);
  assert.match((await huge.json()).error, /the limit is 1 MB/);
});

Deno.test("a body limit that is not a positive whole number stops start-up", () => {
  assert.throws(
    () => routeBodyLimit("routes/x.ts", { bodyLimitBytes: -1 }, 1024),
    /routes\/x\.ts: config\.bodyLimitBytes must be a positive whole number/,
  );
});
