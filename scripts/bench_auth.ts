/**
 * `deno task bench:auth [--duration 10] [--warmup 2] [--connections 50] [--client deno|node]
 * [--embedded]`: sign-ins per second and P50/P95/P99 of `POST /api/auth/login` on the real app
 * and the real PostgreSQL server, beside the raw bcrypt rate of the same server measured in the
 * same run — the physical limit of sign-in on this machine — and bcryptjs on one thread for
 * reference; then the "bench:auth" section of docs/benchmarks.md is rewritten for this database
 * mode (the other mode's block is kept).
 *
 * The admin URL is DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres: a throwaway
 * `elymica_bench_*` database is created there, migrated and seeded with the demo schools, and
 * dropped at the end. With no server reachable at the default URL (or with `--embedded`) the
 * run falls back to an embedded PGlite in a temp DATA_DIR, and says so loudly.
 *
 * Every request signs in with the CORRECT password (a failure would count towards the
 * account's lockout and the address's limit); loadgen connection i signs in as demo account
 * i mod 39. Every response must be 200. Process layout as in scripts/bench_web.ts: this script
 * orchestrates, `--serve app` runs the app, scripts/loadgen.mjs is the client, and
 * `--work bcryptjs|pglite` measures a bcrypt that does not run in the server.
 */
import postgres from "postgres";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEMO_PASSWORD, DEMO_SCHOOLS, demoEmails } from "../lib/demo.ts";
import {
  backendCpuSeconds,
  type Cleanups,
  cpuSeconds,
  DOC,
  lines,
  type LoadResult,
  machine,
  machineCpuSeconds,
  ROOT,
  runLoad,
  scratch,
  serveApp,
  shownUrl,
  spawnServer,
  throwawayDatabase,
  writeModeSection,
} from "./bench_support.ts";

const SELF = fileURLToPath(import.meta.url);
const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const LOGIN = "/api/auth/login";
/** What the sign-in page's script sends. */
const HEADERS = {
  "content-type": "application/json",
  "accept": "application/json",
  "accept-encoding": "gzip",
};
const BCRYPTJS = "bcryptjs 3.0.3";
/** Other CPU (% of one core) from which a run is reported as made on a busy machine. */
const BUSY_PERCENT = 30;

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    serve: { type: "string" },
    work: { type: "string" },
    hash: { type: "string" },
    connections: { type: "string", default: "50" },
    warmup: { type: "string", default: "2" },
    duration: { type: "string", default: "10" },
    client: { type: "string", default: "deno" },
    embedded: { type: "boolean", default: false },
  },
});
const warmup = Number(flags.warmup);
const duration = Number(flags.duration);

/** A closed-loop measurement of something other than HTTP: bcrypt, here. */
interface Rate {
  concurrency: number;
  count: number;
  seconds: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU in the window, % of one core: the process that drove it, the bench database's
   * server backends (where the server's crypt() runs) and the rest of the machine. */
  clientCpu: number;
  pgCpu: number;
  otherCpu: number;
}

// ---------------------------------------------------------------------------------------------
// Closed loops: `concurrency` loops run `op` back to back for `warmup`, then `duration` seconds.
// The window opens and closes at the first completion past each boundary (so a synchronous op
// needs no timer), and only completions inside it count; `mark` is told when it opens and ends.

async function closedLoop(
  concurrency: number,
  op: (loop: number) => unknown,
  mark: (what: "start" | "end") => void,
) {
  const startAt = performance.now() + warmup * 1000;
  const endAt = startAt + duration * 1000;
  let opened: number | undefined;
  let closed: number | undefined;
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: concurrency }, async (_, loop) => {
    while (closed === undefined) {
      const began = performance.now();
      await op(loop);
      const done = performance.now();
      const counting = opened !== undefined;
      if (opened === undefined && done >= startAt) {
        opened = done;
        mark("start");
      } else if (opened !== undefined && closed === undefined && done >= endAt) {
        closed = done;
        mark("end");
      }
      if (counting && (closed === undefined || done <= closed)) latencies.push(done - began);
    }
  }));
  const seconds = (closed! - opened!) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
  return {
    concurrency,
    count: sorted.length,
    seconds,
    rate: sorted.length / seconds,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
  };
}

// ---------------------------------------------------------------------------------------------
// Child modes: one bcrypt outside the server, on this process's one thread.

/** bcryptjs's compareSync of the demo password against `hash`, on one thread. */
async function workBcryptjs(hash: string) {
  const { default: bcrypt } = await import("bcryptjs");
  if (!bcrypt.compareSync(DEMO_PASSWORD, hash)) throw new Error("bcryptjs: hash does not match");
  const result = await closedLoop(1, () => bcrypt.compareSync(DEMO_PASSWORD, hash), markOnStderr);
  console.log(JSON.stringify(result));
}

/** PGlite's crypt() (pgcrypto in WebAssembly, the embedded database's own), one session. */
async function workPglite() {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pgcrypto } = await import("@electric-sql/pglite/contrib/pgcrypto");
  const pg = await PGlite.create({ extensions: { pgcrypto } });
  await pg.exec("create extension pgcrypto");
  const { rows: [{ hash }] } = await pg.query<{ hash: string }>(
    "select crypt($1, gen_salt('bf', 10)) as hash",
    [DEMO_PASSWORD],
  );
  const result = await closedLoop(1, async () => {
    const { rows: [{ h }] } = await pg.query<{ h: string }>("select crypt($1, $2) as h", [
      DEMO_PASSWORD,
      hash,
    ]);
    if (h !== hash) throw new Error("pglite: crypt() does not match the hash");
  }, markOnStderr);
  await pg.close();
  console.log(JSON.stringify({ ...result, hash }));
}

function markOnStderr(what: string) {
  console.error(`measure ${what}`);
}

/** Runs `--work <kind>` in its own process, with its CPU and the machine's in its window. */
async function runWork(kind: string, args: string[]): Promise<Rate & { hash?: string }> {
  console.error(`measure ${kind} bcrypt …`);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      SELF,
      `--work=${kind}`,
      `--warmup=${flags.warmup}`,
      `--duration=${flags.duration}`,
      ...args,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const marks: Mark[] = [];
  for await (const line of lines(child.stderr)) {
    if (line.startsWith("measure ")) marks.push(mark(child.pid));
    else console.error(`[${kind}] ${line}`);
  }
  if (!(await child.status).success || marks.length !== 2) throw new Error(`${kind} failed`);
  return { ...JSON.parse(await stdout), ...cpuBetween(marks[0], marks[1]) };
}

// ---------------------------------------------------------------------------------------------
// CPU: of one process, of the bench database's server backends, and of the whole machine.

/** The throwaway database's name, once there is one: its backends' titles carry it. */
let benchDbName: string | undefined;

interface Mark {
  at: number;
  own: number;
  machine: number;
  backends: Map<number, number>;
}

function mark(pid: number): Mark {
  return {
    at: Date.now(),
    own: cpuSeconds(pid),
    machine: machineCpuSeconds(),
    backends: backendCpuSeconds(benchDbName),
  };
}

/**
 * % of one core between two marks: the process, the backends, and the rest of the machine
 * less `alsoBusy` (a process counted elsewhere).
 */
function cpuBetween(from: Mark, to: Mark, alsoBusy = 0) {
  const wall = (to.at - from.at) / 1000;
  const clientCpu = Math.round((to.own - from.own) / wall * 100);
  let backends = 0;
  for (const [pid, seconds] of to.backends) backends += seconds - (from.backends.get(pid) ?? 0);
  const pgCpu = Math.round(backends / wall * 100);
  const machineCpu = Math.round((to.machine - from.machine) / wall * 100);
  return { clientCpu, pgCpu, otherCpu: Math.max(0, machineCpu - clientCpu - pgCpu - alsoBusy) };
}

// ---------------------------------------------------------------------------------------------
// Orchestrator.

type Login = LoadResult & { pgCpu: number };

interface Database {
  mode: "postgres" | "embedded";
  env: Record<string, string>;
  description: string;
  /** Server mode: the throwaway database's owner URL. */
  url?: string;
  /** Embedded mode: why, when it is a fallback. */
  fallback?: string;
}

async function bench() {
  const explicitUrl = Deno.env.get("DATABASE_URL") || undefined;
  const adminUrl = explicitUrl ?? DEFAULT_ADMIN_URL;
  const { tmp, cleanups, dispose } = await scratch();
  try {
    const db = await openBenchDatabase(adminUrl, explicitUrl !== undefined, cleanups);
    // An empty variable counts as unset (lib/config.ts): the app sees only the bench database.
    // DATA_DIR is the temp directory in both modes: the generated JWT secret goes there too.
    const appEnv = {
      DATABASE_URL: "",
      DATABASE_WEB_URL: "",
      DATABASE_JOBS_URL: "",
      DATA_DIR: tmp,
      ...db.env,
      PORT: "0",
      // The seeded demo videos would otherwise be transcoded while the load runs.
      VIDEO_TRANSCODE: "off",
    };
    const app = await spawnServer(SELF, "app", [], appEnv, `${tmp}/app.log`);
    cleanups.push(app.stop);

    // Every demo account signs in once, right, before the load: a wrong set-up stops here,
    // not after 50 connections have piled failures on the accounts.
    const accounts = DEMO_SCHOOLS.flatMap(demoEmails);
    await Promise.all(accounts.map((email) => checkSignIn(app.url, email)));
    const bodiesFile = `${tmp}/bodies.json`;
    await Deno.writeTextFile(
      bodiesFile,
      JSON.stringify(accounts.map((email) => ({ email, password: DEMO_PASSWORD }))),
    );
    const loginMarks: Mark[] = [];
    const loaded = await runLoad(app, {
      url: new URL(LOGIN, app.url),
      connections: flags.connections!,
      warmup: flags.warmup!,
      duration: flags.duration!,
      client: flags.client!,
      headers: HEADERS,
      method: "POST",
      bodiesFile,
      onMark: () => loginMarks.push(mark(app.pid)),
    });
    // The app's and the client's CPU as runLoad measured them; the backends' apart from Other.
    const { pgCpu, otherCpu } = cpuBetween(loginMarks[0], loginMarks[1], loaded.clientCpu);
    const login: Login = { ...loaded, pgCpu, otherCpu };
    if (login.errors || !login.requests || login.statuses["200"] !== login.requests) {
      const tail = (await Deno.readTextFile(`${tmp}/app.log`)).slice(-3000);
      throw new Error(
        `not every sign-in got 200: ${login.errors} errors (${login.firstError ?? "-"}), ` +
          `${login.non2xx} non-2xx, statuses ${JSON.stringify(login.statuses)}, first ` +
          `${JSON.stringify(login.firstNon2xx ?? null)}\napp log:\n${tail}`,
      );
    }
    // The app is done: it must not take CPU from the bcrypt measured next.
    await app.stop();

    const host = await machine();
    let raw: Rate;
    let hash: string;
    let locked = "not checked (embedded)";
    if (db.mode === "postgres") {
      hash = await storedHash(db.url!, accounts[0]);
      locked = await failedSignIns(db.url!);
      raw = await serverCrypt(db.url!, hash, host.nproc);
    } else {
      const pglite = await runWork("pglite", []);
      hash = pglite.hash!;
      raw = pglite;
    }
    const bcryptjs = await runWork("bcryptjs", [`--hash=${hash}`]);

    const block = describeRun(db, host, login, raw, bcryptjs, locked);
    console.log(`\n${block}`);
    await writeModeSection("## bench:auth", INTRO, MODE_TITLES, db.mode, block);
    console.log(`written to ${DOC}`);
    const busy = busyMachine(login, raw, bcryptjs);
    if (busy) console.error(loud(busy));
    if (db.fallback) console.error(loud(db.fallback));
  } finally {
    await dispose();
  }
}

/** A warning when other processes took a good part of the machine during a measured row. */
function busyMachine(login: Login, raw: Rate, bcryptjs: Rate): string | undefined {
  const others = [login.otherCpu, raw.otherCpu, bcryptjs.otherCpu];
  if (Math.max(...others) < BUSY_PERCENT) return undefined;
  return `Busy machine: other processes took ${others.join(" / ")} % of a core during the ` +
    "three rows (Other CPU), so these figures are lower and the ratio noisier than on a quiet " +
    "machine";
}

/** The server's throwaway database, migrated and seeded; or the embedded fallback. */
async function openBenchDatabase(
  adminUrl: string,
  explicit: boolean,
  cleanups: Cleanups,
): Promise<Database> {
  const unreachable = flags.embedded ? "--embedded was given" : await unreachableWhy(adminUrl);
  if (unreachable) {
    // An explicit DATABASE_URL that does not answer is a mistake worth stopping for.
    if (explicit && !flags.embedded) {
      throw new Error(`DATABASE_URL ${shownUrl(adminUrl)}: ${unreachable}`);
    }
    const fallback = flags.embedded
      ? "EMBEDDED RUN (--embedded): these are not the PostgreSQL server's figures."
      : `NO POSTGRESQL SERVER at ${shownUrl(adminUrl)} (${unreachable}): fell back to the ` +
        "embedded PGlite. These are not the PostgreSQL server's figures.";
    console.error(loud(fallback));
    return {
      mode: "embedded",
      env: {},
      fallback,
      description: `embedded PGlite in a temporary DATA_DIR (created, migrated and seeded) — ${
        flags.embedded ? "asked for with `--embedded`" : "**a fallback: no server was reachable**"
      }`,
    };
  }
  const db = await throwawayDatabase(adminUrl, cleanups, "migrated and seeded here");
  // The app seeds only an embedded database: on a server the seed is ours to run.
  const { openOwner } = await import("../lib/db/server.ts");
  const { prepareDatabase } = await import("../lib/db/mod.ts");
  const { seedIfEmpty } = await import("../lib/db/seed.ts");
  const owner = openOwner(db.url);
  try {
    await prepareDatabase(owner);
    if (!(await seedIfEmpty(owner))) throw new Error("the new database was not empty");
  } finally {
    await owner.close();
  }
  benchDbName = new URL(db.url).pathname.slice(1);
  return { mode: "postgres", env: db.env, description: db.description, url: db.url };
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

function loud(message: string): string {
  const bar = "!".repeat(Math.min(100, message.length + 8));
  return `\n${bar}\n!!! ${message}\n${bar}\n`;
}

/** One right sign-in, checked as the bench counts it: 200 and a whole session. */
async function checkSignIn(base: string, email: string) {
  const response = await fetch(new URL(LOGIN, base), {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const text = await response.text();
  const body = response.ok ? JSON.parse(text) : {};
  const missing = ["accessToken", "refreshToken", "user", "tenant"].filter((k) => !body[k]);
  if (response.status !== 200 || missing.length) {
    throw new Error(`sign-in of ${email}: ${response.status}, missing ${missing}: ${text}`);
  }
}

async function storedHash(url: string, email: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ password_hash: string }[]>`
      select pw.password_hash from private.passwords pw
      join public.people p on p.id = pw.person_id
      where p.email = ${email}`;
    if (!row?.password_hash.startsWith("$2a$10$")) throw new Error(`no cost-10 hash of ${email}`);
    return row.password_hash;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** After the load: no account may have a failed sign-in (the bench only uses right ones). */
async function failedSignIns(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ accounts, ips }] = await sql<{ accounts: number; ips: number }[]>`
      select (select count(*)::int from private.sign_in_state
              where failed_attempts > 0 or locked_until is not null) as accounts,
             (select count(*)::int from private.ip_sign_in_failures) as ips`;
    if (accounts || ips) {
      throw new Error(`${accounts} accounts with failed sign-ins, ${ips} address failures`);
    }
    return "none (checked after the load: no failed attempt, no lock, no address failure)";
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * The raw rate: `select extensions.crypt(password, stored hash)` back to back on `connections`
 * server connections (one per core), the very call auth_sign_in makes; its CPU is the bench
 * database's backends'.
 */
async function serverCrypt(url: string, hash: string, connections: number): Promise<Rate> {
  console.error(`measure crypt() on ${connections} server connections …`);
  const sql = postgres(url, {
    max: connections,
    onnotice: () => {},
    connection: { application_name: "elymica-bench-crypt" },
  });
  try {
    // One reserved connection per loop: each loop is one server backend, one core's worth.
    const reserved = await Promise.all(Array.from({ length: connections }, () => sql.reserve()));
    const marks: Mark[] = [];
    const result = await closedLoop(
      connections,
      async (loop) => {
        const [{ h }] = await reserved[loop].unsafe("select extensions.crypt($1, $2) as h", [
          DEMO_PASSWORD,
          hash,
        ]);
        if (h !== hash) throw new Error("crypt() does not match the stored hash");
      },
      () => marks.push(mark(Deno.pid)),
    );
    for (const connection of reserved) connection.release();
    return { ...result, ...cpuBetween(marks[0], marks[1]) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

const MODE_TITLES: Record<string, string> = {
  postgres: "### Database: PostgreSQL server",
  embedded: "### Database: embedded PGlite",
};

function describeRun(
  db: Database,
  host: { nproc: number; line: string },
  login: Login,
  raw: Rate,
  bcryptjs: Rate,
  locked: string,
): string {
  const dbUrl = shownUrl(Deno.env.get("DATABASE_URL") || undefined);
  const command = [dbUrl && `DATABASE_URL=${dbUrl}`, "deno task bench:auth", ...Deno.args]
    .filter(Boolean).join(" ");
  const n = (x: number) => x.toLocaleString("en-US");
  const ms = (x: number) => x.toFixed(2);
  const r1 = (x: number) => x.toFixed(1);
  const cores = (percent: number) => (percent / 100).toFixed(2);
  const pct = (percent: number | undefined) => percent === undefined ? "–" : `${percent} %`;
  const server = db.mode === "postgres";
  // loadgen rounds req/s to a whole number: at tens per second that is too coarse for a ratio.
  const loginRate = login.requests / login.seconds;
  const ratio = loginRate / raw.rate;
  const poolSize = Deno.env.get("DATABASE_POOL_SIZE") ?? "10 (the default)";

  // Where the CPU went: one bcrypt per sign-in, each costing what one took in the raw run.
  const bcryptCpuMs = (server ? raw.pgCpu : raw.clientCpu) / 100 / raw.rate * 1000;
  const bcryptPercent = loginRate * bcryptCpuMs / 10; // % of one core
  const total = host.nproc * 100;
  const busy = login.serverCpu + login.clientCpu + login.pgCpu + login.otherCpu;
  /** What the sign-in path itself used: not other processes, not idle. */
  const signInPath = login.serverCpu + login.clientCpu + login.pgCpu;
  const parts = server
    ? [
      `bcrypt ${cores(bcryptPercent)} (${r1(loginRate)}/s × ${r1(bcryptCpuMs)} ms, the CPU ` +
      "one took in the raw row)",
      `the rest of the bench database's backends ${
        cores(Math.max(0, login.pgCpu - bcryptPercent))
      } (role and claims set-up, the email look-up, the sign-in state row lock, the audit ` +
      "row, the refresh token insert, commit)",
      `the app ${cores(login.serverCpu)} (HTTP, JSON and zod, the device hash, signing the ` +
      "access token, gzip, the request log)",
      `the load generator ${cores(login.clientCpu)}`,
      `other processes ${cores(login.otherCpu)} (PostgreSQL's WAL writer, and anything else ` +
      "running)",
      `idle ${cores(Math.max(0, total - busy))}`,
    ]
    : [
      `bcrypt ${cores(bcryptPercent)} (${r1(loginRate)}/s × ${r1(bcryptCpuMs)} ms, the CPU ` +
      "one took in the raw row), inside the app's one thread",
      `the rest of the app ${cores(Math.max(0, login.serverCpu - bcryptPercent))} (the SQL ` +
      "around it in PGlite, HTTP, JSON, signing the access token, the request log)",
      `the load generator ${cores(login.clientCpu)}`,
      `other processes ${cores(login.otherCpu)}`,
      `idle ${cores(Math.max(0, total - busy))}`,
    ];

  const out = [
    MODE_TITLES[db.mode],
    "",
    ...(db.fallback ? [`> **${db.fallback}**`, ""] : []),
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- Command: \`${command}\``,
    `- Machine: ${host.line}`,
    `- Deno: ${Deno.version.deno}`,
    `- Load: scripts/loadgen.mjs on ${login.runtime}, ${flags.connections} connections, ` +
    `${flags.warmup} s warm-up then ${flags.duration} s measured per row; \`POST ${LOGIN}\` ` +
    "with the right password, connection i signing in as demo account i mod 39",
    `- Database: ${db.description}` +
    (server ? `; the app's pool: DATABASE_POOL_SIZE ${poolSize}` : ""),
    `- Failed sign-ins after the load: ${locked}`,
    ...(busyMachine(login, raw, bcryptjs) ? [`- **${busyMachine(login, raw, bcryptjs)}**`] : []),
    "",
    "| Measured | Concurrency | Done | per s | P50 ms | P95 ms | P99 ms | App CPU | Client CPU | PostgreSQL CPU | Other CPU |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| sign-in: \`POST ${LOGIN}\` → 200 | ${flags.connections} | ${n(login.requests)} ` +
    `| ${r1(loginRate)} | ${ms(login.p50)} | ${ms(login.p95)} | ${ms(login.p99)} ` +
    `| ${login.serverCpu} % | ${login.clientCpu} % | ${pct(server ? login.pgCpu : undefined)} ` +
    `| ${login.otherCpu} % |`,
    `| ${
      server
        ? "raw bcrypt: `select extensions.crypt(…)` on the server, one connection per core"
        : "raw bcrypt: PGlite `crypt()` (WebAssembly, one thread, as in the app)"
    } | ${raw.concurrency} | ${n(raw.count)} | ${r1(raw.rate)} | ${ms(raw.p50)} ` +
    `| ${ms(raw.p95)} | ${ms(raw.p99)} | – | ${raw.clientCpu} % ` +
    `| ${pct(server ? raw.pgCpu : undefined)} | ${raw.otherCpu} % |`,
    `| ${BCRYPTJS} \`compareSync\`, one thread (reference) | 1 | ${n(bcryptjs.count)} ` +
    `| ${r1(bcryptjs.rate)} | ${ms(bcryptjs.p50)} | ${ms(bcryptjs.p95)} | ${ms(bcryptjs.p99)} ` +
    `| – | ${bcryptjs.clientCpu} % | – | ${bcryptjs.otherCpu} % |`,
    "",
    `**Sign-ins/s ÷ raw bcrypt/s = ${r1(loginRate)} ÷ ${r1(raw.rate)} = ${ratio.toFixed(2)}**`,
    "",
    `The same by CPU, which other load on the machine disturbs less: bcrypt was ` +
    `${(bcryptPercent / signInPath).toFixed(2)} of the CPU the sign-in path used ` +
    `(${cores(bcryptPercent)} of ${cores(signInPath)} cores: ${
      server ? "app, bench database's backends and load generator" : "app and load generator"
    }).`,
    "",
    `Where the ${cores(total)} cores went during the sign-in row: ${parts.join("; ")}.`,
    "",
    `Latency is queueing: in a closed loop, ${flags.connections} connections ÷ ` +
    `${r1(loginRate)} sign-ins/s = ${(Number(flags.connections) / loginRate).toFixed(2)} s ` +
    `per round, against a P50 of ${(login.p50 / 1000).toFixed(2)} s; one bcrypt alone took ` +
    `${ms(raw.p50)} ms (raw row P50).`,
  ];
  return out.join("\n") + "\n";
}

const INTRO = `## bench:auth

Written by \`deno task bench:auth\` (scripts/bench_auth.ts); a run replaces the block of its
database mode and leaves the other. A sign-in is one bcrypt (cost 10), computed by PostgreSQL in
\`public.auth_sign_in\` (\`extensions.crypt\`), plus a transaction of bookkeeping: the most
sign-ins a machine can do per second is the rate at which its database computes bcrypt. The bench
measures both in one run, one after the other. **sign-in**: \`start()\` from main.ts on a
throwaway database seeded with the demo schools, under a closed-loop load of
\`POST /api/auth/login\` with the right password (a wrong one would count towards the account's
lockout and the address's limit), connection i signing in as demo account i mod 39; every answer
must be 200. **raw bcrypt**: \`select extensions.crypt(password, stored hash)\` back to back on
as many server connections as the machine has cores, with the app stopped: the ceiling. Their
ratio is the share of that ceiling that sign-in reaches. **bcryptjs** on one JavaScript thread is
a reference: what one bcrypt in the app's own thread would cost it. CPU columns, % of one core
over the measured window: App, the app's process; Client, the load generator (or the process
driving the bcrypt); PostgreSQL, the server backends of the bench database (found by their
process title); Other, the rest of the machine (PostgreSQL's shared processes such as the WAL
writer, and anything else that was running: a high Other means a busy machine).
`;

// Last, so every constant above is initialised before a mode runs.
if (flags.serve === "app") await serveApp();
else if (flags.work === "bcryptjs") await workBcryptjs(flags.hash!);
else if (flags.work === "pglite") await workPglite();
else if (import.meta.main) await bench();
