/**
 * Access tokens (ARCHITECTURE §6): HS256 JWTs signed with JWT_SECRET — the Supabase project's
 * secret when deployed — valid 15 minutes, carrying what RLS reads through `auth.jwt()`.
 * Refresh tokens are opaque and live in the database (`public.auth_refresh`), not here.
 */
import { errors, jwtVerify, SignJWT } from "jose";
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

/** The verified claims, or why the token cannot be used. Only HS256 with our key and audience. */
export async function verifyAccessToken(
  secret: string,
  token: string,
): Promise<{ claims: AccessClaims } | { problem: TokenProblem }> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ["HS256"],
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
    });
    const metadata = payload.app_metadata as Record<string, unknown> | undefined;
    if (
      payload.role !== "authenticated" || typeof metadata?.tenant_id !== "string" ||
      typeof metadata?.user_role !== "string"
    ) return { problem: "invalid" };
    return { claims: payload as unknown as AccessClaims };
  } catch (error) {
    return { problem: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}
