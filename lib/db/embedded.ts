/**
 * Embedded PGlite, in-process (not through pglite-socket, which serves one connection and
 * breaks LISTEN — stack-notes). PGlite is single-session, so transactions queue on it; its lock
 * is held across every `await` inside one, so never do other I/O inside a transaction.
 */
import { type Extensions, PGlite, types } from "@electric-sql/pglite";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import type { Db, Query, RequestContext, Row } from "./types.ts";
import type { OwnerSession, OwnerTransaction } from "./owner.ts";
import { entryPoints, type RunAs, SESSION_SETUP, sessionParams } from "./session.ts";
import { toDbError, transactionFailure } from "./errors.ts";

interface Queryable {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(script: string): Promise<{ rows: Row[] }[]>;
}

export interface EmbeddedOptions {
  /** A directory to persist to; omitted → in memory (tests). */
  dataDir?: string;
  /** Load pgTAP (tests only: it costs start-up time and is no use to the app). */
  pgtap?: boolean;
  /** Start from a snapshot taken by `snapshot()` (tests: a migrated database in ~0.5 s). */
  from?: Blob;
}

export interface Embedded {
  db: Db;
  owner: OwnerSession;
  /** The whole database as a file, to start other in-memory copies from. */
  snapshot(): Promise<Blob>;
}

export async function openEmbedded(options: EmbeddedOptions = {}): Promise<Embedded> {
  const extensions: Extensions = { pgcrypto };
  if (options.pgtap) extensions.pgtap = (await import("@electric-sql/pglite-pgtap")).pgtap;
  const pg = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.from,
    extensions,
    // Same JavaScript types as postgres.js returns on a server: 64-bit integers and numerics
    // as strings (no silent precision loss in money and counts).
    parsers: { [types.INT8]: (x: string) => x, [types.NUMERIC]: (x: string) => x },
  });

  const queryOn = (target: Queryable): Query => async (text, params = []) => {
    try {
      return (await target.query(text, params)).rows as never;
    } catch (error) {
      throw toDbError(error);
    }
  };
  const execOn = (target: Queryable) => async (script: string) => {
    try {
      return (await target.exec(script)).map((result) => result.rows);
    } catch (error) {
      throw toDbError(error);
    }
  };

  const run: RunAs = async (role, claims, context, work) => {
    try {
      return await pg.transaction(async (tx) => {
        await tx.query(SESSION_SETUP, sessionParams(role, claims, context));
        return await work(queryOn(tx));
      });
    } catch (error) {
      throw transactionFailure(error);
    }
  };

  const withContext = (context: RequestContext): Db => ({
    kind: "embedded",
    ...entryPoints(run, context),
    withContext,
    async listen(channel, onNotify) {
      const unlisten = await pg.listen(channel, onNotify);
      return () => unlisten();
    },
    close: () => pg.close(),
  });
  const db = withContext({});

  const owner: OwnerSession = {
    exec: execOn(pg),
    query: queryOn(pg),
    async transaction(work) {
      try {
        return await pg.transaction((tx) => {
          const session: OwnerTransaction = { exec: execOn(tx), query: queryOn(tx) };
          return work(session);
        });
      } catch (error) {
        throw toDbError(error);
      }
    },
    // The app and the owner share one PGlite; closing is the Db's job.
    close: () => Promise.resolve(),
  };
  return { db, owner, snapshot: () => pg.dumpDataDir("none") };
}
