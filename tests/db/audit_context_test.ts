/** A person's change is audited with the request's id, address and user agent. */
import assert from "node:assert/strict";
import { openTestDatabase } from "../support/database.ts";
import type { Claims } from "../../lib/db/types.ts";

Deno.test("asUser within a request context: the audit trigger records who, where, which request", async () => {
  const t = await openTestDatabase({ seed: true });
  try {
    const [admin] = await t.owner.query<{ id: string; tenant_id: string }>(
      "select id, tenant_id from public.people where email = 'admin1@nairobi.demo.elymica.test'",
    );
    const claims: Claims = {
      sub: admin.id,
      role: "authenticated",
      app_metadata: { tenant_id: admin.tenant_id, user_role: "admin" },
    };
    const requestDb = t.db.withContext({
      requestId: "req-audit-1",
      ip: "196.201.214.10",
      userAgent: "KaiOS Browser",
    });
    const [student] = await requestDb.asUser(claims, (q) =>
      q<{ id: string }>(
        `update public.people set full_name = 'Wanjiku Renamed'
          where email = 'student1@nairobi.demo.elymica.test' returning id`,
      ));
    assert.ok(student, "the admin may rename a student of their school");
    const entries = await t.owner.query(
      `select actor_id, tenant_id, action, table_name, request_id, host(ip) as ip, user_agent
         from audit.log where record_id = $1 and request_id = 'req-audit-1'`,
      [student.id],
    );
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0], {
      actor_id: admin.id,
      tenant_id: admin.tenant_id,
      action: "update",
      table_name: "public.people",
      request_id: "req-audit-1",
      ip: "196.201.214.10",
      user_agent: "KaiOS Browser",
    });
    // The context belongs to that request only: the plain Db carries none.
    const [plain] = await t.db.asUser(
      claims,
      (q) => q("select nullif(current_setting('app.request_id', true), '') as id"),
    );
    assert.equal(plain.id, null);
  } finally {
    await t.close();
  }
});
