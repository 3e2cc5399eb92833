/**
 * `deno task bench:web [--duration 10] [--warmup 2] [--connections 100] [--client deno|node]`:
 * requests/s and P50/P95/P99 latency of `GET /` and `GET /api/health` on the real app, beside
 * a bare `Deno.serve` returning the same bytes; then the "bench:web" section of
 * docs/benchmarks.md is rewritten for this database mode (the other mode's block is kept).
 *
 * Each server and each load run is its own process, so the client never shares an event loop
 * with a server: this script orchestrates, `--serve app|bare` runs one server, and
 * scripts/loadgen.mjs is the closed-loop client (what bench:auth shares with it is in
 * scripts/bench_support.ts). The database is throwaway: an embedded PGlite in a temp DATA_DIR,
 * or, when DATABASE_URL is set, a new `elymica_bench_*` database on that server, dropped at the
 * end.
 */
import { Buffer } from "node:buffer";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
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

const SELF = fileURLToPath(import.meta.url);

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

interface Row {
  path: string;
  app: LoadResult;
  bare: LoadResult;
}

// ---------------------------------------------------------------------------------------------
// Server modes (child processes). Each writes "listening <url>" on stderr once it serves.

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

// ---------------------------------------------------------------------------------------------
// Orchestrator.

async function bench() {
  const adminUrl = Deno.env.get("DATABASE_URL") || undefined;
  // Ctrl-C must not leave a database or a server behind either.
  const { tmp, cleanups, dispose } = await scratch();
  try {
    const db = adminUrl ? await throwawayDatabase(adminUrl, cleanups, "migrated, not seeded") : {
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
      // The seeded demo videos would otherwise be transcoded while the load runs.
      VIDEO_TRANSCODE: "off",
    };
    const app = await spawnServer(SELF, "app", [], appEnv, `${tmp}/app.log`);
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
    const bare = await spawnServer(
      SELF,
      "bare",
      ["--responses", responsesFile],
      {},
      `${tmp}/bare.log`,
    );
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
    await dispose();
  }
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
function load(server: Server, path: string, headers: Record<string, string>): Promise<LoadResult> {
  return runLoad(server, {
    url: new URL(path, server.url),
    connections: flags.connections!,
    warmup: flags.warmup!,
    duration: flags.duration!,
    client: flags.client!,
    headers,
  });
}

// ---------------------------------------------------------------------------------------------
// Report.

const MODE_TITLES: Record<string, string> = {
  embedded: "### Database: embedded PGlite",
  postgres: "### Database: PostgreSQL server",
};

async function describeRun(mode: string, database: string, rows: Row[]): Promise<string> {
  const host = await machine();
  const dbUrl = shownUrl(Deno.env.get("DATABASE_URL") || undefined);
  const command = [dbUrl && `DATABASE_URL=${dbUrl}`, "deno task bench:web", ...Deno.args]
    .filter(Boolean).join(" ");
  const n = (x: number) => x.toLocaleString("en-US");
  const ms = (x: number) => x.toFixed(2);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const out = [
    MODE_TITLES[mode],
    "",
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `- Command: \`${command}\``,
    `- Machine: ${host.line}`,
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
function writeSection(mode: string, block: string) {
  return writeModeSection("## bench:web", INTRO, MODE_TITLES, mode, block);
}

// Last, so every constant above is initialised before a mode runs.
if (flags.serve === "app") await serveApp();
else if (flags.serve === "bare") await serveBare(flags.responses!);
else if (import.meta.main) await bench();
