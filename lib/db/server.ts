/**
 * A PostgreSQL server (or Supabase) through postgres.js, with two pools as ARCHITECTURE §3
 * asks: the web login may only become `anon`/`authenticated`, the jobs login only
 * `service_role`, so an injection in a page can never reach service powers.
 */
import postgres from "postgres";
import type { Claims, Db, Query, RequestContext, Row } from "./types.ts";
import type { OwnerSession } from "./owner.ts";
import {
  type ApiRole,
  entryPoints,
  type RunAs,
  type RunStatementAs,
  SESSION_SETUP,
  sessionParams,
} from "./session.ts";
import { DbError, toDbError, transactionFailure, UNREACHABLE } from "./errors.ts";

type Sql = postgres.Sql;

const quiet = { onnotice: () => {} };

export interface ServerUrls {
  webUrl: string;
  jobsUrl: string;
  poolSize: number;
  /**
   * Named prepared statements (default true): each statement is parsed and described once per
   * connection, after which a request's begin, set-up, statements and commit are sent together.
   * Without them postgres.js asks the server to describe every parameterised statement first,
   * a round trip of its own. A pooler in transaction mode (Supabase's port 6543) cannot keep
   * them: turn them off there.
   */
  preparedStatements?: boolean;
}

/** postgres.js returns an Array subclass with extra fields; PGlite a plain array. */
// deno-lint-ignore no-explicit-any
const plainRows = (result: ArrayLike<any>) => Array.from(result);

function pool(url: string, max: number, name: string, prepare: boolean): Sql {
  return postgres(url, {
    ...quiet,
    prepare,
    max,
    connect_timeout: 5,
    idle_timeout: 30,
    connection: { application_name: name },
  });
}

/**
 * One statement on a reserved connection, as a named prepared statement when the pool allows
 * (`unsafe` alone never prepares, so each parameterised statement would first be described).
 */
const prepared = (connection: postgres.ReservedSql, text: string, params: unknown[] = []) =>
  connection.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });

/** `begin` and the role and claims set-up (ARCHITECTURE §3), sent without waiting. */
const openTransaction = (
  connection: postgres.ReservedSql,
  role: ApiRole,
  claims: Claims | null,
  context: RequestContext,
) => [
  connection.unsafe("begin"),
  prepared(connection, SESSION_SETUP, sessionParams(role, claims, context)),
];

/** Longer than `connect_timeout`: a request waits this long for a connection, then gets 503. */
const RESERVE_TIMEOUT_MS = 10_000;

/**
 * `sql.reserve()` with a deadline. postgres.js 3.4 never settles a reserve whose connection
 * was accepted and then closed (as a pooler with its database down does), so without this a
 * request would hang for good.
 */
async function reserveWithin(sql: Sql, ms: number): Promise<postgres.ReservedSql> {
  const pending = sql.reserve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DbError("No database connection became free in time", UNREACHABLE)),
      ms,
    );
  });
  try {
    return await Promise.race([pending, deadline]);
  } catch (error) {
    // Should the connection arrive after all, hand it straight back to the pool.
    pending.then((connection) => connection.release(), () => {});
    throw toDbError(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One transaction as `role` with `claims`. `begin` and the session set-up are pipelined with
 * the first statement of `work` on a reserved connection, so a one-statement request costs
 * one round trip plus the commit (stack-notes measured the textbook `sql.begin` at five).
 */
async function transactionAs<T>(
  sql: Sql,
  role: ApiRole,
  claims: Claims | null,
  context: RequestContext,
  work: (q: Query) => Promise<T>,
): Promise<T> {
  const connection = await reserveWithin(sql, RESERVE_TIMEOUT_MS);
  const prelude = Promise.all(openTransaction(connection, role, claims, context));
  // Observed below; without this an early failure would be reported as unhandled.
  prelude.catch(() => {});
  const q: Query = async (text, params = []) => plainRows(await prepared(connection, text, params));
  try {
    const result = await work(q);
    await prelude;
    await connection.unsafe("commit");
    return result;
  } catch (error) {
    // Report the first failure: after a failed set-up every later statement fails too.
    const setupError = await prelude.then(() => null, (e) => e);
    await connection.unsafe("rollback").catch(() => {});
    throw transactionFailure(setupError ?? error);
  } finally {
    connection.release();
  }
}

/**
 * One statement as `role` with `claims`, in a transaction of its own, sent in one go: begin,
 * set-up, the statement and commit, one round trip. Should the set-up or the statement fail,
 * the transaction is aborted and PostgreSQL answers the COMMIT with a rollback, so nothing is
 * written; the first failure is reported, as in `transactionAs`.
 */
async function statementAs<T>(
  sql: Sql,
  role: ApiRole,
  claims: Claims | null,
  context: RequestContext,
  text: string,
  params: unknown[],
): Promise<T[]> {
  const connection = await reserveWithin(sql, RESERVE_TIMEOUT_MS);
  try {
    const settled = await Promise.allSettled([
      ...openTransaction(connection, role, claims, context),
      prepared(connection, text, params),
      connection.unsafe("commit"),
    ]);
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed) {
      // Whatever state the failure left, the connection goes back to the pool outside a
      // transaction (a rollback with none open is only a warning).
      await connection.unsafe("rollback").catch(() => {});
      throw transactionFailure(failed.reason);
    }
    return plainRows(
      (settled[2] as PromiseFulfilledResult<postgres.RowList<postgres.Row[]>>).value,
    );
  } finally {
    connection.release();
  }
}

export function openServer(urls: ServerUrls): Db {
  const prepare = urls.preparedStatements ?? true;
  const web = pool(urls.webUrl, urls.poolSize, "elymica-web", prepare);
  const jobs = pool(
    urls.jobsUrl,
    Math.max(2, Math.ceil(urls.poolSize / 2)),
    "elymica-jobs",
    prepare,
  );
  // Each role goes through the pool whose login may become it, and no other.
  const run: RunAs = (role, claims, context, work) =>
    transactionAs(role === "service_role" ? jobs : web, role, claims, context, work);
  const runStatement: RunStatementAs = (role, claims, context, text, params) =>
    statementAs(role === "service_role" ? jobs : web, role, claims, context, text, params);
  const withContext = (context: RequestContext): Db => ({
    kind: "postgres",
    ...entryPoints(run, context, runStatement),
    withContext,
    async listen(channel, onNotify) {
      try {
        const { unlisten } = await jobs.listen(channel, onNotify);
        return unlisten;
      } catch (error) {
        throw toDbError(error);
      }
    },
    async close() {
      await Promise.all([web.end({ timeout: 5 }), jobs.end({ timeout: 5 })]);
    },
  });
  return withContext({});
}

/** The owner's single connection, for bootstrap, migrations and seed. */
export function openOwner(url: string): OwnerSession {
  const sql = postgres(url, { ...quiet, max: 1, connect_timeout: 5 });
  const query = (target: Sql | postgres.TransactionSql): Query => async (text, params = []) => {
    try {
      return plainRows(await target.unsafe(text, params as postgres.ParameterOrJSON<never>[]));
    } catch (error) {
      throw toDbError(error);
    }
  };
  // Without parameters postgres.js uses the simple protocol, which takes several statements;
  // it answers one row list per statement, or a bare row list when there was only one.
  const exec = (target: Sql | postgres.TransactionSql) => async (script: string) => {
    try {
      const result = await target.unsafe(script);
      return result.length > 0 && Array.isArray(result[0])
        ? Array.from(result as unknown as Row[][], plainRows)
        : [plainRows(result)];
    } catch (error) {
      throw toDbError(error);
    }
  };
  return {
    exec: exec(sql),
    query: query(sql),
    async transaction(work) {
      try {
        return await sql.begin((tx) => work({ exec: exec(tx), query: query(tx) })) as never;
      } catch (error) {
        throw toDbError(error);
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
