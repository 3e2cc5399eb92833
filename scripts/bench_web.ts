/**
 * `deno task bench:web [--duration 10] [--warmup 2] [--connections 100] [--client deno|node]`:
 * requests/s and P50/P95/P99 latency of `GET /` and `GET /api/health` on the real app, beside
 * a bare `Deno.serve` returning the same bytes; then the "bench:web" section of
 * docs/benchmarks.md is rewritten for this database mode (the other mode's block is kept).
 *
 * Each server and each load run is its own process, so the client never shares an event loop
 * with a server: this script orchestrates, `--serve app|bare` runs one server, and
 * scripts/loadgen.mjs is the closed-loop client. The database is throwaway: an embedded PGlite
 * in a temp DATA_DIR, or, when DATABASE_URL is set, a new `elymica_bench_*` database on that
 * server, dropped at the end.
 */
import postgres from "postgres";
import { Buffer } from "node:buffer";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const LOADGEN = fileURLToPath(new URL("./loadgen.mjs", import.meta.url));
const DOC = `${ROOT}docs/benchmarks.md`;

/** What a browser sends: the landing page is asked for as HTML, both accept gzip. */
const TARGETS = [
  { path: "/", headers: { "accept": "text/html", "accept-encoding": "gzip" } },
  { path: "/api/health", headers: { "accept": "application/json", "accept-encoding": "gzip" } },
];
/** The response headers the bare server copies: they decide how a client reads the bytes. */
const COPIED_HEADERS = ["content-type", "content-encoding"];

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    serve: { type: "string" },
    responses: { type: "string" },
    connections: { type: "string", default: "100" },
    warmup: { type: "string", default: "2" },
    duration: { type: "string", default: "10" },
    client: { type: "string", default: "deno" },
  },
});

interface LoadResult {
  runtime: string;
  requests: number;
  errors: number;
  non2xx: number;
  statuses: Record<string, number>;
  encodings: Record<string, number>;
  firstError?: string;
  rps: number;
  bytesPerResponse: number;
  p50: number;
  p95: number;
  p99: number;
  /** Added here: CPU used in the measured window, in % of one core; `otherCpu` is the rest of
   * the machine (the PostgreSQL server in that mode, and anything else that was running). */
  serverCpu: number;
  clientCpu: number;
  otherCpu: number;
}

interface Row {
  path: string;
  app: LoadResult;
  bare: LoadResult;
}

// ---------------------------------------------------------------------------------------------
// Server modes (child processes). Each writes "listening <url>" on stderr once it serves.

async function serveApp() {
  // Imported here, not at the top, so the bare server and the orchestrator stay bare.
  const { start } = await import("../main.ts");
  const { loadConfig } = await import("../lib/config.ts");
  const running = await start(loadConfig());
  onTerminate(() => running.stop());
  // The app listens on 0.0.0.0: 127.0.0.1 avoids a client trying ::1 for "localhost" first.
  console.error(`listening ${running.url.replace("localhost", "127.0.0.1")}`);
}

async function serveBare(responsesFile: string) {
  const saved: Record<string, { status: number; headers: Record<string, string>; body: string }> =
    JSON.parse(await Deno.readTextFile(responsesFile));
  const responses = new Map(
    Object.entries(saved).map(([path, r]) => [path, { ...r, body: Buffer.from(r.body, "base64") }]),
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const r = responses.get(new URL(req.url).pathname);
    if (!r) return new Response("not found", { status: 404 });
    return new Response(r.body, { status: r.status, headers: r.headers });
  });
  onTerminate(() => server.shutdown());
  console.error(`listening http://127.0.0.1:${server.addr.port}/`);
}

function onTerminate(stop: () => Promise<void>) {
  Deno.addSignalListener("SIGTERM", async () => {
    await stop();
    Deno.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Orchestrator.

async function bench() {
  const adminUrl = Deno.env.get("DATABASE_URL") || undefined;
  const tmp = await Deno.makeTempDir({ prefix: "elymica_bench_" });
  const cleanups: (() => Promise<unknown>)[] = [() => Deno.remove(tmp, { recursive: true })];
  const cleanUp = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e) => console.error("cleanup:", e));
    cleanups.length = 0;
  };
  // Ctrl-C must not leave a database or a server behind either.
  const onInterrupt = async () => {
    await cleanUp();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    const db = adminUrl ? await throwawayDatabase(adminUrl, cleanups) : {
      env: { DATA_DIR: tmp },
      mode: "embedded",
      description: "embedded PGlite in a temporary DATA_DIR (created, migrated and seeded)",
    };
    // An empty variable counts as unset (lib/config.ts): the app sees only the bench database.
    const appEnv = {
      DATABASE_URL: "",
      DATABASE_WEB_URL: "",
      DATABASE_JOBS_URL: "",
      ...db.env,
      PORT: "0",
    };
    const app = await spawnServer("app", [], appEnv, `${tmp}/app.log`);
    cleanups.push(app.stop);

    // The bare server answers with the bytes the app sent (gzip and all), captured once.
    const captured: Record<string, unknown> = {};
    for (const { path, headers } of TARGETS) {
      const r = await capture(new URL(path, app.url), headers);
      if (r.status !== 200) {
        throw new Error(`app answered ${r.status} to GET ${path}:\n${r.body.toString()}`);
      }
      const copied = COPIED_HEADERS.filter((h) => r.headers[h]).map((h) => [h, r.headers[h]]);
      captured[path] = {
        status: r.status,
        headers: Object.fromEntries(copied),
        body: r.body.toString("base64"),
      };
    }
    const responsesFile = `${tmp}/responses.json`;
    await Deno.writeTextFile(responsesFile, JSON.stringify(captured));
    const bare = await spawnServer("bare", ["--responses", responsesFile], {}, `${tmp}/bare.log`);
    cleanups.push(bare.stop);

    // One load run at a time: on two cores, concurrent runs would measure each other.
    const rows: Row[] = [];
    for (const { path, headers } of TARGETS) {
      rows.push({
        path,
        app: await load(app, path, headers),
        bare: await load(bare, path, headers),
      });
    }
    // Every request must have been answered 200: a fast error page would flatter the figures.
    const failures = rows.flatMap((row) =>
      (["app", "bare"] as const).filter((s) =>
        row[s].errors || !row[s].requests || row[s].statuses["200"] !== row[s].requests
      ).map((s) =>
        `${s} GET ${row.path}: ${row[s].errors} errors (${row[s].firstError ?? "-"}), ` +
        `${row[s].non2xx} non-2xx, statuses ${JSON.stringify(row[s].statuses)}`
      )
    );
    if (failures.length) {
      const tail = (await Deno.readTextFile(`${tmp}/app.log`)).slice(-3000);
      throw new Error(`not every request got 200:\n  ${failures.join("\n  ")}\napp log:\n${tail}`);
    }
    const block = await describeRun(db.mode, db.description, rows);
    console.log(`\n${block}`);
    await writeSection(db.mode, block);
    console.log(`written to ${DOC}`);
  } finally {
    await cleanUp();
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

/** A new database on DATABASE_URL's server; its drop is pushed onto `cleanups`. */
async function throwawayDatabase(adminUrl: string, cleanups: (() => Promise<unknown>)[]) {
  const name = `elymica_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  // Registered first, so a failure further on still ends the admin connection.
  cleanups.push(async () => {
    // `force` ends any connection the app left open.
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  });
  const [{ server_version }] = await admin`show server_version`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    mode: "postgres",
    description: `PostgreSQL ${server_version} at ${url.host}, a throwaway database ` +
      `\`elymica_bench_*\` (migrated, not seeded; dropped at the end)`,
  };
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function spawnServer(
  mode: "app" | "bare",
  args: string[],
  env: Record<string, string>,
  logFile: string,
): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SELF, "--serve", mode, ...args],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // The app logs one JSON line per request on stdout: part of its real cost, so it is kept
  // and written to a file (a cheap byte copy here) rather than silenced.
  const log = await Deno.open(logFile, { write: true, create: true, truncate: true });
  const logged = child.stdout.pipeTo(log.writable);
  const stderr = lines(child.stderr);
  let url: string | undefined;
  const early: string[] = [];
  while (!url) {
    const { value, done } = await stderr.next();
    if (done) {
      const { code } = await child.status;
      throw new Error(`${mode} server exited (${code}) before listening:\n${early.join("\n")}`);
    }
    url = value.match(/^listening (\S+)$/)?.[1];
    if (!url) early.push(value);
  }
  // Keep passing the child's stderr on (warnings, errors) once it is up.
  (async () => {
    for await (const line of stderr) console.error(`[${mode}] ${line}`);
  })();
  let stopped = false;
  return {
    url,
    pid: child.pid,
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await child.status;
      clearTimeout(timer);
      await logged.catch(() => {});
    },
  };
}

async function* lines(stream: ReadableStream<Uint8Array<ArrayBuffer>>): AsyncGenerator<string> {
  let buffered = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    buffered += text;
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    yield* parts;
  }
  if (buffered) yield buffered;
}

/** One raw response: node:http hands over the gzip bytes as sent, where fetch would inflate. */
function capture(url: URL, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>(
    (resolve, reject) => {
      request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode!,
            headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, `${v}`])),
            body: Buffer.concat(chunks),
          }));
        res.on("error", reject);
      }).on("error", reject).end();
    },
  );
}

/** One loadgen process against one server and path, with both processes' CPU in its window. */
async function load(
  server: Server,
  path: string,
  headers: Record<string, string>,
): Promise<LoadResult> {
  const url = new URL(path, server.url);
  const args = [
    LOADGEN,
    `--url=${url}`,
    `--connections=${flags.connections}`,
    `--warmup=${flags.warmup}`,
    `--duration=${flags.duration}`,
    ...Object.entries(headers).map(([k, v]) => `--header=${k}: ${v}`),
  ];
  const [command, commandArgs] = flags.client === "node"
    ? ["node", args]
    : [Deno.execPath(), ["run", "-A", ...args]];
  console.error(`load GET ${url} …`);
  const child = new Deno.Command(command, {
    args: commandArgs,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const marks: { server: number; client: number; machine: number; at: number }[] = [];
  for await (const line of lines(child.stderr)) {
    if (line.startsWith("measure ")) {
      marks.push({
        server: cpuSeconds(server.pid),
        client: cpuSeconds(child.pid),
        machine: machineCpuSeconds(),
        at: Date.now(),
      });
    } else console.error(line);
  }
  if (!(await child.status).success || marks.length !== 2) {
    throw new Error(`loadgen failed on ${url}`);
  }
  const wall = (marks[1].at - marks[0].at) / 1000;
  const percent = (key: "server" | "client" | "machine") =>
    Math.round((marks[1][key] - marks[0][key]) / wall * 100);
  const [serverCpu, clientCpu] = [percent("server"), percent("client")];
  const otherCpu = Math.max(0, percent("machine") - serverCpu - clientCpu);
  return { ...JSON.parse(await stdout), serverCpu, clientCpu, otherCpu };
}

/** User + system CPU time of a process, all threads (fields 14 and 15 of /proc/<pid>/stat). */
function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

/** Busy CPU time of the whole machine, all cores (first line of /proc/stat, minus idle). */
function machineCpuSeconds(): number {
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = Deno.readTextFileSync(
    "/proc/stat",
  ).split("\n")[0].split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

// ---------------------------------------------------------------------------------------------
// Report.

const MODE_TITLES: Record<string, string> = {
  embedded: "### Database: embedded PGlite",
  postgres: "### Database: PostgreSQL server",
};

async function describeRun(mode: string, database: string, rows: Row[]): Promise<string> {
  const nproc = new TextDecoder().decode((await new Deno.Command("nproc").output()).stdout).trim();
  const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/^model name\s*:\s*(.*)$/m)?.[1];
  const memKb = Number(
    (await Deno.readTextFile("/proc/meminfo")).match(/^MemTotal:\s*(\d+)/m)?.[1],
  );
  const dbUrl = Deno.env.get("DATABASE_URL");
  const shownUrl = dbUrl ? new URL(dbUrl) : undefined;
  if (shownUrl?.password) shownUrl.password = "***";
  const command = [shownUrl && `DATABASE_URL=${shownUrl}`, "deno task bench:web", ...Deno.args]
    .filter(Boolean).join(" ");
  const n = (x: number) => x.toLocaleString("en-US");
  const ms = (x: number) => x.toFixed(2);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const out = [
    MODE_TITLES[mode],
    "",
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- Command: \`${command}\``,
    `- Machine: \`nproc\` ${nproc}, ${cpu}, ${(memKb / 1024 / 1024).toFixed(1)} GiB RAM`,
    `- Deno: ${Deno.version.deno}`,
    `- Load: scripts/loadgen.mjs on ${rows[0].app.runtime}, ${flags.connections} connections, ` +
    `${flags.warmup} s warm-up then ${flags.duration} s measured per row`,
    `- Database: ${database}`,
    "",
    "| Request | Server | Requests | req/s | P50 ms | P95 ms | P99 ms | Bytes/resp | Server CPU | Client CPU | Other CPU |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const { path, app, bare } of rows) {
    for (const [name, r] of [["app", app], ["bare", bare]] as const) {
      const encoding = Object.keys(r.encodings).filter((e) => e !== "identity").join(", ");
      out.push(
        `| GET ${path} | ${name} | ${n(r.requests)} | ${n(r.rps)} | ${ms(r.p50)} | ${ms(r.p95)} ` +
          `| ${ms(r.p99)} | ${n(r.bytesPerResponse)}${encoding ? ` ${encoding}` : ""} ` +
          `| ${r.serverCpu} % | ${r.clientCpu} % | ${r.otherCpu} % |`,
      );
    }
    out.push(
      `| GET ${path} | **app/bare** | | **${ratio(app.rps, bare.rps)}** ` +
        `| ${ratio(app.p50, bare.p50)}× | ${ratio(app.p95, bare.p95)}× ` +
        `| ${ratio(app.p99, bare.p99)}× | | | | |`,
    );
  }
  return out.join("\n") + "\n";
}

const INTRO = `## bench:web

Written by \`deno task bench:web\` (scripts/bench_web.ts); a run replaces the block of its
database mode and leaves the other. Closed loop: each connection sends a \`GET\` and waits for
the whole response before the next, with \`Accept-Encoding: gzip\` (and \`Accept: text/html\`
for \`/\`) as a browser would. **app** is \`start()\` from main.ts: the whole middleware stack,
the request log (to a file), gzip and the database. **bare** is a \`Deno.serve\` answering
with the bytes the app sent (captured once: same status, \`content-type\`,
\`content-encoding\`), the floor for that response on this machine. app, bare and the load
generator are separate processes, one load at a time. The CPU columns are what each used over
the measured window (100 % = one core): Server, Client (the load generator) and Other, the rest
of the machine: the PostgreSQL server in that mode, and anything else that was running (a high
Other in a row means it was measured on a busy machine). The client shares the cores with the server, so the
bare figures are partly the client's limit and app/bare understates the gap.
`;

/** Replaces this mode's block inside "## bench:web", keeping other modes and other sections. */
async function writeSection(mode: string, block: string) {
  const doc = await Deno.readTextFile(DOC).catch(() => "# Benchmarks\n");
  const HEADING = "## bench:web";
  const start = doc.search(/^## bench:web\s*$/m);
  const next = start < 0 ? -1 : doc.slice(start + HEADING.length).search(/^## /m);
  const end = start < 0 || next < 0 ? doc.length : start + HEADING.length + next;
  const old = start < 0 ? "" : doc.slice(start, end);
  const blocks: Record<string, string> = {};
  for (const [key, title] of Object.entries(MODE_TITLES)) {
    const at = old.indexOf(`${title}\n`);
    if (at < 0) continue;
    const rest = old.slice(at + title.length).search(/^#{2,3} /m);
    blocks[key] = old.slice(at, rest < 0 ? undefined : at + title.length + rest).trimEnd() + "\n";
  }
  blocks[mode] = block;
  const section = [INTRO, ...Object.keys(MODE_TITLES).flatMap((k) => blocks[k] ?? [])].join("\n");
  const before = start < 0 ? doc.trimEnd() + "\n\n" : doc.slice(0, start);
  const after = doc.slice(end);
  await Deno.writeTextFile(DOC, before + section + (after ? `\n${after}` : ""));
  // `deno task test` checks the formatting of every file, this one included.
  const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", DOC], cwd: ROOT })
    .output();
  if (!fmt.success) throw new Error(`deno fmt ${DOC} failed`);
}

// Last, so every constant above is initialised before a mode runs.
if (flags.serve === "app") await serveApp();
else if (flags.serve === "bare") await serveBare(flags.responses!);
else if (import.meta.main) await bench();
