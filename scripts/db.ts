/**
 * `deno task db:migrate | db:reset | db:new <name>` — the database chores, against the
 * configured database (embedded under DATA_DIR, or DATABASE_URL).
 */
import postgres from "postgres";
import { join } from "node:path";
import { type Config, loadConfig } from "../lib/config.ts";
import { openDatabase, prepareDatabase } from "../lib/db/mod.ts";
import { MIGRATIONS_DIR } from "../lib/db/migrate.ts";
import { seedIfEmpty } from "../lib/db/seed.ts";
import { seedDemoMedia } from "../lib/demo_media/mod.ts";
import { createStorage } from "../lib/storage/mod.ts";
import { resolveJwtSecret } from "../lib/auth/secret.ts";

async function migrateCommand(config: Config) {
  const { db, owner } = await openDatabase(config.database);
  try {
    const result = await prepareDatabase(owner);
    console.log(
      result.applied.length
        ? `Applied ${result.applied.join(", ")}.`
        : `Up to date: all ${result.total} migrations applied.`,
    );
  } finally {
    await owner.close();
    await db.close();
  }
}

async function dropAndCreateServerDatabase(ownerUrl: string) {
  const target = new URL(ownerUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name || name === "postgres" || name.startsWith("template")) {
    throw new Error(
      `db:reset will not drop the database "${name || "(default)"}"; ` +
        "point DATABASE_URL at a database of its own.",
    );
  }
  const maintenance = new URL(ownerUrl);
  maintenance.pathname = "/postgres";
  const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name.replaceAll('"', '""')}" with (force)`);
    await admin.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
}

async function resetCommand(config: Config) {
  if (config.env === "production") throw new Error("db:reset is refused when APP_ENV=production");
  if (config.database.kind === "embedded") {
    await Deno.remove(config.database.dataDir, { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  } else {
    await dropAndCreateServerDatabase(config.database.ownerUrl);
  }
  const { db, owner } = await openDatabase(config.database);
  try {
    const result = await prepareDatabase(owner);
    await seedIfEmpty(owner);
    const storage = await createStorage(config.storage, await resolveJwtSecret(config));
    const files = await seedDemoMedia(owner, storage);
    console.log(
      `Reset: ${result.total} migrations applied, demo data and ${files} demo lesson files loaded.`,
    );
  } finally {
    await owner.close();
    await db.close();
  }
}

async function newCommand(name: string | undefined) {
  if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new Error("usage: deno task db:new <name>   (lowercase letters, digits, underscores)");
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const file = join(MIGRATIONS_DIR, `${stamp}_${name}.sql`);
  await Deno.writeTextFile(
    file,
    `-- ${name}: what this step adds and why.\n` +
      "-- Sections in order: types, tables, indexes, grants, RLS and policies, triggers, " +
      "functions.\n-- Never edit this file once applied anywhere; add a new migration.\n",
    { createNew: true },
  );
  console.log(`Created ${file}`);
}

const [command, argument] = Deno.args;
try {
  if (command === "new") await newCommand(argument);
  else if (command === "migrate") await migrateCommand(loadConfig());
  else if (command === "reset") await resetCommand(loadConfig());
  else throw new Error("usage: deno run -A scripts/db.ts migrate | reset | new <name>");
} catch (error) {
  console.error((error as Error).message);
  Deno.exit(1);
}
