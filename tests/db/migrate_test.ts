import assert from "node:assert/strict";
import { join } from "node:path";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { bootstrap } from "../../lib/db/bootstrap.ts";
import { migrate, MigrationError } from "../../lib/db/migrate.ts";

async function withMigrations(
  files: Record<string, string>,
  fn: (t: TestDatabase, dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "elymica-migrations-" });
  const t = await openTestDatabase({ empty: true });
  try {
    for (const [name, sql] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), sql);
    await bootstrap(t.owner);
    await fn(t, dir);
  } finally {
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const first = "create table public.first_step (id int primary key);";
const second = "create table public.second_step (id int primary key);\n" +
  "insert into public.second_step values (1);";

Deno.test("migrations apply in order, are recorded as the Supabase CLI does, and only once", async () => {
  await withMigrations({
    "20260102000000_second.sql": second.replace("values (1)", "select id from public.first_step"),
    "20260101000000_first.sql": first + "\ninsert into public.first_step values (7);",
  }, async ({ owner }, dir) => {
    const run = await migrate(owner, dir);
    assert.deepEqual(run, {
      applied: ["20260101000000_first.sql", "20260102000000_second.sql"],
      total: 2,
    });
    assert.deepEqual(await owner.query("select id from public.second_step"), [{ id: 7 }]);
    const recorded = await owner.query(
      "select version, name, array_length(statements, 1) as parts " +
        "from supabase_migrations.schema_migrations order by version",
    );
    assert.deepEqual(recorded, [
      { version: "20260101000000", name: "first", parts: 1 },
      { version: "20260102000000", name: "second", parts: 1 },
    ]);
    assert.deepEqual(await migrate(owner, dir), { applied: [], total: 2 });
  });
});

Deno.test("a changed applied migration stops the runner with the file's name", async () => {
  await withMigrations({ "20260101000000_first.sql": first }, async ({ owner }, dir) => {
    await migrate(owner, dir);
    await Deno.writeTextFile(join(dir, "20260101000000_first.sql"), first + "\n-- edited");
    await assert.rejects(
      migrate(owner, dir),
      (error: Error) =>
        error instanceof MigrationError && error.message.includes("20260101000000_first.sql") &&
        error.message.includes("changed"),
    );
  });
});

Deno.test("a migration applied by the Supabase CLI (split into statements) is recognised", async () => {
  await withMigrations({ "20260102000000_second.sql": second }, async ({ owner }, dir) => {
    await owner.exec(second);
    await owner.exec(`
      create schema supabase_migrations;
      create table supabase_migrations.schema_migrations
        (version text not null primary key, statements text[], name text);
    `);
    await owner.query(
      "insert into supabase_migrations.schema_migrations values ($1, $2, $3)",
      [
        "20260102000000",
        [
          "create table public.second_step (id int primary key)",
          "insert into public.second_step values (1)",
        ],
        "second",
      ],
    );
    assert.deepEqual(await migrate(owner, dir), { applied: [], total: 1 });
  });
});

Deno.test("a failing migration is rolled back whole and not recorded; earlier ones stay", async () => {
  await withMigrations({
    "20260101000000_first.sql": first,
    "20260102000000_broken.sql": "create table public.half_done (id int);\nselect 1/0;",
  }, async ({ owner }, dir) => {
    await assert.rejects(
      migrate(owner, dir),
      (error: Error) =>
        error instanceof MigrationError && error.message.includes("20260102000000_broken.sql"),
    );
    const [tables] = await owner.query<{ first: string | null; half: string | null }>(
      "select to_regclass('public.first_step')::text as first, " +
        "to_regclass('public.half_done')::text as half",
    );
    assert.deepEqual(tables, { first: "first_step", half: null });
    const versions = await owner.query("select version from supabase_migrations.schema_migrations");
    assert.deepEqual(versions, [{ version: "20260101000000" }]);
  });
});

Deno.test("a badly named migration file is refused with its name", async () => {
  await withMigrations({ "001_tenancy.sql": first }, async ({ owner }, dir) => {
    await assert.rejects(migrate(owner, dir), /001_tenancy\.sql must be named/);
  });
});
