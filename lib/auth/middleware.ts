/**
 * AUTH-4, the tenant context: one middleware reads the Bearer header or the session cookie,
 * verifies the token, refreshes an expired cookie session silently, and refuses an
 * `x-tenant-id` that is not the token's school. Routes then hand `state.session` to
 * `db.asUser`, and RLS does the rest.
 */
import { HttpError } from "../fresh/mod.ts";
import { define, type State } from "../state.ts";
import {
  ACCESS_COOKIE,
  clearedSessionCookies,
  isSecureContext,
  readCookie,
  REFRESH_COOKIE,
  sessionCookies,
  withCookies,
} from "./cookies.ts";
import { type AuthOutcome, deviceFingerprint, refreshSession } from "./service.ts";
import { type AccessClaims, verifyAccessToken } from "./tokens.ts";

const invalidBearer = (why: "expired" | "invalid") =>
  new HttpError(
    401,
    why === "expired" ? "Your session has expired. Sign in again." : "Your sign-in is not valid.",
    { headers: { "WWW-Authenticate": `Bearer error="invalid_token"` } },
  );

/**
 * A browser often sends several requests at once with the same expired cookie; each would
 * present the same refresh token, and every one after the first would look like a stolen,
 * reused token. Concurrent and just-finished refreshes of one token in this process share one
 * result for a few seconds instead. (Several processes behind a load balancer need sticky
 * sessions or a database-side grace window; see docs/decisions.md.)
 */
const REFRESH_SHARE_MS = 10_000;
const recentRefreshes = new Map<string, { outcome: Promise<AuthOutcome>; until: number }>();

function sharedRefresh(token: string, run: () => Promise<AuthOutcome>): Promise<AuthOutcome> {
  const now = Date.now();
  for (const [key, entry] of recentRefreshes) if (entry.until < now) recentRefreshes.delete(key);
  const existing = recentRefreshes.get(token);
  if (existing) return existing.outcome;
  const outcome = run();
  recentRefreshes.set(token, { outcome, until: now + REFRESH_SHARE_MS });
  outcome.catch(() => recentRefreshes.delete(token));
  return outcome;
}

async function cookieSession(
  req: Request,
  state: State,
  secure: boolean,
): Promise<{ session: AccessClaims | null; setCookies?: string[] }> {
  const cookies = req.headers.get("Cookie");
  const access = readCookie(cookies, ACCESS_COOKIE);
  if (access) {
    const verified = verifyAccessToken(state.jwtSecret, access);
    if ("claims" in verified) return { session: verified.claims };
  }
  const refreshToken = readCookie(cookies, REFRESH_COOKIE);
  if (!refreshToken) return { session: null };
  const device = await deviceFingerprint(req);
  const outcome = await sharedRefresh(
    refreshToken,
    () => refreshSession(state.db, state.jwtSecret, { refreshToken, device }),
  );
  if (!outcome.ok) return { session: null, setCookies: clearedSessionCookies(secure) };
  const verified = verifyAccessToken(state.jwtSecret, outcome.accessToken);
  return {
    session: "claims" in verified ? verified.claims : null,
    setCookies: sessionCookies(outcome, secure),
  };
}

export const tenantContext = define.middleware(async function tenantContext(ctx) {
  ctx.state.session = null;
  let setCookies: string[] | undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.get("Authorization") ?? "")?.[1];
  if (bearer) {
    const verified = verifyAccessToken(ctx.state.jwtSecret, bearer);
    if ("problem" in verified) throw invalidBearer(verified.problem);
    ctx.state.session = verified.claims;
  } else if (ctx.req.headers.has("Cookie")) {
    const found = await cookieSession(ctx.req, ctx.state, isSecureContext(ctx.url));
    ctx.state.session = found.session;
    setCookies = found.setCookies;
  }
  const askedTenant = ctx.req.headers.get("x-tenant-id");
  if (
    askedTenant && ctx.state.session &&
    askedTenant !== ctx.state.session.app_metadata.tenant_id
  ) {
    throw new HttpError(403, "You are signed in to another school.");
  }
  const response = await ctx.next();
  return setCookies ? withCookies(response, setCookies) : response;
});

/** For API routes that need a signed-in person: their claims, or 401. */
export function requireSession(state: State): AccessClaims {
  if (!state.session) {
    throw new HttpError(401, "Please sign in to continue.", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  return state.session;
}
