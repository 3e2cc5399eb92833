/**
 * The migration runner: applies `supabase/migrations/*.sql` in order, each in its own
 * transaction, and records them in `supabase_migrations.schema_migrations` — the Supabase
 * CLI's table, same columns — so `supabase migration list` / `db push` and this runner agree
 * about what is applied. An applied migration whose file has changed stops everything: never
 * edit an applied migration, add a new one.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { OwnerSession } from "./owner.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../supabase/migrations", import.meta.url));

/** Any constant: the advisory lock that keeps two starting servers from migrating at once. */
const MIGRATION_LOCK = 7_104_236_911;

export interface Migration {
  version: string;
  name: string;
  file: string;
  sql: string;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".sql")) continue;
    const match = /^(\d{14})_(\w+)\.sql$/.exec(entry.name);
    if (!match) {
      throw new MigrationError(
        `Migration file ${entry.name} must be named YYYYMMDDHHMMSS_name.sql`,
      );
    }
    const sql = await Deno.readTextFile(join(dir, entry.name));
    migrations.push({ version: match[1], name: match[2], file: entry.name, sql });
  }
  return migrations.sort((a, b) => a.version.localeCompare(b.version));
}

/**
 * Our runner stores each file whole; the Supabase CLI stores it split into statements. Both
 * forms are compared with whitespace, semicolons and line comments removed.
 */
function sameStatements(stored: string[], sql: string): boolean {
  if (stored.length === 1) return stored[0] === sql;
  const normalise = (text: string) => text.replace(/--[^\n]*/g, "").replace(/[\s;]+/g, "");
  return normalise(stored.join("\n")) === normalise(sql);
}

export interface MigrationResult {
  applied: string[];
  total: number;
}

export async function migrate(owner: OwnerSession, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await readMigrations(dir);
  await owner.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text not null primary key,
      statements text[],
      name text
    );
    grant usage on schema supabase_migrations to service_role;
    grant select on supabase_migrations.schema_migrations to service_role;
  `);
  await owner.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    const rows = await owner.query<{ version: string; statements: string[] | null }>(
      "select version, statements from supabase_migrations.schema_migrations",
    );
    const applied = new Map(rows.map((row) => [row.version, row.statements ?? []]));
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const stored = applied.get(migration.version);
      if (stored) {
        if (!sameStatements(stored, migration.sql)) {
          throw new MigrationError(
            `Migration ${migration.file} has changed since it was applied. ` +
              "Never edit an applied migration; restore the file and add a new migration.",
          );
        }
        continue;
      }
      try {
        await owner.transaction(async (tx) => {
          await tx.exec(migration.sql);
          await tx.query(
            "insert into supabase_migrations.schema_migrations (version, statements, name) " +
              "values ($1, $2, $3)",
            [migration.version, [migration.sql], migration.name],
          );
        });
      } catch (error) {
        throw new MigrationError(
          `Migration ${migration.file} failed and was rolled back: ${(error as Error).message}`,
        );
      }
      newlyApplied.push(migration.file);
    }
    return { applied: newlyApplied, total: migrations.length };
  } finally {
    await owner.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
  }
}

/** How many migrations the database records as applied (for `/api/health`). */
export const APPLIED_MIGRATIONS_SQL =
  "select count(*)::int as count from supabase_migrations.schema_migrations";
