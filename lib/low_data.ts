/**
 * "Low-data mode": a reader's choice, for 3G and prepaid bundles, that pages send less
 * (no images or previews, fewer items per page). Kept in a plain cookie so it works without
 * JavaScript and without an account; it is a preference, not a secret, hence not HttpOnly.
 */
export const LOW_DATA_COOKIE = "low_data";
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export function lowDataCookie(enabled: boolean, secure: boolean): string {
  return `${LOW_DATA_COOKIE}=${
    enabled ? 1 : 0
  }; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax` +
    (secure ? "; Secure" : "");
}

/** Reads the choice from a Cookie header; off unless the cookie says 1. */
export function readLowData(cookieHeader: string | null): boolean {
  return (cookieHeader ?? "").split(";").some((part) => part.trim() === `${LOW_DATA_COOKIE}=1`);
}
