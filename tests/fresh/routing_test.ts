import assert from "node:assert/strict";
import { createApp } from "../../lib/fresh/mod.ts";
import { compareRoutes, type ScannedRoute, toPattern } from "../../lib/fresh/route_scan.ts";
import { BASIC, testApp } from "./helpers.ts";

const app = await testApp(BASIC);

Deno.test("file names map to Hono patterns", () => {
  assert.equal(toPattern("index").pattern, "/");
  assert.equal(toPattern("courses/index").pattern, "/courses");
  assert.equal(toPattern("courses/[courseId]").pattern, "/courses/:courseId");
  assert.equal(toPattern("docs/[...rest]").pattern, "/docs/:rest{.+}");
  assert.equal(toPattern("(marketing)/about").pattern, "/about");
  assert.throws(() => toPattern("files/report-[id]"), /unsupported segment/);
});

Deno.test("static segments sort before dynamic ones, dynamic before catch-all", () => {
  const route = (rel: string): ScannedRoute => ({ file: rel, middlewares: [], ...toPattern(rel) });
  const sorted = ["[...all]", "docs/[slug]", "[section]/intro", "docs/intro", "docs/[...rest]"]
    .map(route).sort(compareRoutes).map((r) => r.pattern);
  assert.deepEqual(sorted, [
    "/docs/intro",
    "/docs/:slug",
    "/docs/:rest{.+}",
    "/:section/intro",
    "/:all{.+}",
  ]);
  assert.ok(app.routes.indexOf("/courses/new") < app.routes.indexOf("/courses/:courseId"));
});

Deno.test("requests reach the most specific route", async () => {
  const cases: [string, string][] = [
    ["/courses/new", "static: new course form"],
    ["/courses/42", "dynamic: course 42"],
    ["/docs/intro", "docs: static intro"],
    ["/docs/other", "docs: dynamic other"],
    ["/docs/a/b/c", "catch-all: a/b/c"],
    ["/about", "about, from a route group"],
  ];
  for (const [path, expected] of cases) {
    const res = await app.request(path);
    assert.equal(res.status, 200, path);
    assert.match(await res.text(), new RegExp(expected), path);
  }
  // (_components) folders and _-files are not routes.
  assert.equal((await app.request("/Card")).status, 404);
  assert.equal((await app.request("/_app")).status, 404);
});

Deno.test("unknown page → the _404 page; unknown /api path → JSON error", async () => {
  const page = await app.request("/no/such/page");
  assert.equal(page.status, 404);
  assert.match(page.headers.get("Content-Type")!, /^text\/html/);
  assert.match(await page.text(), /<h1>Fixture not found \(404\)<\/h1>/);

  const api = await app.request("/api/nothing-here");
  assert.equal(api.status, 404);
  assert.match(api.headers.get("Content-Type")!, /^application\/json/);
  const body = await api.json();
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.equal(typeof body.error, "string");
  assert.ok(body.error.length > 5);
});

Deno.test("a method the route does not handle → 405 with Allow", async () => {
  const page = await app.request("/courses/new", { method: "DELETE" });
  assert.equal(page.status, 405);
  assert.equal(page.headers.get("Allow"), "GET, HEAD");
  assert.match(await page.text(), /Fixture error 405/);

  const both = await app.request("/courses/7", { method: "PUT" });
  assert.equal(both.status, 405);
  assert.equal(both.headers.get("Allow"), "GET, DELETE, HEAD");
  await both.body?.cancel();
  const del = await app.request("/courses/7", { method: "DELETE" });
  assert.equal(await del.text(), "deleted 7");

  const api = await app.request("/api/items", { method: "PATCH" });
  assert.equal(api.status, 405);
  assert.equal(api.headers.get("Allow"), "GET, POST, HEAD");
  assert.match((await api.json()).error, /PATCH is not allowed/);
});

Deno.test("HEAD is answered by GET without a body", async () => {
  const res = await app.request("/courses/new", { method: "HEAD" });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "");
});

Deno.test("middleware runs root first, then nested, and sees the response after next()", async () => {
  const nested = await app.request("/courses/42");
  assert.match(await nested.text(), /via root>courses>courses2</);
  assert.equal(nested.headers.get("X-Trail"), "root>courses>courses2>root-after");
  assert.equal(nested.headers.get("X-Courses-Saw"), "200");
  assert.equal(nested.headers.get("X-Course"), "42"); // page(data, { headers }) kept

  const top = await app.request("/about");
  assert.equal(top.headers.get("X-Trail"), "root>root-after");
  assert.equal(top.headers.get("X-Courses-Saw"), null);
  await top.body?.cancel();

  // An unmatched URL still passes the root middleware (its state reaches the 404 page); the
  // 404 is thrown through next(), so code after next() does not run, as in Fresh and Hono.
  const missing = await app.request("/missing");
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /<main data-trail="root">/);
});

Deno.test("HttpError keeps its status and message; other errors become a generic 500", async () => {
  const forbidden = await app.request("/teachers-only");
  assert.equal(forbidden.status, 403);
  assert.match(await forbidden.text(), /Only teachers can open the gradebook\./);

  const invalid = await app.request("/api/items", {
    method: "POST",
    body: "",
    headers: { "Content-Type": "application/json" },
  });
  assert.equal(invalid.status, 422);
  assert.deepEqual(await invalid.json(), { error: "Send at least one item." });

  const before = app.lines.length;
  const boom = await app.request("/boom");
  const html = await boom.text();
  assert.equal(boom.status, 500);
  assert.match(html, /Fixture error 500/);
  for (const leak of ["kaboom", "boom.tsx", "    at ", "Error:"]) {
    assert.ok(!html.includes(leak), `500 page leaks ${JSON.stringify(leak)}`);
  }
  const logged = app.lines.slice(before).find((l) => l.level === "error");
  assert.ok(logged, "the unexpected error is logged");
  assert.equal(logged.requestId, boom.headers.get("X-Request-Id"));
  assert.match(JSON.stringify(logged.error), /kaboom/);

  const api = await app.request("/api/boom");
  const text = await api.text();
  assert.equal(api.status, 500);
  assert.deepEqual(JSON.parse(text), {
    error: "Something went wrong on our side. Please try again in a moment.",
  });
  assert.ok(!text.includes("hunter2") && !text.includes("at "));

  const busy = await app.request("/api/busy");
  assert.equal(busy.status, 503);
  assert.deepEqual(await busy.json(), {
    error: "The service is busy or under maintenance. Please try again in a moment.",
  });
  assert.match(JSON.stringify(app.lines.at(-2)), /connection pool exhausted/, "logged");
});

Deno.test("a route exporting an unknown method name fails at start-up", async () => {
  const broken = new URL("../fixtures/broken", import.meta.url).pathname;
  await assert.rejects(createApp({ rootDir: broken }), /handler\.Get is not one of GET/);
});

Deno.test("an app without _app/_404/_500 still gets a document and plain error text", async () => {
  const bare = await testApp(new URL("../fixtures/bare", import.meta.url).pathname);
  const res = await bare.request("/");
  const html = await res.text();
  assert.match(html, /^<!DOCTYPE html><html><head><meta charset="utf-8"><style nonce="[^"]+">/);
  assert.match(html, /\.font-bold\{font-weight:700\}/);
  assert.match(html, /<body><p class="font-bold">bare page<\/p><\/body><\/html>$/);
  const missing = await bare.request("/nope");
  assert.equal(missing.status, 404);
  assert.equal(await missing.text(), "We could not find that page.");
  assert.deepEqual(bare.lines.filter((l) => l.level === "error"), [], "a 404 is not an error");
});
