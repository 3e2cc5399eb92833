/**
 * The Sprint 4 story in a real browser, as a school would live it: an admin invites a student,
 * the code is read from the development mailbox, the student sets a password, signs in, sees
 * the dashboard, reloads and is still signed in, and signs out.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launch, skipWithoutBrowser, watch } from "../support/browser.ts";
import { openTestDatabase } from "../support/database.ts";
import { quietLog, testJwtSecret } from "../support/app.ts";
import { createElymicaApp } from "../../lib/app.ts";
import { DevMailbox, startOutboxWorker } from "../../lib/notify/mod.ts";
import { DEMO_PASSWORD } from "../../lib/demo.ts";

Deno.test({
  name: "browser: admin invites a student, who verifies the code, signs in, reloads, signs out",
  ignore: skipWithoutBrowser,
  async fn() {
    const t = await openTestDatabase({ seed: true });
    const mailbox = new DevMailbox();
    const worker = startOutboxWorker({
      db: t.db,
      transports: { email: mailbox, sms: mailbox },
      log: quietLog(),
    });
    const app = await createElymicaApp({
      db: t.db,
      jwtSecret: testJwtSecret,
      log: quietLog(),
      mailbox,
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    let browser: Browser | undefined;
    try {
      await worker.ready;
      browser = await launch();
      const page = await (await browser.newContext()).newPage();
      // The wrong code typed on purpose is answered 401; nothing else may fail.
      const problems = watch(page, (url, status) => url.endsWith("/verify") && status === 401);

      // The admin signs in and invites a student.
      await page.goto(`${base}/portal/admin/people`);
      assert.match(page.url(), /\/signin\?next=/, "signed-out visitors are sent to sign in");
      await page.fill('input[name="email"]', "admin1@nairobi.demo.elymica.test");
      await page.fill('input[name="password"]', DEMO_PASSWORD);
      await page.click('button[type="submit"]');
      await page.waitForURL(`${base}/portal/admin/people`);
      await page.fill('input[name="fullName"]', "Njeri Wambui");
      await page.fill('input[name="email"]', "njeri.wambui@nairobi.demo.elymica.test");
      await page.selectOption('select[name="role"]', "student");
      await page.click('text="Send invitation"');
      await page.locator("text=Invitation sent to Njeri Wambui.").waitFor();
      assert.match(
        await page.locator('[data-testid="people"]').innerText(),
        /Njeri Wambui\s+student[\s\S]*invited/,
      );
      await page.goto(`${base}/portal`);
      await page.click('button:has-text("Sign out")');
      await page.waitForURL(`${base}/signin`);

      // The code, as the student receives it.
      await worker.drain();
      await page.goto(`${base}/dev/mailbox`);
      const inbox = await page.locator("main").innerText();
      const code = /Your code is (\d{6})/.exec(inbox)?.[1];
      const link = /(http:\/\/127\.0\.0\.1:\d+\/verify\?person=[0-9a-f-]{36})/.exec(inbox)?.[1];
      assert.ok(code && link, `the invitation is in the mailbox:\n${inbox}`);

      // A wrong code first, then the right one, digit by digit in the island's boxes.
      await page.goto(link);
      await page.locator('[data-testid="otp"][data-enhanced="true"]').waitFor();
      const wrong = code === "000000" ? "111111" : "000000";
      await page.locator('[data-testid="otp-0"]').focus();
      await page.keyboard.type(wrong);
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        "password",
        "a complete code moves on to the password",
      );
      await page.fill('input[name="password"]', "Nairobi-Rain-2026");
      await page.fill('input[name="confirm"]', "Nairobi-Rain-2026");
      await page.click('text="Activate my account"');
      await page.locator("text=That code is not right.").waitFor();
      await page.locator('[data-testid="otp"][data-enhanced="true"]').waitFor();
      await page.fill('input[name="password"]', "Nairobi-Rain-2026");
      await page.fill('input[name="confirm"]', "Nairobi-Rain-2026");
      await page.locator('[data-testid="otp-0"]').focus();
      await page.keyboard.type(code); // the passwords are filled: the last digit sends the form
      await page.waitForURL(`${base}/signin?verified=1`);

      // The student signs in, sees the dashboard, reloads, and is still signed in.
      await page.fill('input[name="email"]', "njeri.wambui@nairobi.demo.elymica.test");
      await page.fill('input[name="password"]', "Nairobi-Rain-2026");
      await page.click('button[type="submit"]');
      await page.waitForURL(`${base}/portal`);
      assert.equal(
        await page.locator('[data-testid="welcome"]').innerText(),
        "Welcome, Njeri Wambui",
      );
      await page.reload();
      assert.equal(
        await page.locator('[data-testid="welcome"]').innerText(),
        "Welcome, Njeri Wambui",
      );
      await page.click('button:has-text("Sign out")');
      await page.waitForURL(`${base}/signin`);
      await page.goto(`${base}/portal`);
      assert.match(page.url(), /\/signin\?next=%2Fportal/, "signed out for good");
      // The browser logs the wrong code's 401 answer once; nothing else may go wrong.
      const expected = (p: string) => /status of 401/.test(p);
      assert.equal(problems.filter(expected).length, 1);
      assert.deepEqual(problems.filter((p) => !expected(p)), []);
    } finally {
      await browser?.close();
      await server.shutdown();
      await worker.stop();
      await t.close();
    }
  },
});
