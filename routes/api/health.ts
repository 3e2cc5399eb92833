/**
 * `GET /api/health` for load balancers and people: 200 with the database kind and how many
 * migrations it has applied, or 503 with a reason when the database cannot answer.
 */
import { define } from "../../lib/state.ts";
import { appliedMigrations } from "../../lib/db/mod.ts";
import { httpFailureFor, toDbError } from "../../lib/db/errors.ts";
import { log } from "../../lib/log.ts";
import type { RouteOperations } from "../../lib/openapi.ts";

const noStore = { "Cache-Control": "no-store" };

export const handler = define.handlers({
  async GET(ctx) {
    const { db } = ctx.state;
    try {
      const migrations = await appliedMigrations(db);
      return Response.json({ status: "ok", db: db.kind, migrations }, { headers: noStore });
    } catch (error) {
      const dbError = toDbError(error);
      log.warn("health check failed", {
        requestId: ctx.state.requestId,
        code: dbError.code,
        error: dbError.message,
      });
      const { status, message } = httpFailureFor(dbError);
      const reason = status === 503 ? message : "The database did not answer the health check.";
      return Response.json({ status: "unavailable", db: db.kind, reason }, {
        status: 503,
        headers: noStore,
      });
    }
  },
});

export const openapi: RouteOperations = {
  GET: {
    summary: "Liveness and database state: { status, db, migrations }",
    responses: {
      200: "Up, with the database kind and applied migrations",
      503: "Database unreachable",
    },
  },
};
