/** The real app's pages (routes/, islands/ at the repo root); none of them touches the db. */
import assert from "node:assert/strict";
import { sameSitePath as backTo } from "../../lib/http/redirects.ts";
import { ORIGIN, REPO_ROOT, testApp } from "./helpers.ts";

const app = await testApp(REPO_ROOT, { state: { db: null } });

Deno.test("the landing page says what Elymica is and links to sign-in", async () => {
  const res = await app.request("/");
  const html = await res.text();
  assert.equal(res.status, 200);
  for (
    const text of ["Elymica", "African schools", "M-Pesa", "Paystack", "PesaPal", "Teachers"]
  ) assert.ok(html.includes(text), text);
  assert.match(html, /<html lang="en" data-low-data="off">/);
  assert.match(html, /<meta name="viewport"/);
  assert.match(html, /href="\/signin"/);
  assert.match(html, /<preact-island data-island="LowDataToggle" data-i="0">/);
  assert.match(html, /<form method="post" action="\/preferences\/low-data"/);
  assert.match(html, /<input type="hidden" name="enabled" value="1"\/>/);
  assert.match(html, /aria-pressed="false"/);
  assert.ok(html.length < 12_000, `small for 3G: ${html.length} bytes before gzip`);
});

Deno.test("the low_data cookie reaches the page state and the island", async () => {
  const html = await (await app.request("/", { headers: { Cookie: "a=b; low_data=1" } })).text();
  assert.match(html, /<html lang="en" data-low-data="on">/);
  assert.match(html, /aria-pressed="true"/);
  assert.match(html, /Low-data mode: on/);
  assert.match(html, /name="enabled" value="0"/);
});

Deno.test("the sign-in form and the 404 page are plain pages without scripts", async () => {
  const signin = await app.request("/signin");
  const html = await signin.text();
  assert.equal(signin.status, 200);
  assert.match(html, /<form method="post" action="\/signin"/);
  assert.match(html, /name="next" value="\/portal"/);
  assert.ok(!/<script/i.test(html));

  const missing = await app.request("/timetable/next-week");
  const page = await missing.text();
  assert.equal(missing.status, 404);
  assert.match(page, /We could not find that page/);
  assert.match(page, /href="\/"/);
  assert.ok(!/<script/i.test(page));
});

Deno.test("low-data without JavaScript: POST sets the cookie and redirects back", async () => {
  const res = await app.request("/preferences/low-data", {
    method: "POST",
    body: new URLSearchParams({ enabled: "1" }),
    headers: { Referer: `${ORIGIN}/signin?from=home` },
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("Location"), "/signin?from=home");
  const cookie = res.headers.get("Set-Cookie")!;
  assert.match(cookie, /^low_data=1; /);
  for (const part of ["Path=/", "Max-Age=31536000", "SameSite=Lax"]) {
    assert.ok(cookie.includes(part), part);
  }
  assert.ok(!cookie.includes("HttpOnly") && !cookie.includes("Secure"));

  const foreign = await app.request("/preferences/low-data", {
    method: "POST",
    body: new URLSearchParams({ enabled: "0" }),
    headers: { Referer: "https://elsewhere.example/page" },
  });
  assert.equal(foreign.headers.get("Location"), "/");
  assert.match(foreign.headers.get("Set-Cookie")!, /^low_data=0; /);
});

Deno.test("low-data with JavaScript: Accept JSON gets { lowData } and the cookie", async () => {
  const res = await app.request("/preferences/low-data", {
    method: "POST",
    body: new URLSearchParams({ enabled: "0" }),
    headers: { Accept: "application/json" },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { lowData: false });
  assert.match(res.headers.get("Set-Cookie")!, /^low_data=0; Path=\//);

  const bad = await app.request("/preferences/low-data", {
    method: "POST",
    body: new URLSearchParams({ enabled: "yes" }),
  });
  assert.equal(bad.status, 400);
  await bad.body?.cancel();

  const get = await app.request("/preferences/low-data");
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("Allow"), "POST");
  await get.body?.cancel();
});

Deno.test("the redirect target is never another site", () => {
  const here = new URL(`${ORIGIN}/preferences/low-data`);
  assert.equal(backTo(`${ORIGIN}/courses?x=1`, here), "/courses?x=1");
  assert.equal(backTo(`${ORIGIN}//evil.example/x`, here), "/");
  assert.equal(backTo("https://school.test/", here), "/", "other scheme, other origin");
  assert.equal(backTo("not a url", here), "/");
  assert.equal(backTo(null, here), "/");
  assert.equal(backTo("/portal?tab=2", here), "/portal?tab=2", "a path, as a next= parameter");
  assert.equal(backTo("//evil.example/x", here), "/");
  assert.equal(backTo("/\\evil.example", here), "/", "backslash is a slash to browsers");
  assert.equal(backTo("javascript:alert(1)", here, "/portal"), "/portal");
});
