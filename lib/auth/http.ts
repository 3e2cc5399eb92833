/** HTTP for the auth routes: refusals as errors, and the session handed out as JSON + cookies. */
import { HttpError } from "../fresh/mod.ts";
import type { Db } from "../db/types.ts";
import { clearedSessionCookies, isSecureContext, sessionCookies, withCookies } from "./cookies.ts";
import { publicUser, refusalStatus, type Refused, type SignedIn, signOut } from "./service.ts";

export function refusalError(refused: Refused): HttpError {
  return new HttpError(refusalStatus(refused), refused.message, {
    headers: refused.retry_after ? { "Retry-After": String(refused.retry_after) } : undefined,
  });
}

/** `{ accessToken, refreshToken, user, tenant }`, and the same session as browser cookies. */
export function sessionResponse(signedIn: SignedIn, url: URL): Response {
  const body = {
    accessToken: signedIn.accessToken,
    refreshToken: signedIn.refreshToken,
    user: publicUser(signedIn.person),
    tenant: signedIn.tenant,
  };
  return withCookies(
    Response.json(body, { headers: { "Cache-Control": "no-store" } }),
    sessionCookies(signedIn, isSecureContext(url)),
  );
}

/** Ends the session of this refresh token (if any) and returns the cookies that forget it. */
export async function endSession(
  db: Db,
  refreshToken: string | undefined,
  url: URL,
): Promise<string[]> {
  if (refreshToken) await signOut(db, refreshToken);
  return clearedSessionCookies(isSecureContext(url));
}
