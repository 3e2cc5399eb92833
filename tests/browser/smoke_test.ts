/**
 * The real app in a real browser: the landing page loads under the CSP with no console
 * errors, the low-data island hydrates and works without a reload, the choice survives a
 * reload, and with JavaScript off the same form still works.
 *
 * Without Chromium this test is skipped with a loud banner, unless REQUIRE_BROWSER=1 (CI),
 * where a missing browser is a failure.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launch, skipWithoutBrowser, watch } from "../support/browser.ts";
import { fileURLToPath } from "node:url";
import type { Db } from "../../lib/db/types.ts";
import { createApp } from "../../lib/fresh/mod.ts";
import { createLogger } from "../../lib/log.ts";
import type { State } from "../../lib/state.ts";

Deno.test({
  name: "browser: landing page, island hydration, low-data toggle with and without JS",
  ignore: skipWithoutBrowser,
  async fn() {
    const app = await createApp<State>({
      rootDir: fileURLToPath(new URL("../..", import.meta.url)),
      // The pages under test never touch the database (the landing page must not need one).
      state: { db: null as unknown as Db },
      log: createLogger(() => {}),
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    let browser: Browser | undefined;
    try {
      browser = await launch();

      // --- with JavaScript ---
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = watch(page);
      await page.addInitScript(() => {
        const w = globalThis as unknown as { cspViolations: string[] };
        w.cspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) => {
          w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      await page.goto(base + "/");
      assert.equal(
        await page.locator("h1").first().textContent(),
        "School, in one place. Even on 3G.",
      );
      await page.locator('[data-testid="low-data"][data-hydrated="true"]').waitFor({
        timeout: 10_000,
      });
      const state = page.getByTestId("low-data-state");
      const toggle = page.getByTestId("low-data-toggle");
      assert.equal(await state.textContent(), "Low-data mode: off");
      assert.equal(await toggle.getAttribute("aria-pressed"), "false");

      // A marker on window survives only if the click does not navigate.
      await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
      await toggle.click();
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="low-data-state"]')?.textContent ===
          "Low-data mode: on"
      );
      assert.equal(await toggle.getAttribute("aria-pressed"), "true");
      assert.equal(await page.evaluate(() => document.documentElement.dataset.lowData), "on");
      assert.equal(
        await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker),
        42,
        "no page reload",
      );

      await page.reload();
      assert.equal(await page.getByTestId("low-data-state").textContent(), "Low-data mode: on");
      assert.equal(await page.locator("html").getAttribute("data-low-data"), "on");
      const violations = await page.evaluate(() =>
        (globalThis as unknown as { cspViolations: string[] }).cspViolations
      );
      assert.deepEqual(violations, [], "no CSP violations");
      assert.deepEqual(problems, [], "no console errors or failed requests");
      await context.close();

      // --- without JavaScript: the same form posts and redirects back ---
      const noJs = await browser.newContext({ javaScriptEnabled: false });
      const plain = await noJs.newPage();
      const plainProblems = watch(plain);
      await plain.goto(base + "/");
      assert.equal(await plain.getByTestId("low-data-state").textContent(), "Low-data mode: off");
      const [post] = await Promise.all([
        plain.waitForRequest((r) => r.method() === "POST"),
        plain.waitForEvent("framenavigated"),
        plain.getByTestId("low-data-toggle").click(),
      ]);
      assert.equal(post.url(), base + "/preferences/low-data");
      await plain.waitForLoadState("load");
      assert.equal(plain.url(), base + "/", "redirected back to the page it came from");
      assert.equal(await plain.getByTestId("low-data-state").textContent(), "Low-data mode: on");
      assert.deepEqual(plainProblems, []);
      await noJs.close();
    } finally {
      await browser?.close();
      await server.shutdown();
    }
  },
});
