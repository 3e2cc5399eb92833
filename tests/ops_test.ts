/** The dashboard and alerts must query metrics the app really exports. */
import assert from "node:assert/strict";
import { OUTBOX_GAUGE, renderMetrics, VIDEO_LESSONS_GAUGE } from "../lib/metrics.ts";

const read = (path: string) => Deno.readTextFile(new URL(`../${path}`, import.meta.url));
const exported = new Set(
  [
    ...renderMetrics(
      [OUTBOX_GAUGE, VIDEO_LESSONS_GAUGE].map((name) => ({ name, help: "", values: [] })),
    ).matchAll(
      /^# TYPE (\w+) (\w+)$/gm,
    ),
  ].flatMap(([, name, type]) =>
    type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name]
  ),
);

for (const file of ["ops/prometheus/alerts.yml", "ops/grafana/auth-dashboard.json"]) {
  Deno.test(`${file} refers only to exported metrics`, async () => {
    const text = await read(file);
    const used = new Set(text.match(/elymica_\w+/g) ?? []);
    assert.ok(used.size > 0);
    for (const name of used) assert.ok(exported.has(name), `${name} is not exported`);
  });
}

Deno.test("the alerts cover failed sign-ins over 100/min and 5xx over 5%", async () => {
  const alerts = await read("ops/prometheus/alerts.yml");
  assert.match(alerts, /elymica_sign_ins_total\{outcome!="success"\}[^\n]*> 100/);
  assert.match(alerts, /status=~"5\.\."[\s\S]*> 0\.05/);
});

Deno.test("the dashboard is valid JSON with panels", async () => {
  const dashboard = JSON.parse(await read("ops/grafana/auth-dashboard.json"));
  assert.ok(dashboard.panels.length >= 4);
});

Deno.test("an alert fires when the video worker has given up on a lesson", async () => {
  const alerts = await read("ops/prometheus/alerts.yml");
  assert.match(alerts, /elymica_video_lessons\{status="dead"\}[^\n]*> 0/);
});
