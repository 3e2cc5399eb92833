import { define } from "../lib/state.ts";
import { HttpError } from "../lib/fresh/mod.ts";
import { outboxGauge, renderMetrics, videoLessonsGauge } from "../lib/metrics.ts";

/** Compares without leaking, through timing, how much of a guess was right. */
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i] ?? 0) ^ b[i];
  return difference === 0;
}

/**
 * OBS-1: Prometheus scrapes this with basic auth (any user, METRICS_TOKEN as the password).
 * Off (404) when no token is configured, so it is never open by accident.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const token = ctx.state.metricsToken;
    if (!token) throw new HttpError(404);
    const basic = /^Basic\s+(\S+)$/i.exec(ctx.req.headers.get("Authorization") ?? "")?.[1];
    let password = "";
    try {
      password = basic ? atob(basic).split(":").slice(1).join(":") : "";
    } catch {
      // not base64: no password
    }
    if (!sameSecret(password, token)) {
      throw new HttpError(401, "Metrics need the metrics password.", {
        headers: { "WWW-Authenticate": 'Basic realm="metrics"' },
      });
    }
    const gauges = await Promise.all([outboxGauge(ctx.state.db), videoLessonsGauge(ctx.state.db)]);
    return new Response(renderMetrics(gauges), {
      headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  },
});
