/**
 * The data layer's front door: open the configured database (embedded PGlite or a server),
 * bring it up to date, and hand app code the `Db` with its three entry points.
 */
import { dirname } from "node:path";
import type { DatabaseConfig } from "../config.ts";
import type { Db } from "./types.ts";
import type { OwnerSession } from "./owner.ts";
import { openEmbedded } from "./embedded.ts";
import { openOwner, openServer } from "./server.ts";
import { bootstrap } from "./bootstrap.ts";
import { APPLIED_MIGRATIONS_SQL, migrate, type MigrationResult } from "./migrate.ts";

export type { Claims, Db, DbKind, Query } from "./types.ts";
export type { OwnerSession } from "./owner.ts";

export interface OpenDatabase {
  db: Db;
  owner: OwnerSession;
}

export async function openDatabase(
  config: DatabaseConfig,
  options: { pgtap?: boolean } = {},
): Promise<OpenDatabase> {
  if (config.kind === "embedded") {
    await Deno.mkdir(dirname(config.dataDir), { recursive: true });
    return await openEmbedded({ dataDir: config.dataDir, pgtap: options.pgtap });
  }
  return { db: openServer(config), owner: openOwner(config.ownerUrl) };
}

/** Bootstrap (local servers and PGlite only) and every pending migration. */
export async function prepareDatabase(owner: OwnerSession): Promise<MigrationResult> {
  await bootstrap(owner);
  return await migrate(owner);
}

/** How many migrations the database has applied; throws when it cannot be reached. */
export async function appliedMigrations(db: Db): Promise<number> {
  const [row] = await db.asService((q) => q<{ count: number }>(APPLIED_MIGRATIONS_SQL));
  return row.count;
}
