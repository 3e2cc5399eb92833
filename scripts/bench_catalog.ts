/**
 * `deno task bench:catalog [--duration 10] [--warmup 2] [--connections 100] [--client deno|node]
 * [--courses 1000] [--sweep 10,25,50] [--changes 2,20]`: P50/P95/P99 and requests/s of the course
 * catalog (LMS-1) on the real app and a real PostgreSQL server, beside a bare handler that runs
 * the same SQL without the framework, in the same run; the API without filters again while
 * `--changes` enrolments a second change (each a new catalog version, so the app's kept pages go
 * out of date); the app's API without filters again at each `--sweep`
 * number of connections (where P95 crosses a target, as the load grows); EXPLAIN (ANALYZE, BUFFERS) of the catalog's queries for a filtered page and a
 * search; then the "bench:catalog" section of docs/benchmarks.md is rewritten.
 *
 * The admin URL is DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres (a superuser:
 * the plans are read through auto_explain). A throwaway `elymica_bench_*` database is created
 * there, migrated, seeded with the demo schools plus `--courses` more courses in each school
 * (scripts/bench_catalog_data.ts), and dropped at the end. There is no embedded fallback: the
 * catalog is measured where schools run it.
 *
 * Four request mixes, each against the app and against the bare handler: the API without filters
 * (pages all through the catalog, three sorts), with subject/grade filters, with a search, and the
 * catalog page `/portal/courses` (a mix of the three). Every request is a signed-in student's
 * (Bearer for the API, the session cookie for the page); every answer must be 200.
 *
 * Process layout as in scripts/bench_web.ts: this script orchestrates, `--serve app` runs the
 * app, `--serve bare` the bare handler (Deno.serve + lib/db/server.ts), scripts/loadgen.mjs is the
 * client.
 */
import postgres from "postgres";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEMO_PASSWORD } from "../lib/demo.ts";
import { CATALOG_SQL, catalogParams, type CatalogQuery } from "../lib/catalog.ts";
import { withLogin } from "../lib/config.ts";
import { SESSION_SETUP, sessionParams } from "../lib/db/session.ts";
import {
  backendCpuSeconds,
  DOC,
  type LoadResult,
  machine,
  onTerminate,
  runLoad,
  scratch,
  serveApp,
  type Server,
  shownUrl,
  spawnServer,
  throwawayDatabase,
  writeModeSection,
} from "./bench_support.ts";
import {
  BENCH_GRADES,
  BENCH_SUBJECTS,
  fillBenchCatalog,
  type FilledCatalog,
} from "./bench_catalog_data.ts";

const SELF = fileURLToPath(import.meta.url);
const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
/** The signed-in student of every request: Nairobi, 1000 + 13 courses, enrolled in some. */
const STUDENT = "student1@nairobi.demo.elymica.test";
/** Other CPU (% of one core) from which a row is reported as measured on a busy machine. */
const BUSY_PERCENT = 30;
/** The filtered page and the search whose plans are printed (and checked). */
const EXPLAINED = {
  filtered: "subject=mathematics&page=2&limit=20",
  search: "q=revision&limit=20",
};

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    serve: { type: "string" },
    "claims-file": { type: "string" },
    connections: { type: "string", default: "100" },
    warmup: { type: "string", default: "2" },
    duration: { type: "string", default: "10" },
    client: { type: "string", default: "deno" },
    courses: { type: "string", default: "1000" },
    sweep: { type: "string", default: "10,25,50" },
    changes: { type: "string", default: "2,20" },
  },
});

// ---------------------------------------------------------------------------------------------
// The catalog's parameters from a query string, read without zod (the bare handler does no
// validation; the bench's URLs are all valid) and put in CATALOG_SQL's order by lib/catalog.ts.

function queryParams(search: URLSearchParams): unknown[] {
  return catalogParams({
    page: Number(search.get("page") ?? 1),
    limit: Number(search.get("limit") ?? 20),
    subject: search.get("subject") || undefined,
    grade: search.get("grade") || undefined,
    q: search.get("q") || undefined,
    sort: (search.get("sort") ?? "title") as CatalogQuery["sort"],
    order: (search.get("order") ?? "asc") as CatalogQuery["order"],
    mine: search.get("mine") === "true",
  });
}

// ---------------------------------------------------------------------------------------------
// The bare handler (child process): the same SQL through the same database layer
// (lib/db/server.ts: the web login's pool, the role and claims set-up, one round trip per
// statement) with no framework around it — no routing, middleware, token check (the claims are
// the student's, read once), zod, logging or gzip.

async function serveBare(claimsFile: string) {
  const claims = JSON.parse(await Deno.readTextFile(claimsFile));
  const { openServer } = await import("../lib/db/server.ts");
  const webUrl = Deno.env.get("BENCH_WEB_URL")!;
  const db = openServer({
    webUrl,
    jobsUrl: webUrl,
    poolSize: Number(Deno.env.get("DATABASE_POOL_SIZE") ?? 10),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const search = new URL(req.url).searchParams;
    const params = queryParams(search);
    try {
      const rows = await db.userStatement<{ total: string }>(claims, CATALOG_SQL, params);
      return Response.json({
        courses: rows,
        total: rows.length ? Number(rows[0].total) : 0,
        page: Number(search.get("page") ?? 1),
        limit: params[5],
      });
    } catch (error) {
      return Response.json({ error: (error as Error).message }, { status: 500 });
    }
  });
  onTerminate(async () => {
    await server.shutdown();
    await db.close();
  });
  console.error(`listening http://127.0.0.1:${server.addr.port}/`);
}

// ---------------------------------------------------------------------------------------------
// Orchestrator.

interface Mix {
  name: string;
  /** Paths requested in turn (scripts/loadgen.mjs --paths-file). */
  paths: string[];
  headers: Record<string, string>;
}

interface Measured extends LoadResult {
  connections: number;
  pgCpu: number;
  /** The app's catalog cache over the run (warm-up included): answers from memory, and all. */
  cache?: { hits: number; requests: number };
  /** Enrolments changed per second while it ran (the churn row). */
  changesPerSecond?: number;
}

interface Row {
  mix: Mix;
  app: Measured;
  bare: Measured;
}

/** The throwaway database's name: its backends' process titles carry it. */
let benchDbName: string | undefined;

async function bench() {
  const explicitUrl = Deno.env.get("DATABASE_URL") || undefined;
  const adminUrl = explicitUrl ?? DEFAULT_ADMIN_URL;
  const unreachable = await unreachableWhy(adminUrl);
  if (unreachable) {
    throw new Error(
      `bench:catalog needs a PostgreSQL server: ${shownUrl(adminUrl)} does not answer ` +
        `(${unreachable}). Set DATABASE_URL to a superuser's connection.`,
    );
  }
  const { tmp, cleanups, dispose } = await scratch();
  try {
    const db = await throwawayDatabase(
      adminUrl,
      cleanups,
      `migrated, seeded with the demo schools and ${flags.courses} more courses a school`,
    );
    benchDbName = new URL(db.url).pathname.slice(1);
    const filled = await prepare(db.url);
    const webUrl = withLogin(db.url, "elymica_web");

    const app = await spawnServer(SELF, "app", [], {
      DATABASE_URL: db.url,
      DATABASE_WEB_URL: "",
      DATABASE_JOBS_URL: "",
      DATA_DIR: tmp,
      PORT: "0",
      // The seeded demo videos would otherwise be transcoded while the load runs.
      VIDEO_TRANSCODE: "off",
      // Read before and after each run, for the catalog cache's hits.
      METRICS_TOKEN,
    }, `${tmp}/app.log`);
    cleanups.push(app.stop);
    const token = await signIn(app.url);
    const claimsFile = `${tmp}/claims.json`;
    await Deno.writeTextFile(claimsFile, JSON.stringify(jwtClaims(token)));
    const bare = await spawnServer(SELF, "bare", ["--claims-file", claimsFile], {
      BENCH_WEB_URL: webUrl,
    }, `${tmp}/bare.log`);
    cleanups.push(bare.stop);

    const mixes = await buildMixes(app.url, token);
    const plans = {
      filtered: await explainCatalog(db.url, token, EXPLAINED.filtered),
      search: await explainCatalog(db.url, token, EXPLAINED.search),
    };
    // The filtered page must be served from an index, never by reading every course.
    const seqScan = plans.filtered.find((p) => /Seq Scan on courses\b/.test(p));
    if (seqScan) {
      console.error(seqScan);
      throw new Error(
        `the filtered catalog page (${EXPLAINED.filtered}) scans courses sequentially`,
      );
    }

    // One load at a time: on two cores, concurrent runs would measure each other.
    const rows: Row[] = [];
    for (const mix of mixes) {
      const appRun = await load(app, mix, tmp);
      const bareRun = await load(bare, mix, tmp);
      rows.push({ mix, app: appRun, bare: bareRun });
    }
    // The first mix again while enrolments change, as at the start of a term: each change is a
    // new catalog version of the school, so the app's kept pages keep going out of date.
    for (const perSecond of changeRates()) {
      const churn = { ...mixes[0], name: `${mixes[0].name}, ${perSecond} enrolment changes/s` };
      const changing = () => changeEnrolments(db.url, perSecond);
      rows.push({
        mix: churn,
        app: await load(app, churn, tmp, undefined, changing),
        bare: await load(bare, churn, tmp, undefined, changing),
      });
    }
    // The same mix as the first row, against the app at fewer connections.
    const sweep: Measured[] = [];
    for (const connections of sweepConnections()) {
      sweep.push(await load(app, mixes[0], tmp, connections));
    }
    const everyRun = [
      ...rows.flatMap((
        row,
      ) => [[`app ${row.mix.name}`, row.app], [`bare ${row.mix.name}`, row.bare]]),
      ...sweep.map((r) => [`app ${mixes[0].name} at ${r.connections} connections`, r]),
    ] as [string, Measured][];
    const failures = everyRun.filter(([, r]) =>
      r.errors || !r.requests || r.statuses["200"] !== r.requests
    ).map(([name, r]) =>
      `${name}: ${r.errors} errors (${r.firstError ?? "-"}), ${r.non2xx} non-2xx, statuses ` +
      `${JSON.stringify(r.statuses)}, first ${JSON.stringify(r.firstNon2xx ?? null)}`
    );
    if (failures.length) {
      const tail = (await Deno.readTextFile(`${tmp}/app.log`)).slice(-3000);
      throw new Error(`not every request got 200:\n  ${failures.join("\n  ")}\napp log:\n${tail}`);
    }

    for (const [name, list] of Object.entries(plans)) {
      console.log(`\nEvery plan of the ${name} call that reads courses:\n\n${list.join("\n\n")}`);
    }
    const block = await describeRun(db.description, filled, rows, sweep, plans);
    console.log(`\n${block}`);
    await writeModeSection("## bench:catalog", INTRO, MODE_TITLES, "postgres", block);
    console.log(`written to ${DOC}`);
    const busy = busyMachine(rows);
    if (busy) console.error(`\n!!! ${busy}\n`);
  } finally {
    await dispose();
  }
}

async function unreachableWhy(url: string): Promise<string | undefined> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** Migrations, the demo schools and the bench catalog, by the owner. */
async function prepare(url: string): Promise<FilledCatalog> {
  const { openOwner } = await import("../lib/db/server.ts");
  const { prepareDatabase } = await import("../lib/db/mod.ts");
  const { seedIfEmpty } = await import("../lib/db/seed.ts");
  const owner = openOwner(url);
  try {
    await prepareDatabase(owner);
    if (!(await seedIfEmpty(owner))) throw new Error("the new database was not empty");
    console.error(`filling ${flags.courses} courses a school …`);
    return await fillBenchCatalog(owner, Number(flags.courses));
  } finally {
    await owner.close();
  }
}

async function signIn(base: string): Promise<string> {
  const response = await fetch(new URL("/api/auth/login", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: STUDENT, password: DEMO_PASSWORD }),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`sign-in of ${STUDENT}: ${response.status}`);
  return body.accessToken;
}

/** The claims the app verified out of this token: what it sets in request.jwt.claims. */
function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/");
  return JSON.parse(atob(payload));
}

/**
 * The request mixes, from the catalog as the student sees it (the totals the API reports), so
 * every page asked for exists.
 */
async function buildMixes(base: string, token: string): Promise<Mix[]> {
  const bearer = { authorization: `Bearer ${token}` };
  const total = async (query: string) => {
    const response = await fetch(new URL(`/api/lms/courses?${query}&limit=20`, base), {
      headers: bearer,
    });
    if (response.status !== 200) throw new Error(`GET ${query}: ${response.status}`);
    return (await response.json()).total as number;
  };
  const pagesOf = async (query: string, most: number) => {
    const pages = Math.min(most, Math.ceil((await total(query)) / 20));
    return Array.from({ length: pages }, (_, i) => `${query}&page=${i + 1}`);
  };

  const all = Math.ceil((await total("sort=title")) / 20);
  const sorts = ["sort=title", "sort=created&order=desc", "sort=code"];
  const plain = Array.from(
    { length: all },
    (_, i) => `${sorts[i % sorts.length]}&page=${1 + (i * 17) % all}`,
  );

  const subjects = BENCH_SUBJECTS.map(([s]) => `subject=${encodeURIComponent(s)}`);
  const grades = BENCH_GRADES.nairobi.map((g) => `grade=${encodeURIComponent(g)}`);
  // Each subject with two of the grades, by turns.
  const pairs = subjects.flatMap((s, i) =>
    [grades[i % grades.length], grades[(i + 1) % grades.length]].map((g) => `${s}&${g}`)
  );
  const filtered = [
    ...(await Promise.all(subjects.map((s) => pagesOf(s, 5)))).flat(),
    ...(await Promise.all(grades.map((g) => pagesOf(g, 3)))).flat(),
    ...(await Promise.all(pairs.map((p) => pagesOf(p, 1)))).flat(),
  ];

  const terms = [
    "revision",
    "exam prep",
    "lab",
    "group 3",
    "fieldwork",
    "foundations",
    "python",
    "algebra",
    "MAT-00",
    "bio-01",
    "cmp",
    "Grade 10",
  ];
  const search = (await Promise.all(
    terms.map((q) => pagesOf(`q=${encodeURIComponent(q)}`, 3)),
  )).flat();

  const api = (queries: string[]) => queries.map((q) => `/api/lms/courses?${q}&limit=20`);
  const interleave = (...lists: string[][]) =>
    Array.from(
      { length: Math.max(...lists.map((l) => l.length)) },
      (_, i) => lists.flatMap((l) => (i < l.length ? [l[i]] : [])),
    ).flat();
  const pageMix = interleave(plain, filtered, search).map((q) => `/portal/courses?${q}`);

  const json = {
    accept: "application/json",
    "accept-encoding": "gzip",
    ...bearer,
  };
  const html = {
    accept: "text/html",
    "accept-encoding": "gzip",
    cookie: `elymica_access=${token}`,
  };
  return [
    { name: "API, no filter", paths: api(plain), headers: json },
    { name: "API, subject/grade filters", paths: api(filtered), headers: json },
    { name: "API, search", paths: api(search), headers: json },
    { name: "page /portal/courses", paths: pageMix, headers: html },
  ];
}

/**
 * The catalog's own statements as the student runs them, EXPLAIN (ANALYZE, BUFFERS) through
 * auto_explain (an EXPLAIN of `select … from public.catalog(…)` would show only a function
 * scan). The call is made six times first, so the plans are those a pooled connection has.
 * Returns every plan of the call that reads courses.
 */
async function explainCatalog(ownerUrl: string, token: string, query: string): Promise<string[]> {
  const notices: string[] = [];
  const sql = postgres(ownerUrl, {
    max: 1,
    onnotice: (notice) => notices.push(notice.message),
  });
  try {
    const params = queryParams(new URLSearchParams(query)) as postgres.ParameterOrJSON<never>[];
    const setup = sessionParams("authenticated", jwtClaims(token) as never, {});
    const call = () =>
      sql.begin(async (tx) => {
        await tx.unsafe(SESSION_SETUP, setup);
        return await tx.unsafe(CATALOG_SQL, params);
      });
    for (let i = 0; i < 6; i++) await call();
    await sql.unsafe("load 'auto_explain'");
    await sql.unsafe(
      "set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on; " +
        "set auto_explain.log_buffers = on; set auto_explain.log_nested_statements = on; " +
        "set auto_explain.log_level = notice",
    );
    notices.length = 0;
    const rows = await call();
    if (rows.length === 0) throw new Error(`the explained query ${query} found no course`);
    await sql.unsafe("reset all");
    const plans = notices.filter((n) => /\bon courses\b/.test(n)).map(tidyPlan);
    if (plans.length === 0) throw new Error(`auto_explain gave no plan reading courses: ${query}`);
    return plans;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A plan as auto_explain logs it, with its query text cut to its first lines. */
function tidyPlan(notice: string): string {
  const lines = notice.split("\n");
  const planStart = lines.findIndex((l, i) => i > 1 && /\(cost=/.test(l));
  const text = lines.slice(1, planStart).map((l) => l.trimEnd()).filter((l) => l.trim());
  const shown = text.length > 4 ? [...text.slice(0, 4), "  …"] : text;
  return [lines[0].trim(), ...shown, ...lines.slice(planStart)].join("\n").trimEnd();
}

/** `--changes`: enrolment changes a second, one churn row each ("" for none). */
function changeRates(): number[] {
  const list = flags.changes!.split(",").filter((x) => x.trim()).map(Number);
  if (list.some((x) => !(x > 0) || x > 200)) {
    throw new Error("--changes takes changes a second, each above 0 and at most 200");
  }
  return list;
}

/** `--sweep`: the numbers of connections, each below `--connections`, in increasing order. */
function sweepConnections(): number[] {
  const most = Number(flags.connections);
  const list = flags.sweep!.split(",").filter((x) => x.trim()).map(Number);
  if (list.some((x) => !Number.isInteger(x) || x < 1 || x >= most)) {
    throw new Error(`--sweep takes whole numbers of connections below --connections (${most})`);
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

/**
 * One loadgen run of a mix against one server, with the bench database's backends' CPU and, for
 * the app, its catalog cache's hits; `meanwhile` runs beside the load until it ends.
 */
async function load(
  server: Server,
  mix: Mix,
  tmp: string,
  connections = Number(flags.connections),
  meanwhile?: () => Changer,
): Promise<Measured> {
  const pathsFile = `${tmp}/paths.json`;
  await Deno.writeTextFile(pathsFile, JSON.stringify(mix.paths));
  const before = await cacheCounts(server);
  const changer = meanwhile?.();
  const marks: { at: number; backends: Map<number, number> }[] = [];
  const result = await runLoad(server, {
    url: new URL(mix.paths[0], server.url),
    connections: String(connections),
    warmup: flags.warmup!,
    duration: flags.duration!,
    client: flags.client!,
    headers: mix.headers,
    pathsFile,
    onMark: () => marks.push({ at: Date.now(), backends: backendCpuSeconds(benchDbName) }),
  });
  const changesPerSecond = await changer?.stop();
  const after = await cacheCounts(server);
  const [from, to] = marks;
  let seconds = 0;
  for (const [pid, cpu] of to.backends) seconds += cpu - (from.backends.get(pid) ?? 0);
  const pgCpu = Math.round(seconds / ((to.at - from.at) / 1000) * 100);
  const cache = before && after
    ? { hits: after.hits - before.hits, requests: after.requests - before.requests }
    : undefined;
  return {
    ...result,
    connections,
    pgCpu,
    otherCpu: Math.max(0, result.otherCpu - pgCpu),
    cache,
    changesPerSecond,
  };
}

/** The password the app's /metrics is given here (the bench's own throwaway app). */
const METRICS_TOKEN = "bench-catalog-metrics-password";

/** The app's catalog cache counters from /metrics; undefined for the bare handler. */
async function cacheCounts(server: Server) {
  const response = await fetch(new URL("/metrics", server.url), {
    headers: { authorization: `Basic ${btoa(`bench:${METRICS_TOKEN}`)}` },
  });
  const text = await response.text();
  if (response.status !== 200) return undefined;
  const counted = (result: string) =>
    Number(
      text.match(
        new RegExp(`^elymica_catalog_cache_requests_total\\{result="${result}"\\} (\\d+)$`, "m"),
      )?.[1] ?? 0,
    );
  const hits = counted("hit");
  return { hits, requests: hits + counted("miss") };
}

interface Changer {
  /** Stops changing; resolves to the changes made per second. */
  stop(): Promise<number>;
}

/**
 * Withdraws and re-enrols one student of the bench's school (not the one asking), `perSecond`
 * times a second, through the owner's connection as another process would: each change a new
 * catalog version of the school.
 */
function changeEnrolments(ownerUrl: string, perSecond: number): Changer {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  let stopped = false;
  let made = 0;
  const started = Date.now();
  const running = (async () => {
    const [{ id }] = await sql`
      select e.id from public.enrollments e
      join public.people p on p.id = e.student_id
      join public.tenants t on t.id = e.tenant_id
      where t.slug = 'nairobi' and p.email <> ${STUDENT} and e.status = 'enrolled'
      order by e.id limit 1`;
    while (!stopped) {
      await sql`
        update public.enrollments
        set status = case when status = 'withdrawn' then 'enrolled' else 'withdrawn' end::public.enrollment_status
        where id = ${id}`;
      made++;
      const due = started + made * 1000 / perSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      await sql.end({ timeout: 5 });
      return made / ((Date.now() - started) / 1000);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Report.

const MODE_TITLES: Record<string, string> = { postgres: "### Database: PostgreSQL server" };

function busyMachine(rows: Row[]): string | undefined {
  const others = rows.flatMap((r) => [r.app.otherCpu, r.bare.otherCpu]);
  if (Math.max(...others) < BUSY_PERCENT) return undefined;
  return `Busy machine: other processes took up to ${Math.max(...others)} % of a core during ` +
    "the rows (Other CPU), so these figures are lower than on a quiet machine";
}

/** The share of the run's catalog requests the app answered from memory ("–" for bare). */
function hitShare(r: Measured): string {
  if (!r.cache) return "–";
  return r.cache.requests ? `${Math.round(r.cache.hits / r.cache.requests * 100)} %` : "0 requests";
}

async function describeRun(
  database: string,
  filled: FilledCatalog,
  rows: Row[],
  sweep: Measured[],
  plans: { filtered: string[]; search: string[] },
): Promise<string> {
  const host = await machine();
  const dbUrl = shownUrl(Deno.env.get("DATABASE_URL") || undefined);
  const command = [dbUrl && `DATABASE_URL=${dbUrl}`, "deno task bench:catalog", ...Deno.args]
    .filter(Boolean).join(" ");
  const n = (x: number) => x.toLocaleString("en-US");
  const ms = (x: number) => x.toFixed(2);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const busy = busyMachine(rows);
  const poolSize = Deno.env.get("DATABASE_POOL_SIZE") ?? "10 (the default)";
  const out = [
    MODE_TITLES.postgres,
    "",
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- Command: \`${command}\``,
    `- Machine: ${host.line}`,
    `- Deno: ${Deno.version.deno}`,
    `- Load: scripts/loadgen.mjs on ${rows[0].app.runtime}, ${flags.connections} connections, ` +
    `${flags.warmup} s warm-up then ${flags.duration} s measured per row; every request a ` +
    `signed-in student's (${STUDENT}: Bearer for the API, the session cookie for the page)`,
    `- Database: ${database}; the pools of app and bare: DATABASE_POOL_SIZE ${poolSize}`,
    `- Catalog: ${n(filled.courses)} courses in ${filled.schools} schools (${filled.drafts} ` +
    `drafts), ${filled.teachers} teachers, ${n(filled.students)} students, ` +
    `${n(filled.enrolments)} enrolments, ${filled.fullCourses} courses full`,
    `- Mixes: ${rows.map((r) => `${r.mix.name} (${r.mix.paths.length} URLs)`).join(", ")}`,
    ...rows.filter((r) => r.app.changesPerSecond !== undefined).map((r) =>
      `- ${r.mix.name}: ${r.app.changesPerSecond!.toFixed(1)} changes/s made during the app's ` +
      `run, ${r.bare.changesPerSecond!.toFixed(1)} during the bare handler's`
    ),
    ...(busy ? [`- **${busy}**`] : []),
    "",
    "| Requests | Server | Done | req/s | P50 ms | P95 ms | P99 ms | Bytes/resp | Cache hits | Server CPU | PostgreSQL CPU | Client CPU | Other CPU |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const { mix, app, bare } of rows) {
    for (const [name, r] of [["app", app], ["bare", bare]] as const) {
      const encoding = Object.keys(r.encodings).filter((e) => e !== "identity").join(", ");
      out.push(
        `| ${mix.name} | ${name} | ${n(r.requests)} | ${n(r.rps)} | ${ms(r.p50)} | ` +
          `${ms(r.p95)} | ${ms(r.p99)} | ${n(r.bytesPerResponse)}${
            encoding ? ` ${encoding}` : ""
          } | ${hitShare(r)} ` +
          `| ${r.serverCpu} % | ${r.pgCpu} % | ${r.clientCpu} % | ${r.otherCpu} % |`,
      );
    }
    out.push(
      `| ${mix.name} | **app/bare** | | **${ratio(app.rps, bare.rps)}** ` +
        `| ${ratio(app.p50, bare.p50)}× | ${ratio(app.p95, bare.p95)}× ` +
        `| ${ratio(app.p99, bare.p99)}× | | | | | | |`,
    );
  }
  // CPU per request, which other load on the machine disturbs less than the rates: what the
  // app's process and the database spent on each answer, and the rate those costs allow when the
  // bench has the machine's cores to itself (the load generator's share included) — an estimate,
  // marked as one in the report.
  out.push(
    "",
    "CPU per request (ms of one core; app row / bare row), and an estimate, not a measurement: " +
      `the rate these costs allow the app on ${host.nproc} cores nobody else uses (at most what ` +
      `its one JavaScript thread serves), and the P50 a closed loop of ${flags.connections} ` +
      "connections would then see (Little's law: connections ÷ rate):",
    "",
    "| Requests | Server | PostgreSQL | Client | Allows (app) | P50 then, ms (app) |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(({ mix, app, bare }) => {
      const per = (r: Measured, cpu: number) => cpu / 100 / r.rps * 1000;
      const both = (key: "serverCpu" | "pgCpu" | "clientCpu") =>
        `${per(app, app[key]).toFixed(2)} / ${per(bare, bare[key]).toFixed(2)}`;
      const appMs = per(app, app.serverCpu + app.pgCpu + app.clientCpu);
      // …and no more than the app's one JavaScript thread can serve
      const allows = Math.min(host.nproc * 1000 / appMs, 1000 / per(app, app.serverCpu));
      return `| ${mix.name} | ${both("serverCpu")} | ${both("pgCpu")} | ${both("clientCpu")} ` +
        `| ${n(Math.round(allows))}/s | ${ms(Number(flags.connections) / allows * 1000)} |`;
    }),
  );
  // Latency by load: where a closed loop's P95 crosses a target on this machine.
  if (sweep.length) {
    out.push(
      "",
      `${rows[0].mix.name}, app, by number of connections (the ${flags.connections} from the ` +
        "table above):",
      "",
      "| Connections | req/s | P50 ms | P95 ms | P99 ms | Other CPU |",
      "| ---: | ---: | ---: | ---: | ---: | ---: |",
      ...[...sweep, rows[0].app].map((r) =>
        `| ${r.connections} | ${n(r.rps)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} ` +
        `| ${r.otherCpu} % |`
      ),
    );
  }
  // The page query (the call's first statement) in full; how the others read courses, in short.
  const planBlock = (title: string, query: string, list: string[]) => {
    const others = [
      ...new Set(
        list.slice(1).flatMap((plan) =>
          plan.split("\n").filter((line) => /\bon courses\b/.test(line))
            .map((line) => `\`${line.trim().replace(/^->\s*/, "").replace(/\s+\(cost=.*$/, "")}\``)
        ),
      ),
    ];
    return [
      "",
      `${title} (\`GET /api/lms/courses?${query}\`), the page query:`,
      "",
      "```",
      list[0],
      "```",
      "",
      `The call's ${list.length - 1} other statements that read courses do so by ` +
      `${others.join(", ") || "nothing"} (the total of the whole query, and the page's cards).`,
    ];
  };
  out.push(
    ...planBlock("EXPLAIN (ANALYZE, BUFFERS), filtered page", EXPLAINED.filtered, plans.filtered),
    ...planBlock("EXPLAIN (ANALYZE, BUFFERS), search", EXPLAINED.search, plans.search),
  );
  return out.join("\n") + "\n";
}

const INTRO = `## bench:catalog

Written by \`deno task bench:catalog\` (scripts/bench_catalog.ts). The catalog (LMS-1) on a
throwaway PostgreSQL database seeded with the demo schools plus 1000 courses in each
(scripts/bench_catalog_data.ts: 12 subjects over each school's grade levels, 40 teachers, 300
students and their enrolments, some drafts and some full courses). Closed loop, as bench:web:
each connection sends a \`GET\` and waits for the whole response before the next, taking the
next URL of its mix each time. **app** is \`start()\` from main.ts — routing, the middleware
stack, the token check, zod, the request log, JSON or the page's HTML, gzip — over its pool of
\`elymica_web\` connections, with its catalog cache (lib/catalog_cache.ts: a page kept in memory
is answered while \`public.catalog_version()\`, read in every request, says the school's catalog
has not changed; Cache hits is the share of the run's catalog requests answered so, warm-up
included). One student asks everything; every student, parent and teacher who sees no draft
shares that student's kept pages (\`public.catalog_audience()\`). The last rows repeat the first
mix while another process withdraws and re-enrols a student of the school \`--changes\` times a
second (default 2 and 20: a row each), each a new catalog version, as enrolments at the start of a
term would. **bare** is a \`Deno.serve\` over the same database layer
(lib/db/server.ts, a pool of the same size and login) that runs the same SQL (\`CATALOG_SQL\` of
lib/catalog.ts: \`public.catalog\` in a transaction with the same role and claims set-up, in one
round trip) and answers the rows as JSON, ungzipped: the floor of that SQL on this machine. For the page row the
bare handler answers the same queries as JSON, so app/bare there is the whole page's cost over
the SQL's. CPU columns, % of one core over the measured window: Server (the app's or the bare
handler's process), PostgreSQL (the bench database's backends, found by their process title),
Client (the load generator), Other (the rest of the machine: PostgreSQL's shared processes, and
anything else that was running — a high Other means a busy machine). Below the table, the CPU
each request cost, and what that would allow on cores of its own (an estimate); then the API
without filters against the app at fewer connections (\`--sweep\`). The plans are
auto_explain's (ANALYZE, BUFFERS, nested statements) of one call made by the student after six
warm-up calls on the same connection (the run prints every plan of the call); the run fails if any
statement of the filtered page's call reads courses with a Seq Scan.
`;

// Last, so every constant above is initialised before a mode runs.
if (flags.serve === "app") await serveApp();
else if (flags.serve === "bare") await serveBare(flags["claims-file"]!);
else if (import.meta.main) await bench();
