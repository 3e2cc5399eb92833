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
    const lock = await lockDataDir(config.dataDir);
    const opened = await openEmbedded({ dataDir: config.dataDir, pgtap: options.pgtap });
    const close = opened.db.close;
    opened.db.close = async () => {
      await close();
      lock.close();
    };
    return opened;
  }
  return { db: openServer(config), owner: openOwner(config.ownerUrl) };
}

/**
 * PGlite has no guard against two processes opening one data directory, which corrupts it:
 * hold an exclusive OS lock (released by the OS if the process dies) while it is open.
 */
async function lockDataDir(dataDir: string): Promise<Deno.FsFile> {
  const file = await Deno.open(`${dataDir}.lock`, { create: true, write: true });
  const locked = await Promise.race([
    file.lock(true).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000)),
  ]);
  if (!locked) {
    file.close();
    throw new Error(
      `Another Elymica process is using the embedded database in ${dataDir}; ` +
        "stop it first, or set DATA_DIR to another folder.",
    );
  }
  return file;
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
