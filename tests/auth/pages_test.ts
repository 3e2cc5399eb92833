/** The sign-in journey without JavaScript: forms, cookies, redirects, silent refresh. */
import assert from "node:assert/strict";
import { call, testJwtSecret, withSeededApp } from "../support/app.ts";
import { DEMO_PASSWORD } from "../../lib/demo.ts";
import { signAccessToken } from "../../lib/auth/tokens.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";

const ORIGIN = "http://localhost";
const ADMIN = "admin1@nairobi.demo.elymica.test";

const form = (fields: Record<string, string>, cookie = "") => ({
  method: "POST",
  headers: {
    "Content-Type": "application/x-www-form-urlencoded",
    Origin: ORIGIN,
    ...(cookie ? { Cookie: cookie } : {}),
  },
  body: new URLSearchParams(fields),
  redirect: "manual" as const,
});

/** The Cookie header a browser would send back after these Set-Cookie headers. */
const cookieHeader = (response: Response) =>
  response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

async function signIn(app: FreshApp, email = ADMIN, password = DEMO_PASSWORD) {
  return await call(app, "/signin", form({ email, password, next: "/portal" }));
}

Deno.test("the sign-in form sets the session cookies and goes to the portal", async () => {
  await withSeededApp(async (app) => {
    const response = await signIn(app);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("Location"), "/portal");
    const portal = await call(app, "/portal", { headers: { Cookie: cookieHeader(response) } });
    assert.equal(portal.status, 200);
    const html = await portal.text();
    assert.match(html, /Welcome, /);
    assert.match(html, /Nairobi/);
    assert.ok(!/<script/i.test(html), "the portal shell ships no script");
    assert.match(html, /<a href="\/portal"[^>]*>My portal<\/a>/, "the header knows who is in");
    assert.doesNotMatch(html, />Sign in<\/a>/);
    for (const link of ["/portal/admin/people", "/portal/courses", "/portal/password"]) {
      assert.ok(html.includes(`href="${link}"`), `the admin portal links to ${link}`);
    }
  });
});

Deno.test("a refused sign-in shows the reason, keeps the email, escapes it", async () => {
  await withSeededApp(async (app) => {
    const hostile = `"><script>alert(1)</script>@x.test`;
    const response = await signIn(app, hostile, "wrong");
    assert.equal(response.status, 401);
    const html = await response.text();
    assert.match(html, /Email or password is incorrect/);
    assert.ok(!html.includes("<script>alert(1)"));
    assert.match(html, /value="&quot;>&lt;script>alert\(1\)&lt;\/script>@x\.test"/);
  });
});

Deno.test("portal pages send a signed-out visitor to sign in, and back afterwards", async () => {
  await withSeededApp(async (app) => {
    const response = await call(app, "/portal/admin/people?x=1", { redirect: "manual" });
    assert.equal(response.status, 303);
    assert.equal(
      response.headers.get("Location"),
      "/signin?next=%2Fportal%2Fadmin%2Fpeople%3Fx%3D1",
    );
  });
});

Deno.test("an expired access cookie is refreshed silently; the old refresh cookie is then spent", async () => {
  await withSeededApp(async (app, t) => {
    const signedIn = await signIn(app);
    const refresh = /elymica_refresh=([^;]+)/.exec(cookieHeader(signedIn))![1];
    const [admin] = await t.owner.query<{ id: string; tenant_id: string }>(
      "select id, tenant_id from public.people where email = $1",
      [ADMIN],
    );
    const longAgo = Math.floor(Date.now() / 1000) - 3600;
    const expired = await signAccessToken(testJwtSecret, {
      personId: admin.id,
      tenantId: admin.tenant_id,
      role: "admin",
      sessionId: crypto.randomUUID(),
    }, longAgo);
    const cookie = `elymica_access=${expired}; elymica_refresh=${refresh}`;
    const portal = await call(app, "/portal", { headers: { Cookie: cookie } });
    assert.equal(portal.status, 200, "still signed in");
    const renewed = portal.headers.getSetCookie();
    assert.equal(renewed.length, 2, "new access and refresh cookies");
    assert.ok(!renewed.some((c) => c.includes(refresh)), "the refresh token was rotated");
    await portal.body?.cancel();
  });
});

Deno.test("sign-out revokes the session: the old cookies no longer open the portal", async () => {
  await withSeededApp(async (app) => {
    const cookies = cookieHeader(await signIn(app));
    const out = await call(app, "/signout", form({}, cookies));
    assert.equal(out.status, 303);
    assert.equal(out.headers.get("Location"), "/signin");
    const refreshOnly = cookies.split("; ").filter((c) => c.startsWith("elymica_refresh")).join("");
    const after = await call(app, "/portal", {
      headers: { Cookie: refreshOnly },
      redirect: "manual",
    });
    assert.equal(after.status, 303, "the revoked refresh token signs nobody in");
  });
});

Deno.test("a form posted from another site is refused", async () => {
  await withSeededApp(async (app) => {
    const response = await call(app, "/signin", {
      ...form({ email: ADMIN, password: DEMO_PASSWORD }),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://evil.example",
      },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.getSetCookie().length, 0);
    await response.body?.cancel();
  });
});

Deno.test("a name with <script> is shown escaped on the People page", async () => {
  await withSeededApp(async (app, t) => {
    await t.owner.query(
      "update public.people set full_name = $1 where email = 'student1@nairobi.demo.elymica.test'",
      ['<script>alert("pwned")</script>'],
    );
    const cookies = cookieHeader(await signIn(app));
    const page = await call(app, "/portal/admin/people", { headers: { Cookie: cookies } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(!html.includes("<script>alert("));
    assert.match(html, /&lt;script>alert\(("|&quot;)pwned("|&quot;)\)&lt;\/script>/);
  });
});

Deno.test("only admins open the People page", async () => {
  await withSeededApp(async (app) => {
    const cookies = cookieHeader(await signIn(app, "teacher1@nairobi.demo.elymica.test"));
    const page = await call(app, "/portal/admin/people", { headers: { Cookie: cookies } });
    assert.equal(page.status, 403);
    await page.body?.cancel();
  });
});
