import type { Claims } from "./types.ts";

/**
 * The database session contract (ARCHITECTURE §3): each transaction first becomes one of the
 * API roles and carries the verified claims, exactly as Supabase's PostgREST does, so RLS and
 * `auth.uid()` / `auth.jwt()` behave the same everywhere. `is_local = true` on both settings:
 * a session-level setting would survive COMMIT on a pooled connection and leak into the next
 * request.
 */
export const SESSION_SETUP = "select set_config('role', $1, true), " +
  "set_config('request.jwt.claims', $2, true)";

export type ApiRole = "anon" | "authenticated" | "service_role";

export function sessionParams(role: ApiRole, claims: Claims | null): [ApiRole, string] {
  return [role, claims ? JSON.stringify(claims) : JSON.stringify({ role })];
}
