/** OBS-1: /metrics in Prometheus text format, behind a token, labelled by route pattern. */
import assert from "node:assert/strict";
import { createElymicaApp } from "../lib/app.ts";
import { openTestDatabase } from "./support/database.ts";
import { call, quietLog, testJwtSecret } from "./support/app.ts";

const metricsToken = "metrics-password-for-tests";
const basic = (password: string) => ({ Authorization: `Basic ${btoa(`prometheus:${password}`)}` });

Deno.test("/metrics is off without a token, and refuses a wrong password", async () => {
  const t = await openTestDatabase();
  try {
    const off = await createElymicaApp({ db: t.db, jwtSecret: testJwtSecret, log: quietLog() });
    const closed = await call(off, "/metrics", { headers: basic(metricsToken) });
    assert.equal(closed.status, 404);
    await closed.body?.cancel();
    const on = await createElymicaApp({
      db: t.db,
      jwtSecret: testJwtSecret,
      metricsToken,
      log: quietLog(),
    });
    for (const headers of [{}, basic("wrong-password-123"), { Authorization: "Basic !!!" }]) {
      const refused = await call(on, "/metrics", { headers });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get("WWW-Authenticate") ?? "", /Basic/);
      await refused.body?.cancel();
    }
  } finally {
    await t.close();
  }
});

Deno.test("/metrics counts requests by route pattern and status, with a latency histogram", async () => {
  const t = await openTestDatabase();
  try {
    const app = await createElymicaApp({
      db: t.db,
      jwtSecret: testJwtSecret,
      metricsToken,
      log: quietLog(),
    });
    const scrape = async () =>
      await (await call(app, "/metrics", { headers: basic(metricsToken) })).text();
    const before = await scrape();
    const count = (text: string, series: string) =>
      Number(new RegExp(`^${series.replace(/[{}"/]/g, "\\$&")} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
    const health = 'elymica_http_requests_total{method="GET",route="/api/health",status="200"}';
    const missing = 'elymica_http_requests_total{method="GET",route="unmatched",status="404"}';
    await (await call(app, "/api/health")).body?.cancel();
    await (await call(app, "/api/health")).body?.cancel();
    await (await call(app, "/no/such/page/12345")).body?.cancel();
    const after = await scrape();
    assert.equal(count(after, health) - count(before, health), 2);
    assert.equal(count(after, missing) - count(before, missing), 1);
    assert.doesNotMatch(after, /12345/, "raw paths never become labels");
    assert.match(after, /# TYPE elymica_http_request_duration_seconds histogram/);
    assert.match(after, /^elymica_outbox_messages\{status="pending"\} 0$/m);
    assert.match(after, /^elymica_video_lessons\{status="dead"\} 0$/m);
    assert.match(
      after,
      /elymica_http_request_duration_seconds_bucket\{route="\/api\/health",le="\+Inf"\} \d+/,
    );
  } finally {
    await t.close();
  }
});
