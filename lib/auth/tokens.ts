/**
 * Access tokens (ARCHITECTURE §6): HS256 JWTs signed with JWT_SECRET — the Supabase project's
 * secret when deployed — valid 15 minutes, carrying what RLS reads through `auth.jwt()`.
 * Refresh tokens are opaque and live in the database (`public.auth_refresh`), not here.
 */
import { SignJWT } from "jose";
import { Buffer } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Claims } from "../db/types.ts";

export const ACCESS_TOKEN_SECONDS = 15 * 60;
const AUDIENCE = "authenticated";

export interface SessionIdentity {
  personId: string;
  tenantId: string;
  role: string;
  sessionId: string;
}

export interface AccessClaims extends Claims {
  aud: string;
  exp: number;
  iat: number;
  session_id: string;
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signAccessToken(
  secret: string,
  identity: SessionIdentity,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return await new SignJWT({
    role: "authenticated",
    session_id: identity.sessionId,
    app_metadata: { tenant_id: identity.tenantId, user_role: identity.role },
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(identity.personId)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TOKEN_SECONDS)
    .sign(keyOf(secret));
}

export type TokenProblem = "expired" | "invalid";

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeJson(part: string): Record<string, unknown> | null {
  if (!BASE64URL.test(part)) return null;
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The verified claims, or why the token cannot be used. Only HS256 with our key and audience,
 * with `sub`, `exp` and `iat`, not before its `nbf`, and carrying the school and role RLS reads.
 *
 * Checked here with node:crypto's synchronous HMAC rather than jose's `jwtVerify`: every
 * signed-in request verifies a token, and WebCrypto's asynchronous verify was a fifth of the
 * app's CPU on a loaded catalog (docs/benchmarks.md, bench:catalog). The checks are jose's, in
 * its order: the signature first, so only a genuine token is ever called expired.
 */
export function verifyAccessToken(
  secret: string,
  token: string,
  now = Date.now() / 1000,
): { claims: AccessClaims } | { problem: TokenProblem } {
  const invalid = { problem: "invalid" } as const;
  const parts = token.split(".");
  if (parts.length !== 3 || !BASE64URL.test(parts[2])) return invalid;
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeJson(headerPart);
  // HS256 only (never "none", never another algorithm), and no extensions we would ignore.
  if (header?.alg !== "HS256" || "crit" in header) return invalid;
  const expected = createHmac("sha256", secret).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;

  const payload = decodeJson(payloadPart);
  if (!payload) return invalid;
  const { sub, exp, iat, nbf, aud, role } = payload;
  const metadata = payload.app_metadata as Record<string, unknown> | undefined;
  if (
    typeof sub !== "string" || typeof exp !== "number" || typeof iat !== "number" ||
    (nbf !== undefined && (typeof nbf !== "number" || nbf > now)) ||
    !(aud === AUDIENCE || (Array.isArray(aud) && aud.includes(AUDIENCE)))
  ) return invalid;
  if (exp <= now) return { problem: "expired" };
  if (
    role !== "authenticated" || typeof metadata?.tenant_id !== "string" ||
    typeof metadata?.user_role !== "string"
  ) return invalid;
  return { claims: payload as unknown as AccessClaims };
}
