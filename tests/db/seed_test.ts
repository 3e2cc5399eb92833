/** The demo data: three schools with the people the README and the start-up banner promise. */
import assert from "node:assert/strict";
import { openTestDatabase } from "../support/database.ts";
import { DEMO_PASSWORD, DEMO_SCHOOLS, demoEmails } from "../../lib/demo.ts";
import { seedIfEmpty } from "../../lib/db/seed.ts";

Deno.test("the seed creates the three demo schools, their people and links, once", async () => {
  const t = await openTestDatabase({ seed: true });
  try {
    const schools = await t.owner.query(
      "select slug, country, currency, timezone from public.tenants order by slug",
    );
    assert.deepEqual(schools, [
      { slug: "johannesburg", country: "ZA", currency: "ZAR", timezone: "Africa/Johannesburg" },
      { slug: "lagos", country: "NG", currency: "NGN", timezone: "Africa/Lagos" },
      { slug: "nairobi", country: "KE", currency: "KES", timezone: "Africa/Nairobi" },
    ]);
    for (const school of DEMO_SCHOOLS) {
      const people = await t.owner.query<{ email: string }>(
        `select p.email from public.people p join public.tenants t on t.id = p.tenant_id
          where t.slug = $1 and p.status = 'active' order by p.email`,
        [school],
      );
      assert.deepEqual(people.map((p) => p.email), demoEmails(school).sort());
      const [parent1] = await t.owner.query<{ children: number }>(
        `select count(*)::int as children from public.guardian_links g
           join public.people p on p.id = g.parent_id
          where p.email = $1`,
        [`parent1@${school}.demo.elymica.test`],
      );
      assert.equal(parent1.children, 2, `${school}: parent1 has two children`);
      const [unlinked] = await t.owner.query<{ parents: number }>(
        `select count(*)::int as parents from public.people p join public.tenants t
           on t.id = p.tenant_id
          where t.slug = $1 and p.role = 'parent'
            and not exists (select from public.guardian_links g where g.parent_id = p.id)`,
        [school],
      );
      assert.equal(unlinked.parents, 0, `${school}: every parent has a child`);
    }
    const [hashes] = await t.owner.query<{ total: number; matching: number; cost10: number }>(
      `select count(*)::int as total,
              count(*) filter (where password_hash = extensions.crypt($1, password_hash))::int
                as matching,
              count(*) filter (where password_hash like '$2_$10$%')::int as cost10
         from private.passwords`,
      [DEMO_PASSWORD],
    );
    assert.deepEqual(hashes, { total: 39, matching: 39, cost10: 39 });
    assert.equal(await seedIfEmpty(t.owner), false, "a second start keeps the data");
  } finally {
    await t.close();
  }
});
