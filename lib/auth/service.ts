/**
 * Sign-in, refresh and sign-out: the database decides (lockout, rotation, reuse detection live
 * in `public.auth_*`), this module only mints the access token for a granted session.
 */
import type { Claims, Db } from "../db/types.ts";
import { signAccessToken } from "./tokens.ts";
import { recordSignIn } from "../metrics.ts";

export interface SessionPerson {
  id: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  role: string;
}

export interface SessionTenant {
  id: string;
  name: string;
  slug: string;
  country: string;
  currency: string;
  timezone: string;
}

interface Granted {
  ok: true;
  person: SessionPerson;
  tenant: SessionTenant;
  session: { id: string; family_id: string; refresh_token: string; expires_at: string };
}

/** A refusal the database wrote for people: `code` is `EL<status>`. */
export interface Refused {
  ok: false;
  code: string;
  message: string;
  retry_after?: number;
}

export interface SignedIn {
  ok: true;
  accessToken: string;
  refreshToken: string;
  person: SessionPerson;
  tenant: SessionTenant;
}

export type AuthOutcome = SignedIn | Refused;

async function grant(secret: string, outcome: Granted | Refused): Promise<AuthOutcome> {
  if (!outcome.ok) return outcome;
  const accessToken = await signAccessToken(secret, {
    personId: outcome.person.id,
    tenantId: outcome.tenant.id,
    role: outcome.person.role,
    sessionId: outcome.session.family_id,
  });
  return {
    ok: true,
    accessToken,
    refreshToken: outcome.session.refresh_token,
    person: outcome.person,
    tenant: outcome.tenant,
  };
}

async function call(db: Db, sql: string, params: unknown[]): Promise<Granted | Refused> {
  const [row] = await db.asAnon((q) => q<{ result: Granted | Refused }>(sql, params));
  return row.result;
}

export async function signIn(
  db: Db,
  secret: string,
  input: { email: string; password: string; device: string },
): Promise<AuthOutcome> {
  const outcome = await call(db, "select public.auth_sign_in($1, $2, $3) as result", [
    input.email,
    input.password,
    input.device,
  ]);
  recordSignIn(outcome);
  return await grant(secret, outcome);
}

export async function refreshSession(
  db: Db,
  secret: string,
  input: { refreshToken: string; device: string },
): Promise<AuthOutcome> {
  return await grant(
    secret,
    await call(db, "select public.auth_refresh($1, $2) as result", [
      input.refreshToken,
      input.device,
    ]),
  );
}

export async function signOut(db: Db, refreshToken: string): Promise<void> {
  await db.asAnon((q) => q("select public.auth_sign_out($1)", [refreshToken]));
}

/** HTTP status of a refusal (`EL401` → 401); anything unexpected is our bug. */
export function refusalStatus(refused: Refused): number {
  const status = Number(/^EL(\d{3})$/.exec(refused.code)?.[1]);
  return [401, 403, 422, 429].includes(status) ? status : 500;
}

/**
 * A device fingerprint stored with the refresh token (to show people their sessions and spot a
 * stolen token used elsewhere): a hash of what the browser says about itself, not an identifier.
 */
export async function deviceFingerprint(req: Request): Promise<string> {
  const described = [req.headers.get("User-Agent"), req.headers.get("Accept-Language")].join("|");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(described));
  return Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** The person as API responses show them. */
export function publicUser(person: SessionPerson) {
  return {
    id: person.id,
    fullName: person.full_name,
    email: person.email,
    phone: person.phone,
    role: person.role,
  };
}

/** Changes the signed-in person's password; the database then ends all their sessions. */
export async function changePassword(
  db: Db,
  person: Claims,
  input: { currentPassword: string; newPassword: string },
): Promise<{ ok: true } | Refused> {
  const [row] = await db.asUser(person, (q) =>
    q<{ result: { ok: true } | Refused }>(
      "select public.auth_change_password($1, $2) as result",
      [input.currentPassword, input.newPassword],
    ));
  return row.result;
}
