/**
 * AUTH-1, AUTH-3 and AUTH-4 through the real app and database (embedded, or the server in
 * DATABASE_URL): sign-in, lockout, rotation, reuse detection, sign-out and the tenant context.
 */
import assert from "node:assert/strict";
import { SignJWT, UnsecuredJWT } from "jose";
import { openTestDatabase } from "../support/database.ts";
import { call, quietLog, testApp, testJwtSecret, withSeededApp } from "../support/app.ts";
import { DEMO_PASSWORD } from "../../lib/demo.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";

const ADMIN = "admin1@nairobi.demo.elymica.test";
const TEACHER = "teacher1@lagos.demo.elymica.test";

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});

async function login(app: FreshApp, email: string, password = DEMO_PASSWORD) {
  const response = await call(app, "/api/auth/login", json({ email, password }));
  return { status: response.status, headers: response.headers, body: await response.json() };
}

Deno.test("login returns tokens, the person and the school, and sets httpOnly cookies", async () => {
  await withSeededApp(async (app) => {
    const { status, headers, body } = await login(app, ADMIN);
    assert.equal(status, 200);
    assert.equal(typeof body.accessToken, "string");
    assert.equal(typeof body.refreshToken, "string");
    assert.equal(body.user.email, ADMIN);
    assert.equal(body.user.role, "admin");
    assert.equal(body.tenant.slug, "nairobi");
    assert.equal(body.tenant.currency, "KES");
    const cookies = headers.getSetCookie();
    assert.equal(cookies.length, 2);
    for (const cookie of cookies) {
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.doesNotMatch(cookie, /Secure/, "plain HTTP on localhost");
    }
    assert.equal(headers.get("Cache-Control"), "no-store");
    const me = await call(app, "/api/auth/me", {
      headers: { Authorization: `Bearer ${body.accessToken}` },
    });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).user.email, ADMIN);
  });
});

Deno.test("unknown email and wrong password get the same 401", async () => {
  await withSeededApp(async (app) => {
    const unknown = await login(app, "nobody@nairobi.demo.elymica.test");
    const wrong = await login(app, ADMIN, "Wrong-Password-1");
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal(wrong.status, 401);
    for (
      const hostile of ["' or 1=1 --", "admin1@nairobi.demo.elymica.test'; drop table people;--"]
    ) {
      assert.equal((await login(app, hostile, hostile)).status, 401);
    }
  });
});

Deno.test("bad input: malformed JSON and missing fields are 400 with field errors", async () => {
  await withSeededApp(async (app) => {
    const broken = await call(app, "/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    assert.equal(broken.status, 400);
    assert.match((await broken.json()).error, /JSON/);
    const missing = await call(app, "/api/auth/login", json({ email: "" }));
    assert.equal(missing.status, 400);
    const body = await missing.json();
    assert.ok(body.fields.email);
    assert.ok(body.fields.password);
  });
});

Deno.test("after 5 failures the account is locked: 429 with Retry-After even with the right password", async () => {
  await withSeededApp(async (app) => {
    for (let i = 0; i < 5; i++) assert.equal((await login(app, TEACHER, "Nope-12345")).status, 401);
    const locked = await login(app, TEACHER);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("Retry-After")) > 0);
    assert.match(locked.body.error, /Try again/);
    assert.equal(
      (await login(app, "teacher2@lagos.demo.elymica.test")).status,
      200,
      "others unaffected",
    );
  });
});

Deno.test("50 concurrent wrong passwords lock the account after exactly 5 checks", async () => {
  await withSeededApp(async (app, t) => {
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () => login(app, TEACHER, "Wrong-9999").then((r) => r.status)),
    );
    assert.equal(statuses.filter((s) => s === 401).length, 5);
    assert.equal(statuses.filter((s) => s === 429).length, 45);
    const [state] = await t.owner.query<{ failed_attempts: number }>(
      `select s.failed_attempts from private.sign_in_state s
         join public.people p on p.id = s.person_id where p.email = $1`,
      [TEACHER],
    );
    assert.equal(state.failed_attempts, 5);
  });
});

Deno.test("a disabled account gets 403", async () => {
  await withSeededApp(async (app, t) => {
    await t.owner.query("update public.people set status = 'disabled' where email = $1", [TEACHER]);
    const { status, body } = await login(app, TEACHER);
    assert.equal(status, 403);
    assert.match(body.error, /disabled/);
  });
});

Deno.test("refresh rotates; presenting the old token again revokes the whole family", async () => {
  await withSeededApp(async (app, t) => {
    const first = (await login(app, ADMIN)).body;
    const rotated = await call(
      app,
      "/api/auth/refresh",
      json({ refreshToken: first.refreshToken }),
    );
    assert.equal(rotated.status, 200);
    const second = await rotated.json();
    assert.notEqual(second.refreshToken, first.refreshToken);
    const replay = await call(app, "/api/auth/refresh", json({ refreshToken: first.refreshToken }));
    assert.equal(replay.status, 401);
    await replay.body?.cancel();
    const afterTheft = await call(
      app,
      "/api/auth/refresh",
      json({ refreshToken: second.refreshToken }),
    );
    assert.equal(afterTheft.status, 401, "the thief's rotation also killed the legitimate token");
    await afterTheft.body?.cancel();
    const [audit] = await t.owner.query<{ n: number }>(
      "select count(*)::int as n from audit.log where action = 'auth.refresh_reuse'",
    );
    // Both presentations of a revoked token are audited: the replay and the one after it.
    assert.equal(audit.n, 2);
  });
});

Deno.test("logout revokes the session", async () => {
  await withSeededApp(async (app) => {
    const session = (await login(app, ADMIN)).body;
    const out = await call(app, "/api/auth/logout", json({ refreshToken: session.refreshToken }));
    assert.equal(out.status, 200);
    assert.ok(out.headers.getSetCookie().every((c) => /Max-Age=0/.test(c)));
    const refresh = await call(
      app,
      "/api/auth/refresh",
      json({ refreshToken: session.refreshToken }),
    );
    assert.equal(refresh.status, 401);
    await refresh.body?.cancel();
  });
});

Deno.test("tokens: alg none, a wrong key, a wrong audience or an expired one are 401", async () => {
  await withSeededApp(async (app) => {
    const { body } = await login(app, ADMIN);
    const claims = JSON.parse(
      atob(body.accessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")),
    );
    const key = (s: string) => new TextEncoder().encode(s);
    const forged = (secret: string, audience: string, expiresAt: number) =>
      new SignJWT({ role: "authenticated", app_metadata: claims.app_metadata })
        .setProtectedHeader({ alg: "HS256" }).setSubject(claims.sub).setAudience(audience)
        .setIssuedAt(expiresAt - 900).setExpirationTime(expiresAt).sign(key(secret));
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      new UnsecuredJWT({ role: "authenticated", app_metadata: claims.app_metadata })
        .setSubject(claims.sub).setAudience("authenticated").setExpirationTime("5m").encode(),
      await forged("someone-elses-secret-0123456789-abcdefgh", "authenticated", now + 600),
      await forged(testJwtSecret, "not-us", now + 600),
      await forged(testJwtSecret, "authenticated", now - 1),
    ];
    for (const token of tokens) {
      const response = await call(app, "/api/auth/me", {
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, 401, token.slice(0, 20));
      assert.match(response.headers.get("WWW-Authenticate") ?? "", /Bearer/);
      await response.body?.cancel();
    }
    const none = await call(app, "/api/auth/me");
    assert.equal(none.status, 401);
    await none.body?.cancel();
  });
});

Deno.test("x-tenant-id of another school is refused with 403", async () => {
  await withSeededApp(async (app, t) => {
    const { body } = await login(app, ADMIN);
    const [lagos] = await t.owner.query<{ id: string }>(
      "select id from public.tenants where slug = 'lagos'",
    );
    const auth = { Authorization: `Bearer ${body.accessToken}` };
    const other = await call(app, "/api/auth/me", {
      headers: { ...auth, "x-tenant-id": lagos.id },
    });
    assert.equal(other.status, 403);
    await other.body?.cancel();
    const own = await call(app, "/api/auth/me", {
      headers: { ...auth, "x-tenant-id": body.tenant.id },
    });
    assert.equal(own.status, 200);
    await own.body?.cancel();
  });
});

Deno.test("logins are audited, success and failure, with the request id", async () => {
  await withSeededApp(async (app, t) => {
    await call(
      app,
      "/api/auth/login",
      json({ email: ADMIN, password: DEMO_PASSWORD }, {
        "X-Request-Id": "req-login-ok",
      }),
    ).then((r) => r.body?.cancel());
    await call(
      app,
      "/api/auth/login",
      json({ email: ADMIN, password: "bad-Password-1" }, {
        "X-Request-Id": "req-login-bad",
      }),
    ).then((r) => r.body?.cancel());
    const rows = await t.owner.query<{ action: string; request_id: string }>(
      `select action, request_id from audit.log
        where request_id in ('req-login-ok', 'req-login-bad') order by id`,
    );
    assert.deepEqual(rows.map((r) => r.request_id), ["req-login-ok", "req-login-bad"]);
    assert.match(rows[0].action, /sign_in/);
    assert.match(rows[1].action, /fail/);
  });
});

Deno.test("a password change ends every session; the new password signs in", async () => {
  await withSeededApp(async (app) => {
    const first = (await login(app, TEACHER)).body;
    const second = (await login(app, TEACHER)).body;
    const weak = await call(app, "/api/auth/change-password", {
      ...json({ currentPassword: DEMO_PASSWORD, newPassword: "password1" }),
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${first.accessToken}` },
    });
    assert.equal(weak.status, 422);
    await weak.body?.cancel();
    const changed = await call(app, "/api/auth/change-password", {
      ...json({ currentPassword: DEMO_PASSWORD, newPassword: "Lagos-Lagoon-2027" }),
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${first.accessToken}` },
    });
    assert.equal(changed.status, 200);
    await changed.body?.cancel();
    for (const session of [first, second]) {
      const refresh = await call(
        app,
        "/api/auth/refresh",
        json({ refreshToken: session.refreshToken }),
      );
      assert.equal(refresh.status, 401, "every session ended");
      await refresh.body?.cancel();
    }
    assert.equal((await login(app, TEACHER)).status, 401);
    assert.equal((await login(app, TEACHER, "Lagos-Lagoon-2027")).status, 200);
  });
});

Deno.test("cookies are Secure everywhere but localhost", async () => {
  await withSeededApp(async (app) => {
    const response = await app.fetch(
      new Request(
        "https://school.example/api/auth/login",
        json({ email: ADMIN, password: DEMO_PASSWORD }),
      ),
    );
    assert.equal(response.status, 200);
    await response.body?.cancel();
    const cookies = response.headers.getSetCookie();
    assert.equal(cookies.length, 2);
    assert.ok(cookies.every((c) => /; Secure/.test(c)));
  });
});

Deno.test("no password, token or code ever reaches a log line", async () => {
  const t = await openTestDatabase({ seed: true });
  const lines: string[] = [];
  try {
    const app = await testApp(t.db, { log: quietLog(lines) });
    const signedIn = await call(
      app,
      "/api/auth/login",
      json({ email: ADMIN, password: DEMO_PASSWORD }),
    );
    const { accessToken, refreshToken } = await signedIn.json();
    await (await call(app, "/api/auth/login", json({ email: ADMIN, password: "Guess-Me-123" })))
      .body
      ?.cancel();
    await (await call(app, "/api/auth/refresh", json({ refreshToken }))).body?.cancel();
    await (await call(app, "/api/auth/me", { headers: { Authorization: `Bearer ${accessToken}` } }))
      .body?.cancel();
    const logged = lines.join("\n");
    assert.ok(lines.length >= 4, "each request logged a line");
    for (const secret of [DEMO_PASSWORD, "Guess-Me-123", accessToken, refreshToken]) {
      assert.ok(!logged.includes(secret), "a secret reached the log");
    }
  } finally {
    await t.close();
  }
});
