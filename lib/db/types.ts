/** The one shape app code sees, whichever database (embedded PGlite or a server) is behind it. */

export type Row = Record<string, unknown>;

/** Runs one parameterised statement inside the caller's transaction and returns its rows. */
export type Query = <T = Row>(text: string, params?: unknown[]) => Promise<T[]>;

/** Verified JWT claims, as ARCHITECTURE §6 defines them; RLS reads them through `auth.jwt()`. */
export interface Claims {
  sub: string;
  role: "authenticated";
  app_metadata: { tenant_id: string; user_role: string };
  [claim: string]: unknown;
}

export type DbKind = "embedded" | "postgres";

/**
 * Who is asking, recorded by the audit triggers (`app.request_id`, `app.ip`, `app.user_agent`),
 * and where they reach us (`app.public_url`, for links in messages).
 */
export interface RequestContext {
  requestId?: string;
  ip?: string;
  userAgent?: string;
  /** Where people reach this app (e.g. https://school.example), for links in messages. */
  publicUrl?: string;
}

export interface Db {
  readonly kind: DbKind;
  /** A transaction as role `anon`, with no claims. */
  asAnon<T>(work: (q: Query) => Promise<T>): Promise<T>;
  /** A transaction as role `authenticated` with the caller's verified claims. */
  asUser<T>(claims: Claims, work: (q: Query) => Promise<T>): Promise<T>;
  /**
   * One statement as `authenticated`, in a transaction of its own: the same as
   * `asUser(claims, (q) => q(text, params))`, but on a server the begin, the set-up, the
   * statement and the commit travel together, one round trip instead of two.
   */
  userStatement<T = Row>(claims: Claims, text: string, params?: unknown[]): Promise<T[]>;
  /** A transaction as `service_role` (bypasses RLS): webhooks, jobs and exports only. */
  asService<T>(work: (q: Query) => Promise<T>): Promise<T>;
  /** The same database, with every transaction also carrying this request's context. */
  withContext(context: RequestContext): Db;
  /** Calls `onNotify` for every NOTIFY on `channel`; resolves to a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
