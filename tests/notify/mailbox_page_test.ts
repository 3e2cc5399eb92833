/** `/dev/mailbox` through the real app: lists what the development mailbox received; 404 otherwise. */
import assert from "node:assert/strict";
import { createElymicaApp } from "../../lib/app.ts";
import { DevMailbox } from "../../lib/notify/dev_mailbox.ts";
import { startOutboxWorker } from "../../lib/notify/worker.ts";
import { openTestDatabase } from "../support/database.ts";
import { call, quietLog, testJwtSecret } from "../support/app.ts";
import { capturedLog, enqueue } from "./helpers.ts";

Deno.test("the development mailbox page lists messages newest first, escaped, without script", async () => {
  const t = await openTestDatabase();
  const mailbox = new DevMailbox();
  const worker = startOutboxWorker({
    db: t.db,
    transports: { email: mailbox, sms: mailbox },
    log: capturedLog().log,
    pollMs: 60_000,
  });
  try {
    await worker.ready;
    await enqueue(
      t.db,
      "email",
      "parent@school.test",
      "<script>alert(1)</script> Your code",
      "Hello,\nyour code is 482913 & <b>not bold</b>.",
    );
    await enqueue(t.db, "sms", "+254712345678", "sign-in code", "Your Elymica code is 771204");
    await worker.drain();
    await worker.stop();
    await enqueue(t.db, "email", "later@school.test", "Queued", "Not sent yet");

    const app = await createElymicaApp({
      db: t.db,
      jwtSecret: testJwtSecret,
      log: quietLog(),
      mailbox,
    });
    const res = await call(app, "/dev/mailbox");
    const html = await res.text();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("Cache-Control"), "no-store");
    assert.equal(res.headers.get("X-Robots-Tag"), "noindex");
    assert.ok(!/<script/i.test(html), "no script, and the subject's is escaped");
    assert.ok(html.includes("&lt;script>alert(1)&lt;/script> Your code"), "subject escaped");
    assert.ok(html.includes("your code is 482913 &amp; &lt;b>not bold&lt;/b>."), "body escaped");
    assert.ok(html.includes("Your Elymica code is 771204"));
    const order = ["later@school.test", "+254712345678", "parent@school.test"].map((text) =>
      html.indexOf(text)
    );
    assert.ok(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1])), `${order}`);
    assert.match(html, /data-status="pending">pending</);
    assert.match(html, /Not sent yet\./);
    assert.equal((html.match(/data-status="sent"/g) ?? []).length, 2);

    const home = await (await call(app, "/")).text();
    assert.ok(!home.includes("/dev/mailbox"), "not linked from the home page");
  } finally {
    await worker.stop();
    await t.close();
  }
});

Deno.test("without the development mailbox the page does not exist", async () => {
  const t = await openTestDatabase();
  try {
    const app = await createElymicaApp({ db: t.db, jwtSecret: testJwtSecret, log: quietLog() });
    const res = await call(app, "/dev/mailbox");
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    await t.close();
  }
});
