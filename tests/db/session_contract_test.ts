/**
 * ARCHITECTURE §3 on a real server: the people's login can become nothing but `anon` and
 * `authenticated`, so SQL smuggled into a person's transaction cannot escape RLS. PGlite always
 * runs as its superuser, so this contract exists only on a server (see docs/decisions.md);
 * CI runs the suite with DATABASE_URL set, where these tests run.
 */
import assert from "node:assert/strict";
import { openTestDatabase, testKind } from "../support/database.ts";
import type { Claims } from "../../lib/db/types.ts";

const onServer = testKind === "postgres";
if (!onServer) {
  console.warn("session contract tests need a server: they run when DATABASE_URL is set (CI)");
}

const person: Claims = {
  sub: crypto.randomUUID(),
  role: "authenticated",
  app_metadata: { tenant_id: crypto.randomUUID(), user_role: "admin" },
};

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  return await promise.then(() => null, (error) => error.code);
}

Deno.test({
  name: "inside a person's transaction `reset role` lands on a login that reads nothing",
  ignore: !onServer,
  async fn() {
    const t = await openTestDatabase();
    try {
      await t.owner.exec(`
        create table public.contract_probe (id int primary key);
        alter table public.contract_probe enable row level security;
        create policy "Everyone signed in can read probes" on public.contract_probe
          for select to authenticated using (true);
        grant select on public.contract_probe to authenticated, service_role;
        insert into public.contract_probe values (1);
      `);
      const allowed = await t.db.asUser(person, (q) => q("select id from public.contract_probe"));
      assert.deepEqual(allowed, [{ id: 1 }]);
      const afterReset = await codeOf(t.db.asUser(person, async (q) => {
        await q("reset role");
        const [who] = await q<{ user: string }>("select current_user as user");
        assert.equal(who.user, "elymica_web");
        return await q("select id from public.contract_probe");
      }));
      assert.equal(afterReset, "42501");
      const authSchema = await codeOf(t.db.asUser(person, async (q) => {
        await q("reset role");
        return await q("select auth.uid()");
      }));
      assert.equal(authSchema, "42501");
    } finally {
      await t.close();
    }
  },
});

Deno.test({
  name: "the people's login cannot become service_role or the owner",
  ignore: !onServer,
  async fn() {
    const t = await openTestDatabase();
    try {
      for (const statement of ["set role service_role", "set local role service_role"]) {
        const code = await codeOf(t.db.asUser(person, (q) => q(statement)));
        assert.equal(code, "42501", statement);
      }
      const viaSetConfig = await codeOf(
        t.db.asAnon((q) => q("select set_config('role', 'service_role', true)")),
      );
      assert.equal(viaSetConfig, "42501");
      assert.equal(await codeOf(t.db.asUser(person, (q) => q("set role postgres"))), "42501");
      const [login] = await t.owner.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
        "select rolsuper, rolbypassrls from pg_roles where rolname = 'elymica_web'",
      );
      assert.deepEqual(login, { rolsuper: false, rolbypassrls: false });
      // The jobs login does reach service_role: that is what it is for.
      const [service] = await t.db.asService((q) => q("select current_user as role"));
      assert.equal(service.role, "service_role");
    } finally {
      await t.close();
    }
  },
});
