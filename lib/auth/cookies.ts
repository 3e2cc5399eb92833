/**
 * The session cookies (ARCHITECTURE §6): httpOnly, SameSite=Lax, Secure except on localhost.
 * The access cookie holds the 15-minute JWT and lives as long as the refresh cookie, so the
 * middleware can see an expired one and refresh it silently.
 */
export const ACCESS_COOKIE = "elymica_access";
export const REFRESH_COOKIE = "elymica_refresh";
const SEVEN_DAYS = 7 * 24 * 60 * 60;

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Plain HTTP to localhost is how development runs; everything else must be HTTPS. */
export function isSecureContext(url: URL): boolean {
  return !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

function cookie(name: string, value: string, maxAge: number, secure: boolean): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAge}; HttpOnly; ` +
    `SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function sessionCookies(
  tokens: { accessToken: string; refreshToken: string },
  secure: boolean,
): string[] {
  return [
    cookie(ACCESS_COOKIE, tokens.accessToken, SEVEN_DAYS, secure),
    cookie(REFRESH_COOKIE, tokens.refreshToken, SEVEN_DAYS, secure),
  ];
}

export function clearedSessionCookies(secure: boolean): string[] {
  return [cookie(ACCESS_COOKIE, "", 0, secure), cookie(REFRESH_COOKIE, "", 0, secure)];
}

/** A copy of `response` that also sets `cookies` (responses from handlers may be immutable). */
export function withCookies(response: Response, cookies: string[]): Response {
  const headers = new Headers(response.headers);
  for (const value of cookies) headers.append("Set-Cookie", value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
