import type { Claims, Query, RequestContext } from "./types.ts";

/**
 * The database session contract (ARCHITECTURE §3): each transaction first becomes one of the
 * API roles and carries the verified claims, exactly as Supabase's PostgREST does, so RLS and
 * `auth.uid()` / `auth.jwt()` behave the same everywhere, plus the request's id, address and
 * user agent for the audit log. `is_local = true` on every setting: a session-level setting
 * would survive COMMIT on a pooled connection and leak into the next request.
 */
export const SESSION_SETUP = "select set_config('role', $1, true), " +
  "set_config('request.jwt.claims', $2, true), set_config('app.request_id', $3, true), " +
  "set_config('app.ip', $4, true), set_config('app.user_agent', $5, true), " +
  "set_config('app.public_url', $6, true)";

export type ApiRole = "anon" | "authenticated" | "service_role";

export function sessionParams(
  role: ApiRole,
  claims: Claims | null,
  context: RequestContext,
): string[] {
  return [
    role,
    JSON.stringify(claims ?? { role }),
    context.requestId ?? "",
    context.ip ?? "",
    context.userAgent ?? "",
    context.publicUrl ?? "",
  ];
}

/** The three entry points, built once over an adapter's way of running a transaction. */
export type RunAs = <T>(
  role: ApiRole,
  claims: Claims | null,
  context: RequestContext,
  work: (q: Query) => Promise<T>,
) => Promise<T>;

/** One statement in a transaction of its own, for an adapter that can send it in one go. */
export type RunStatementAs = <T>(
  role: ApiRole,
  claims: Claims | null,
  context: RequestContext,
  text: string,
  params: unknown[],
) => Promise<T[]>;

export function entryPoints(
  run: RunAs,
  context: RequestContext = {},
  runStatement: RunStatementAs = (role, claims, context, text, params) =>
    run(role, claims, context, (q) => q(text, params)),
) {
  return {
    asAnon: <T>(work: (q: Query) => Promise<T>) => run("anon", null, context, work),
    asUser: <T>(claims: Claims, work: (q: Query) => Promise<T>) =>
      run("authenticated", claims, context, work),
    userStatement: <T>(claims: Claims, text: string, params: unknown[] = []) =>
      runStatement<T>("authenticated", claims, context, text, params),
    asService: <T>(work: (q: Query) => Promise<T>) => run("service_role", null, context, work),
  };
}
