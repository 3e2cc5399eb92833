/**
 * Where a form may send people afterwards: a path on our own origin, never another site
 * (an open redirect would let a phishing link borrow our name).
 */
export function sameSitePath(
  candidate: string | null | undefined,
  here: URL,
  fallback = "/",
): string {
  if (!candidate || !/^(\/|https?:\/\/)/i.test(candidate)) return fallback;
  try {
    const target = new URL(candidate, here);
    const path = target.pathname + target.search;
    // "//evil.example" would be read by the browser as another host.
    if (target.origin === here.origin && !path.startsWith("//")) return path;
  } catch {
    // malformed
  }
  return fallback;
}
