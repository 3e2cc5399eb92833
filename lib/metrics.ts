/**
 * Prometheus metrics (OBS-1) in the text exposition format, kept in process: requests by
 * route and status, a latency histogram, sign-ins by outcome. Gauges that the database knows
 * (the outbox) are read when scraped. Labels are route patterns, never raw paths or people.
 */
import type { RequestDone } from "./fresh/middleware_stack.ts";
import type { Db } from "./db/types.ts";

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Labels = Record<string, string>;
const key = (labels: Labels) =>
  Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`).join(",");

class Counter {
  readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels, by = 1) {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.values].map(([k, v]) => `${this.name}{${k}} ${v}`),
    ];
  }
}

class Histogram {
  readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string) {}
  observe(labels: Labels, seconds: number) {
    const k = key(labels);
    const s = this.series.get(k) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((le, i) => seconds <= le && s.counts[i]++);
    s.sum += seconds;
    s.count++;
    this.series.set(k, s);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      BUCKETS.forEach((le, i) => lines.push(`${this.name}_bucket{${k},le="${le}"} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket{${k},le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum{${k}} ${s.sum}`, `${this.name}_count{${k}} ${s.count}`);
    }
    return lines;
  }
}

export const httpRequests = new Counter(
  "elymica_http_requests_total",
  "HTTP requests by method, route pattern and status.",
);
export const httpDuration = new Histogram(
  "elymica_http_request_duration_seconds",
  "Time to answer HTTP requests, by route pattern.",
);
export const signIns = new Counter(
  "elymica_sign_ins_total",
  "Sign-in attempts by outcome (success, invalid_credentials, locked, disabled, refused).",
);

export const catalogCacheRequests = new Counter(
  "elymica_catalog_cache_requests_total",
  "Catalog pages asked for, by result: hit (answered from memory) or miss (read from the database).",
);

export function recordRequest(done: RequestDone) {
  httpRequests.inc({ method: done.method, route: done.route, status: String(done.status) });
  httpDuration.observe({ route: done.route }, done.durationMs / 1000);
}

const OUTCOMES: Record<string, string> = {
  EL401: "invalid_credentials",
  EL403: "disabled",
  EL429: "locked",
};

export function recordSignIn(outcome: { ok: boolean; code?: string }) {
  signIns.inc({ outcome: outcome.ok ? "success" : OUTCOMES[outcome.code ?? ""] ?? "refused" });
}

export interface Gauge {
  name: string;
  help: string;
  values: { labels: Labels; value: number }[];
}

export function renderMetrics(gauges: Gauge[] = []): string {
  const lines = [httpRequests, httpDuration, signIns, catalogCacheRequests].flatMap((m) =>
    m.render()
  );
  for (const gauge of gauges) {
    lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
    for (const { labels, value } of gauge.values) {
      lines.push(`${gauge.name}${Object.keys(labels).length ? `{${key(labels)}}` : ""} ${value}`);
    }
  }
  return lines.join("\n") + "\n";
}

export const OUTBOX_GAUGE = "elymica_outbox_messages";
export const VIDEO_LESSONS_GAUGE = "elymica_video_lessons";

/** A gauge of how many things are in each state, read from the database when scraped. */
async function countsByStatus(db: Db, name: string, help: string, sql: string): Promise<Gauge> {
  const rows = await db.asService((q) => q<{ status: string; count: number }>(sql));
  return {
    name,
    help,
    values: rows.map((r) => ({ labels: { status: r.status }, value: r.count })),
  };
}

/** The outbox by state. */
export const outboxGauge = (db: Db) =>
  countsByStatus(
    db,
    OUTBOX_GAUGE,
    "Notification outbox messages by state (pending + sending is the depth).",
    "select status, messages as count from private.outbox_depth()",
  );

/** Video lessons by their current file's transcoding state. */
export const videoLessonsGauge = (db: Db) =>
  countsByStatus(
    db,
    VIDEO_LESSONS_GAUGE,
    "Video lessons by their current file's transcoding state (dead: the worker gave up).",
    "select status, lessons as count from private.video_job_states()",
  );
