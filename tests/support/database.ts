/**
 * A throwaway, migrated database per test: an in-memory PGlite, or — when `DATABASE_URL` is
 * set — a new database on that server, created here and dropped afterwards, so tests never
 * touch anyone else's data.
 */
import postgres from "postgres";
import { withLogin } from "../../lib/config.ts";
import { openEmbedded } from "../../lib/db/embedded.ts";
import { openOwner, openServer } from "../../lib/db/server.ts";
import { prepareDatabase } from "../../lib/db/mod.ts";
import { seedIfEmpty } from "../../lib/db/seed.ts";
import type { Db, DbKind } from "../../lib/db/types.ts";
import type { OwnerSession } from "../../lib/db/owner.ts";

export const serverUrl = Deno.env.get("DATABASE_URL") || undefined;
export const testKind: DbKind = serverUrl ? "postgres" : "embedded";

export interface TestDatabase {
  kind: DbKind;
  db: Db;
  owner: OwnerSession;
  /** Server mode only: the owner URL of the throwaway database. */
  url?: string;
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Skip bootstrap and migrations (tests of the runner itself). */
  empty?: boolean;
  seed?: boolean;
  pgtap?: boolean;
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (!serverUrl) return await createEmbedded(options);
  const opened = await createServerDatabase(serverUrl);
  try {
    if (!options.empty) {
      await prepareDatabase(opened.owner);
      if (options.pgtap) await opened.owner.exec("create extension if not exists pgtap");
      if (options.seed) await seedIfEmpty(opened.owner);
    }
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/**
 * Migrating and seeding a new PGlite takes seconds (bcrypt in WebAssembly), so each kind of
 * test database is built once per test run and every test gets an in-memory copy of it.
 */
const snapshots = new Map<string, Promise<Blob>>();

function snapshotFor(options: TestDatabaseOptions): Promise<Blob> {
  const key = `pgtap=${!!options.pgtap} seed=${!!options.seed}`;
  let snapshot = snapshots.get(key);
  if (!snapshot) {
    snapshot = (async () => {
      const built = await openEmbedded({ pgtap: options.pgtap });
      try {
        await prepareDatabase(built.owner);
        if (options.pgtap) await built.owner.exec("create extension if not exists pgtap");
        if (options.seed) await seedIfEmpty(built.owner);
        return await built.snapshot();
      } finally {
        await built.db.close();
      }
    })();
    snapshots.set(key, snapshot);
  }
  return snapshot;
}

async function createEmbedded(options: TestDatabaseOptions): Promise<TestDatabase> {
  const from = options.empty ? undefined : await snapshotFor(options);
  const { db, owner } = await openEmbedded({ pgtap: options.pgtap, from });
  return { kind: "embedded", db, owner, close: () => db.close() };
}

async function createServerDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `elymica_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const ownerUrl = url.toString();
  const owner = openOwner(ownerUrl);
  const db = openServer({
    webUrl: withLogin(ownerUrl, "elymica_web"),
    jobsUrl: withLogin(ownerUrl, "elymica_jobs"),
    poolSize: 4,
  });
  return {
    kind: "postgres",
    db,
    owner,
    url: ownerUrl,
    async close() {
      await Promise.allSettled([db.close(), owner.close()]);
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
