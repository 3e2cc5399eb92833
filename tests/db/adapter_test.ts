/**
 * The adapter gives app code one call and one set of types in both modes; these run against
 * whichever database the suite targets (embedded, or the server in `DATABASE_URL` under CI).
 */
import assert from "node:assert/strict";
import { openTestDatabase, type TestDatabase, testKind } from "../support/database.ts";
import { openServer } from "../../lib/db/server.ts";
import { withLogin } from "../../lib/config.ts";
import { DbError, httpFailureFor } from "../../lib/db/errors.ts";
import type { Claims } from "../../lib/db/types.ts";

const claims = (sub: string): Claims => ({
  sub,
  role: "authenticated",
  app_metadata: { tenant_id: "00000000-0000-4000-8000-000000000001", user_role: "student" },
});

async function withDatabase(fn: (t: TestDatabase) => Promise<void>) {
  const t = await openTestDatabase();
  try {
    await t.owner.exec(`
      create table public.adapter_probe (id int primary key, note text not null);
      alter table public.adapter_probe enable row level security;
      grant select, insert on public.adapter_probe to service_role;
    `);
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("values come back with the same JavaScript types in both modes", async () => {
  await withDatabase(async ({ db }) => {
    const [row] = await db.asService((q) =>
      q(`select 1::int4 as int4, 9007199254740993::int8 as int8, 1.50::numeric as amount,
                true as flag, 'text'::text as text, now() as at, '{"a":[1]}'::jsonb as doc,
                array[1, 2]::int[] as list, gen_random_uuid() as id, null::text as nothing`)
    );
    assert.equal(row.int4, 1);
    assert.equal(row.int8, "9007199254740993", "int8 as a string, never a rounded number");
    assert.equal(row.amount, "1.50", "numeric as a string");
    assert.equal(row.flag, true);
    assert.equal(row.text, "text");
    assert.ok(row.at instanceof Date);
    assert.deepEqual(row.doc, { a: [1] });
    assert.deepEqual(row.list, [1, 2]);
    assert.match(row.id as string, /^[0-9a-f-]{36}$/);
    assert.equal(row.nothing, null);
  });
});

Deno.test("a jsonb parameter passed as an object is stored as an object", async () => {
  await withDatabase(async ({ db }) => {
    const [row] = await db.asService((q) =>
      q("select jsonb_typeof($1::jsonb) as kind, $1::jsonb ->> 'name' as name", [{ name: "Amina" }])
    );
    assert.deepEqual(row, { kind: "object", name: "Amina" });
  });
});

Deno.test("each entry point runs as its role with its claims", async () => {
  await withDatabase(async ({ db }) => {
    const sub = crypto.randomUUID();
    const who = "select current_user as role, auth.uid() as uid, auth.role() as claim_role, " +
      "auth.jwt() -> 'app_metadata' ->> 'user_role' as user_role";
    const [user] = await db.asUser(claims(sub), (q) => q(who));
    assert.deepEqual(user, {
      role: "authenticated",
      uid: sub,
      claim_role: "authenticated",
      user_role: "student",
    });
    const [anon] = await db.asAnon((q) => q(who));
    assert.deepEqual(anon, { role: "anon", uid: null, claim_role: "anon", user_role: null });
    const [service] = await db.asService((q) => q(who));
    assert.deepEqual(service, {
      role: "service_role",
      uid: null,
      claim_role: "service_role",
      user_role: null,
    });
  });
});

Deno.test("50 concurrent requests each see only their own claims", async () => {
  await withDatabase(async ({ db }) => {
    const subs = Array.from({ length: 50 }, () => crypto.randomUUID());
    const seen = await Promise.all(
      subs.map((sub, i) =>
        i % 5 === 0
          ? db.asAnon((q) => q<{ uid: string | null }>("select auth.uid() as uid")).then(([r]) =>
            r.uid
          )
          : db.asUser(claims(sub), (q) => q<{ uid: string }>("select auth.uid() as uid")).then((
            [r],
          ) => r.uid)
      ),
    );
    seen.forEach((uid, i) => assert.equal(uid, i % 5 === 0 ? null : subs[i]));
  });
});

Deno.test("claims set without is_local do not outlive the request that set them", async () => {
  await withDatabase(async ({ db }) => {
    await db.asUser(
      claims(crypto.randomUUID()),
      (q) =>
        q(`select set_config('request.jwt.claims', '{"sub":"${crypto.randomUUID()}"}', false)`),
    );
    const [next] = await db.asAnon((q) => q("select auth.uid() as uid"));
    assert.equal(next.uid, null);
  });
});

Deno.test("a failing statement rolls the whole transaction back and keeps its SQLSTATE", async () => {
  await withDatabase(async ({ db }) => {
    await assert.rejects(
      db.asService(async (q) => {
        await q("insert into public.adapter_probe (id, note) values (1, 'kept?')");
        await q("insert into public.adapter_probe (id, note) values (1, 'duplicate')");
      }),
      (error: { code: string }) => error.code === "23505",
    );
    const rows = await db.asService((q) => q("select * from public.adapter_probe"));
    assert.deepEqual(rows, []);
    // The connection (or PGlite session) is clean for the next request.
    const [again] = await db.asService((q) => q("select current_user as role"));
    assert.equal(again.role, "service_role");
  });
});

Deno.test("one statement as the user: its own transaction, its claims, all or nothing", async () => {
  await withDatabase(async ({ db, owner }) => {
    await owner.exec(`
      grant select, insert on public.adapter_probe to authenticated;
      create policy adapter_probe_user on public.adapter_probe to authenticated
        using (true) with check (note = auth.uid()::text);
    `);
    const sub = crypto.randomUUID();
    const inserted = await db.userStatement<{ id: number; role: string }>(
      claims(sub),
      "insert into public.adapter_probe (id, note) values ($1, auth.uid()::text) " +
        "returning id, current_user as role",
      [1],
    );
    assert.deepEqual(inserted, [{ id: 1, role: "authenticated" }]);

    // Rows 10–12 are written before the duplicate 1 fails the statement: none of them stays.
    await assert.rejects(
      db.userStatement(
        claims(sub),
        "insert into public.adapter_probe (id, note) " +
          "select g, auth.uid()::text from generate_series(10, 12) g " +
          "union all select $1, auth.uid()::text",
        [1],
      ),
      (error: { code: string }) => error.code === "23505",
    );
    // A policy refusal is the database's too, and the connection is clean afterwards.
    await assert.rejects(
      db.userStatement(claims(sub), "insert into public.adapter_probe values (2, 'not me')"),
      (error: { code: string }) => error.code === "42501",
    );
    const other = crypto.randomUUID();
    const after = await db.userStatement<{ ids: number[]; uid: string }>(
      claims(other),
      "select array_agg(id order by id) as ids, auth.uid() as uid from public.adapter_probe",
    );
    assert.deepEqual(after, [{ ids: [1], uid: other }]);
  });
});

Deno.test({
  name: "without prepared statements (behind a transaction-mode pooler) the same calls work",
  ignore: testKind !== "postgres",
  fn: () =>
    withDatabase(async ({ url }) => {
      const db = openServer({
        webUrl: withLogin(url!, "elymica_web"),
        jobsUrl: withLogin(url!, "elymica_jobs"),
        poolSize: 2,
        preparedStatements: false,
      });
      try {
        const sub = crypto.randomUUID();
        for (let i = 0; i < 3; i++) {
          const [one] = await db.userStatement<{ uid: string }>(
            claims(sub),
            "select auth.uid() as uid where $1::int = $1::int",
            [i],
          );
          assert.equal(one.uid, sub);
          const [two] = await db.asUser(
            claims(sub),
            (q) => q<{ n: number }>("select $1::int + 1 as n", [i]),
          );
          assert.equal(two.n, i + 1);
        }
      } finally {
        await db.close();
      }
    }),
});

Deno.test("a thrown JavaScript error rolls back too", async () => {
  await withDatabase(async ({ db }) => {
    await assert.rejects(
      db.asService(async (q) => {
        await q("insert into public.adapter_probe (id, note) values (2, 'half')");
        throw new Error("validation failed after the insert");
      }),
      (error) => {
        assert.ok(!(error instanceof DbError), "the caller's own error comes out as itself");
        assert.match((error as Error).message, /validation failed/);
        return true;
      },
    );
    assert.deepEqual(await db.asService((q) => q("select * from public.adapter_probe")), []);
  });
});

Deno.test("our own EL codes map to their HTTP status with the database's message", async () => {
  await withDatabase(async ({ db }) => {
    const error = await db.asService((q) =>
      q("do $$ begin raise exception 'This course is full' using errcode = 'EL409'; end $$")
    ).then(() => null, (e) => e);
    assert.equal(error.code, "EL409");
    assert.deepEqual(httpFailureFor(error), { status: 409, message: "This course is full" });
    const denied = await db.asAnon((q) => q("select * from public.adapter_probe")).then(
      () => null,
      (e) => e,
    );
    assert.equal(denied.code, "42501");
    assert.equal(httpFailureFor(denied).status, 403);
  });
});

Deno.test("LISTEN hears a NOTIFY from a committed transaction and not from a rolled-back one", async () => {
  await withDatabase(async ({ db }) => {
    const heard: string[] = [];
    let wake = () => {};
    const unlisten = await db.listen("adapter_probe", (payload) => {
      heard.push(payload);
      wake();
    });
    try {
      await assert.rejects(db.asService(async (q) => {
        await q("select pg_notify('adapter_probe', 'rolled back')");
        throw new Error("abort");
      }));
      const arrived = new Promise<void>((resolve) => wake = resolve);
      await db.asService((q) => q("select pg_notify('adapter_probe', 'committed')"));
      await arrived;
      // Notifications arrive in commit order: a delivered "rolled back" would come first.
      assert.deepEqual(heard, ["committed"]);
    } finally {
      await unlisten();
    }
  });
});
