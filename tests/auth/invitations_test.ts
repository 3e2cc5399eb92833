/** AUTH-2 and AUTH-3 for invitees, through the real app: invite, code, verify, sign in. */
import assert from "node:assert/strict";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { call, testApp } from "../support/app.ts";
import { DEMO_PASSWORD } from "../../lib/demo.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";

const ADMIN = "admin1@nairobi.demo.elymica.test";
const json = (body: unknown, token?: string) => ({
  method: "POST",
  headers: {
    "Content-Type": "application/json",
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  },
  body: JSON.stringify(body),
});

async function withAdmin(fn: (app: FreshApp, token: string, t: TestDatabase) => Promise<void>) {
  const t = await openTestDatabase({ seed: true });
  try {
    const app = await testApp(t.db);
    const login = await call(
      app,
      "/api/auth/login",
      json({ email: ADMIN, password: DEMO_PASSWORD }),
    );
    const { accessToken } = await login.json();
    await fn(app, accessToken, t);
  } finally {
    await t.close();
  }
}

/** The code as the invitee received it: the last message to that address. */
async function codeSentTo(t: TestDatabase, recipient: string): Promise<string> {
  const [message] = await t.owner.query<{ body: string }>(
    "select body from private.outbox where recipient = $1 order by id desc limit 1",
    [recipient],
  );
  return /\b(\d{6})\b/.exec(message.body)![1];
}

async function post(app: FreshApp, path: string, body: unknown, token?: string) {
  const response = await call(app, path, json(body, token));
  return { status: response.status, body: await response.json() };
}

Deno.test("invite → code → verify with a new password → sign in", async () => {
  await withAdmin(async (app, token, t) => {
    const email = "amani.otieno@nairobi.demo.elymica.test";
    const invited = await post(app, "/api/auth/register", {
      fullName: "Amani Otieno",
      email,
      role: "student",
    }, token);
    assert.equal(invited.status, 201);
    assert.equal(invited.body.delivery, "email");
    const { personId } = invited.body;
    assert.equal(
      (await post(app, "/api/auth/login", { email, password: "Kenya-2026-x" })).status,
      401,
    );

    const code = await codeSentTo(t, email);
    const [message] = await t.owner.query<{ body: string }>(
      "select body from private.outbox where recipient = $1",
      [email],
    );
    assert.ok(
      message.body.includes(`http://localhost/verify?person=${personId}`),
      "the message links to this site, absolutely",
    );
    const wrong = code === "000000" ? "111111" : "000000";
    const refused = await post(app, "/api/auth/verify-otp", {
      personId,
      code: wrong,
      password: "Kenya-2026-x",
    });
    assert.equal(refused.status, 401);
    const weak = await post(app, "/api/auth/verify-otp", { personId, code, password: "password" });
    assert.equal(weak.status, 422, "a weak password is refused and the code stays usable");
    const verified = await post(app, "/api/auth/verify-otp", {
      personId,
      code,
      password: "Kenya-2026-x",
    });
    assert.deepEqual(verified, { status: 200, body: { ok: true } });
    const reused = await post(app, "/api/auth/verify-otp", {
      personId,
      code,
      password: "Kenya-2026-y",
    });
    assert.equal(reused.status, 401, "a code works once");

    const signedIn = await post(app, "/api/auth/login", { email, password: "Kenya-2026-x" });
    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.body.user.role, "student");
  });
});

Deno.test("another person's code never verifies, and nothing changes", async () => {
  await withAdmin(async (app, token, t) => {
    const a = await post(app, "/api/auth/register", {
      fullName: "Baraka A",
      email: "a@x.test",
      role: "teacher",
    }, token);
    const b = await post(app, "/api/auth/register", {
      fullName: "Baraka B",
      email: "b@x.test",
      role: "teacher",
    }, token);
    const codeOfB = await codeSentTo(t, "b@x.test");
    const attempt = await post(app, "/api/auth/verify-otp", {
      personId: a.body.personId,
      code: codeOfB,
      password: "Strong-Pass-1",
    });
    assert.equal(attempt.status, 401);
    const [status] = await t.owner.query<{ status: string }>(
      "select status::text from public.people where id = $1",
      [a.body.personId],
    );
    assert.equal(status.status, "invited");
    assert.equal(b.status, 201);
  });
});

Deno.test("duplicate email → 409, bad input → 400 with fields, a teacher cannot invite → 403", async () => {
  await withAdmin(async (app, token) => {
    const duplicate = await post(app, "/api/auth/register", {
      fullName: "Copy",
      email: "teacher1@nairobi.demo.elymica.test",
      role: "teacher",
    }, token);
    assert.equal(duplicate.status, 409);
    assert.ok(duplicate.body.fields.email);
    const bad = await post(app, "/api/auth/register", {
      fullName: "",
      email: "nope",
      role: "pilot",
    }, token);
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body.fields).sort(), ["email", "fullName", "role"]);
    const teacher = await post(app, "/api/auth/login", {
      email: "teacher1@nairobi.demo.elymica.test",
      password: DEMO_PASSWORD,
    });
    const asTeacher = await post(app, "/api/auth/register", {
      fullName: "Sneaky",
      email: "sneaky@x.test",
      role: "admin",
    }, teacher.body.accessToken);
    assert.equal(asTeacher.status, 403);
    const anonymous = await post(app, "/api/auth/register", {
      fullName: "X",
      email: "x@x.test",
      role: "student",
    });
    assert.equal(anonymous.status, 401);
  });
});

Deno.test("the school's plan limit is enforced by the database → 403", async () => {
  await withAdmin(async (app, token, t) => {
    await t.owner.query(
      `update public.tenants set user_limit = (select count(*) from public.people p
         where p.tenant_id = tenants.id and p.status <> 'disabled') where slug = 'nairobi'`,
    );
    const over = await post(app, "/api/auth/register", {
      fullName: "One Too Many",
      email: "more@x.test",
      role: "student",
    }, token);
    assert.equal(over.status, 403);
    assert.match(over.body.error, /plan limit/);
  });
});

Deno.test("bulk CSV: a bad row is reported with its row number, the rest created; re-upload adds nobody", async () => {
  await withAdmin(async (app, token, t) => {
    const csv = [
      "full_name,email,phone,role,children",
      "Zawadi Mwangi,zawadi@x.test,,student,",
      "No Role,norole@x.test,,,",
      '"Mwangi, Peter",peter@x.test,+254711000111,parent,zawadi@x.test',
      '"Mwangi, Grace",grace@x.test,,parent,ghost@x.test',
    ].join("\r\n");
    const upload = async () => {
      const response = await call(app, "/api/auth/register/bulk", {
        method: "POST",
        headers: { "Content-Type": "text/csv", Authorization: `Bearer ${token}` },
        body: csv,
      });
      return { status: response.status, body: await response.json() };
    };
    const first = await upload();
    assert.equal(first.status, 200);
    const byRow = Object.fromEntries(
      first.body.rows.map((r: { row: number; status: string }) => [r.row, r.status]),
    );
    assert.equal(byRow[2], "invited");
    assert.equal(byRow[3], "error", "row 3 has no role");
    assert.equal(byRow[5], "error", "row 5 names a child who does not exist");
    assert.deepEqual([first.body.invited, first.body.failed], [2, 2]);
    const [links] = await t.owner.query<{ n: number }>(
      `select count(*)::int as n from public.guardian_links g join public.people s on s.id = g.student_id
        where s.email = 'zawadi@x.test'`,
    );
    assert.equal(byRow[4], "invited", "a parent linked to the student created in row 2");
    assert.equal(links.n, 1);

    const again = await upload();
    assert.equal(again.body.invited, 0, "re-uploading creates nobody");
    assert.equal(again.body.existing, first.body.invited);
    const [count] = await t.owner.query<{ n: number }>(
      "select count(*)::int as n from public.people where email like '%@x.test'",
    );
    assert.equal(count.n, first.body.invited);
  });
});

Deno.test("an oversized CSV gets 413 and creates nobody", async () => {
  await withAdmin(async (app, token, t) => {
    const row = "Someone,someone@x.test,,student,\n";
    const response = await call(app, "/api/auth/register/bulk", {
      method: "POST",
      headers: { "Content-Type": "text/csv", Authorization: `Bearer ${token}` },
      body: "full_name,email,phone,role,children\n" + row.repeat(40_000),
    });
    assert.equal(response.status, 413);
    await response.body?.cancel();
    const [count] = await t.owner.query<{ n: number }>(
      "select count(*)::int as n from public.people where email like '%@x.test'",
    );
    assert.equal(count.n, 0);
  });
});

Deno.test("an expired code is refused; asking again too soon is 429 with Retry-After", async () => {
  await withAdmin(async (app, token, t) => {
    const invited = await post(app, "/api/auth/register", {
      fullName: "Imani Chebet",
      phone: "+254711222333",
      role: "parent",
    }, token);
    assert.equal(invited.body.delivery, "sms");
    const { personId } = invited.body;
    const code = await codeSentTo(t, "+254711222333");
    await t.owner.query(
      "update private.otp_codes set expires_at = now() - interval '1 second' where person_id = $1",
      [personId],
    );
    const late = await post(app, "/api/auth/verify-otp", {
      personId,
      code,
      password: "Strong-Pass-1",
    });
    assert.equal(late.status, 401);
    assert.match(late.body.error, /expired/);
    const resend = await call(app, "/api/auth/resend-otp", json({ personId }));
    assert.equal(resend.status, 429, "the invitation was sent seconds ago");
    assert.ok(Number(resend.headers.get("Retry-After")) > 0);
    await resend.body?.cancel();
  });
});
