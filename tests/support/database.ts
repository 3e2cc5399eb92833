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
  const opened = serverUrl ? await createServerDatabase(serverUrl) : await createEmbedded(options);
  try {
    if (!options.empty) {
      await prepareDatabase(opened.owner);
      if (options.pgtap && opened.kind === "postgres") {
        await opened.owner.exec("create extension if not exists pgtap");
      }
      if (options.seed) await seedIfEmpty(opened.owner);
    }
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

async function createEmbedded(options: TestDatabaseOptions): Promise<TestDatabase> {
  const { db, owner } = await openEmbedded({ pgtap: options.pgtap });
  if (options.pgtap) await owner.exec("create extension if not exists pgtap");
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
