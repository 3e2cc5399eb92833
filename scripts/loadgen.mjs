/**
 * A closed-loop HTTP load generator for `deno task bench:web` and `bench:auth`: `connections`
 * loops, each sending one request and waiting for the whole response before the next, so the
 * rate measured is what the server sustains at that concurrency (autocannon reports no P95).
 *
 *   deno run -A scripts/loadgen.mjs --url http://127.0.0.1:8000/ [--connections 100]
 *     [--warmup 2] [--duration 10] [--header "accept: text/html"]…     (or: node scripts/…)
 *     [--method POST] [--body TEXT | --body-file PATH | --bodies-file PATH] [--paths-file PATH]
 *
 * A body is sent as is with its Content-Length (set a Content-Type with --header):
 * `--body` and `--body-file` give every request the same one; `--bodies-file` is a JSON array
 * and loop i sends element i % length (a string as is, anything else as JSON), e.g. one
 * account's sign-in per connection.
 *
 * `--paths-file` is a JSON array of paths (with their query strings) on the `--url`'s server:
 * loop i starts at element i % length and takes the next one for each request, so every loop
 * sends the whole mix in turn (e.g. catalog pages, filters and searches).
 *
 * Plain JavaScript on node:http so it runs under Deno or Node. bench_web.ts uses Deno by
 * default: on the 2-core bench machine Deno 2.9's node:http client sustained about twice the
 * requests/s of Node 20's against the same trivial server. Prints one JSON object on stdout
 * (latencies in milliseconds) and marks the measured window on stderr.
 */
import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import http from "node:http";
import process from "node:process";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    connections: { type: "string", default: "100" },
    warmup: { type: "string", default: "2" },
    duration: { type: "string", default: "10" },
    header: { type: "string", multiple: true, default: [] },
    method: { type: "string", default: "GET" },
    body: { type: "string" },
    "body-file": { type: "string" },
    "bodies-file": { type: "string" },
    "paths-file": { type: "string" },
  },
});
if (!args.url) throw new Error("--url is required");
const method = args.method.toUpperCase();
const url = new URL(args.url);
const connections = Number(args.connections);
const headers = Object.fromEntries(args.header.map((line) => {
  const at = line.indexOf(":");
  return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()];
}));

// One socket per loop, reused: a browser keeps its connection open too.
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const target = { agent, host: url.hostname, port: url.port };

/** The paths requested in turn; the `--url`'s own path when no `--paths-file` is given. */
const paths = await (async () => {
  if (!args["paths-file"]) return [url.pathname + url.search];
  const list = JSON.parse(await readFile(args["paths-file"], "utf8"));
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === "string")) {
    throw new Error("--paths-file must hold a non-empty JSON array of paths");
  }
  return list;
})();

/** The body of each loop, as bytes; `undefined` sends none. */
const bodies = await (async () => {
  const given = ["body", "body-file", "bodies-file"].filter((name) => args[name] !== undefined);
  if (given.length > 1) throw new Error(`give only one of --${given.join(", --")}`);
  if (args.body !== undefined) return [Buffer.from(args.body)];
  if (args["body-file"]) return [await readFile(args["body-file"])];
  if (!args["bodies-file"]) return [undefined];
  const list = JSON.parse(await readFile(args["bodies-file"], "utf8"));
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error("--bodies-file must hold a non-empty JSON array");
  }
  return list.map((b) => Buffer.from(typeof b === "string" ? b : JSON.stringify(b)));
})();

let measuring = false;
let stopped = false;
let latencies = new Float64Array(1 << 20);
let count = 0;
let errors = 0;
let non2xx = 0;
let bytes = 0;
let firstError;
let firstNon2xx;
const statuses = {};
const encodings = {};

/** One request; resolves (never rejects) once the body has been read to its end. */
function once(body, path) {
  return new Promise((resolve) => {
    const started = performance.now();
    const sent = body ? { ...headers, "content-length": String(body.length) } : headers;
    const req = http.request({ ...target, path, method, headers: sent }, (res) => {
      let size = 0;
      // The start of a refusal's body, to say why (kept only outside 2xx).
      const failed = res.statusCode < 200 || res.statusCode > 299;
      let head = "";
      res.on("data", (chunk) => {
        size += chunk.length;
        if (failed && head.length < 500) head += chunk.toString("latin1").slice(0, 500);
      });
      res.on("end", () =>
        resolve({
          ms: performance.now() - started,
          status: res.statusCode,
          size,
          encoding: res.headers["content-encoding"] ?? "identity",
          head,
        }));
      res.on("error", (error) => resolve({ error }));
    });
    req.on("error", (error) => resolve({ error }));
    req.end(body);
  });
}

async function loop(_, i) {
  const body = bodies[i % bodies.length];
  let next = i;
  while (!stopped) {
    const r = await once(body, paths[next++ % paths.length]);
    // Only responses that end inside the measured window count; warm-up ones are discarded.
    if (!measuring || stopped) continue;
    if (r.error) {
      errors++;
      firstError ??= String(r.error.message ?? r.error);
      // A refused connection fails at once: pause so a dead server is not spun on.
      await new Promise((done) => setTimeout(done, 10));
      continue;
    }
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = r.ms;
    bytes += r.size;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    encodings[r.encoding] = (encodings[r.encoding] ?? 0) + 1;
    if (r.status < 200 || r.status > 299) {
      non2xx++;
      firstNon2xx ??= { status: r.status, body: r.head };
    }
  }
}

const sleep = (seconds) => new Promise((done) => setTimeout(done, seconds * 1000));
const loops = Array.from({ length: connections }, loop);
await sleep(Number(args.warmup));
measuring = true;
// These two lines let bench_web.ts sample the server's and this process's CPU for the window.
process.stderr.write("measure start\n");
const start = performance.now();
await sleep(Number(args.duration));
stopped = true;
const elapsed = (performance.now() - start) / 1000;
process.stderr.write("measure end\n");
await Promise.all(loops);
agent.destroy();

const sorted = latencies.subarray(0, count).sort();
/** Nearest-rank percentile. */
const pct = (p) =>
  count ? round(sorted[Math.min(count - 1, Math.ceil(p / 100 * count) - 1)]) : null;
function round(ms) {
  return Math.round(ms * 100) / 100;
}
console.log(JSON.stringify({
  runtime: typeof Deno === "undefined" ? `node ${process.version}` : `deno ${Deno.version.deno}`,
  url: url.href,
  paths: paths.length,
  method,
  connections,
  seconds: round(elapsed),
  requests: count,
  errors,
  non2xx,
  statuses,
  encodings,
  firstError,
  firstNon2xx,
  rps: Math.round(count / elapsed),
  bytesPerResponse: count ? Math.round(bytes / count) : 0,
  mean: count ? round(sorted.reduce((a, b) => a + b, 0) / count) : null,
  p50: pct(50),
  p95: pct(95),
  p99: pct(99),
  max: count ? round(sorted[count - 1]) : null,
}));
