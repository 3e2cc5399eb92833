/**
 * Debian's Chromium for the browser tests, never a downloaded one. Where it is missing the
 * tests are skipped with a loud banner — unless REQUIRE_BROWSER=1 (CI), where that fails.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../lib/demo.ts";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") || "/usr/bin/chromium";
export const REQUIRED = Deno.env.get("REQUIRE_BROWSER") === "1";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export const found = await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false);
if (!found) {
  const line = "!".repeat(78);
  console.error(
    `\n${line}\n  BROWSER TESTS NOT RUN: no Chromium at ${CHROMIUM} — install it with: ` +
      `apt-get install -y chromium\n${line}\n`,
  );
}

/** Skipped without a browser, except where one is required. */
export const skipWithoutBrowser = !found && !REQUIRED;

export async function launch(): Promise<Browser> {
  if (!found) throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${CHROMIUM}`);
  return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * Console errors, uncaught exceptions, CSP violations and failed or 4xx/5xx requests (a failed one
 * with the browser's reason, e.g. net::ERR_ABORTED).
 */
export function watch(
  page: Page,
  allowStatus: (url: string, status: number) => boolean = () => false,
  allowFailed: (url: string, reason: string) => boolean = () => false,
): string[] {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => {
    const reason = r.failure()?.errorText ?? "";
    if (!allowFailed(r.url(), reason)) problems.push(`failed: ${r.url()} (${reason})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !allowStatus(r.url(), r.status())) {
      problems.push(`${r.status()}: ${r.url()}`);
    }
  });
  return problems;
}

/** Signs a demo account in through the sign-in form and waits for the page it was sent to. */
export async function signInAs(page: Page, base: string, email: string, next = "/portal") {
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${base}${next}`);
}
