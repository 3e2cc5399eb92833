/**
 * What `deno task bench:web` and `deno task bench:auth` share: a scratch area that Ctrl-C cannot
 * leave behind, a throwaway `elymica_bench_*` database, servers in their own processes, a
 * scripts/loadgen.mjs run with the CPU of each process in its measured window, and the
 * per-database-mode blocks of docs/benchmarks.md.
 */
import postgres from "postgres";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const LOADGEN = fileURLToPath(new URL("./loadgen.mjs", import.meta.url));
export const DOC = `${ROOT}docs/benchmarks.md`;

export type Cleanups = (() => Promise<unknown>)[];

/**
 * A temp directory and a list of clean-ups run in reverse on `cleanUp()` and on Ctrl-C, so
 * neither a database nor a server is left behind. `dispose()` cleans up and drops the handler.
 */
export async function scratch() {
  const tmp = await Deno.makeTempDir({ prefix: "elymica_bench_" });
  const cleanups: Cleanups = [() => Deno.remove(tmp, { recursive: true })];
  const cleanUp = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e) => console.error("cleanup:", e));
    cleanups.length = 0;
  };
  const onInterrupt = async () => {
    await cleanUp();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  return {
    tmp,
    cleanups,
    async dispose() {
      await cleanUp();
      Deno.removeSignalListener("SIGINT", onInterrupt);
    },
  };
}

/**
 * A new database on `adminUrl`'s server; its drop is pushed onto `cleanups`. `state` ends the
 * description, e.g. "migrated, not seeded".
 */
export async function throwawayDatabase(adminUrl: string, cleanups: Cleanups, state: string) {
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
    url: url.toString(),
    env: { DATABASE_URL: url.toString() },
    mode: "postgres",
    description: `PostgreSQL ${server_version} at ${url.host}, a throwaway database ` +
      `\`elymica_bench_*\` (${state}; dropped at the end)`,
  };
}

/** `DATABASE_URL` as it may be shown in a report: without its password. */
export function shownUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const shown = new URL(url);
  if (shown.password) shown.password = "***";
  return shown.toString();
}

// ---------------------------------------------------------------------------------------------
// Servers in their own processes. A server mode writes "listening <url>" on stderr once it serves.

/** `start()` from main.ts with the configuration from the environment (a server child mode). */
export async function serveApp() {
  // Imported here, not at the top, so the other processes stay bare.
  const { start } = await import("../main.ts");
  const { loadConfig } = await import("../lib/config.ts");
  const running = await start(loadConfig());
  onTerminate(() => running.stop());
  // The app listens on 0.0.0.0: 127.0.0.1 avoids a client trying ::1 for "localhost" first.
  console.error(`listening ${running.url.replace("localhost", "127.0.0.1")}`);
}

export function onTerminate(stop: () => Promise<void>) {
  Deno.addSignalListener("SIGTERM", async () => {
    await stop();
    Deno.exit(0);
  });
}

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `deno run -A <script> --serve <mode> <args>`, up once it has said where it listens. */
export async function spawnServer(
  script: string,
  mode: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, "--serve", mode, ...args],
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

export async function* lines(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
): AsyncGenerator<string> {
  let buffered = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    buffered += text;
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    yield* parts;
  }
  if (buffered) yield buffered;
}

// ---------------------------------------------------------------------------------------------
// Load.

export interface LoadResult {
  runtime: string;
  requests: number;
  errors: number;
  non2xx: number;
  statuses: Record<string, number>;
  encodings: Record<string, number>;
  firstError?: string;
  /** The first response outside 2xx, its status and the start of its body. */
  firstNon2xx?: { status: number; body: string };
  seconds: number;
  rps: number;
  bytesPerResponse: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Added here: CPU used in the measured window, in % of one core; `otherCpu` is the rest of
   * the machine (the PostgreSQL server in that mode, and anything else that was running). */
  serverCpu: number;
  clientCpu: number;
  otherCpu: number;
}

export interface LoadOptions {
  url: URL;
  connections: string;
  warmup: string;
  duration: string;
  /** deno (default) or node. */
  client: string;
  headers: Record<string, string>;
  method?: string;
  /** A JSON array: connection i sends element i % length (see scripts/loadgen.mjs). */
  bodiesFile?: string;
  /** A JSON array of paths on `url`'s server, requested in turn (see scripts/loadgen.mjs). */
  pathsFile?: string;
  /** Called at the start and the end of the measured window, to sample more than the CPU. */
  onMark?: () => void;
}

/** One loadgen process against one server, with both processes' CPU in its window. */
export async function runLoad(server: Server, options: LoadOptions): Promise<LoadResult> {
  const { url } = options;
  const method = options.method ?? "GET";
  const args = [
    LOADGEN,
    `--url=${url}`,
    `--connections=${options.connections}`,
    `--warmup=${options.warmup}`,
    `--duration=${options.duration}`,
    ...(method === "GET" ? [] : [`--method=${method}`]),
    ...(options.bodiesFile ? [`--bodies-file=${options.bodiesFile}`] : []),
    ...(options.pathsFile ? [`--paths-file=${options.pathsFile}`] : []),
    ...Object.entries(options.headers).map(([k, v]) => `--header=${k}: ${v}`),
  ];
  const [command, commandArgs] = options.client === "node"
    ? ["node", args]
    : [Deno.execPath(), ["run", "-A", ...args]];
  console.error(`load ${method} ${url} …`);
  const child = new Deno.Command(command, {
    args: commandArgs,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const marks: CpuMark[] = [];
  for await (const line of lines(child.stderr)) {
    if (line.startsWith("measure ")) {
      marks.push(cpuMark(server.pid, child.pid));
      options.onMark?.();
    } else console.error(line);
  }
  if (!(await child.status).success || marks.length !== 2) {
    throw new Error(`loadgen failed on ${url}`);
  }
  return { ...JSON.parse(await stdout), ...cpuPercents(marks[0], marks[1]) };
}

export interface CpuMark {
  server: number;
  client: number;
  machine: number;
  at: number;
}

/** CPU seconds so far of a server process, a client process and the whole machine. */
export function cpuMark(serverPid: number, clientPid: number): CpuMark {
  return {
    server: cpuSeconds(serverPid),
    client: cpuSeconds(clientPid),
    machine: machineCpuSeconds(),
    at: Date.now(),
  };
}

/** CPU between two marks in % of one core; other = the machine less server and client. */
export function cpuPercents(from: CpuMark, to: CpuMark) {
  const wall = (to.at - from.at) / 1000;
  const percent = (key: "server" | "client" | "machine") =>
    Math.round((to[key] - from[key]) / wall * 100);
  const [serverCpu, clientCpu] = [percent("server"), percent("client")];
  const otherCpu = Math.max(0, percent("machine") - serverCpu - clientCpu);
  return { serverCpu, clientCpu, otherCpu };
}

/** User + system CPU time of a process, all threads (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

/**
 * CPU seconds of each PostgreSQL backend connected to database `dbName`: a backend's title (its
 * /proc cmdline) is "postgres: <cluster>: <user> <database> <client> <state>". Other databases'
 * backends (someone's tests) and the server's shared processes are not counted.
 */
export function backendCpuSeconds(dbName: string | undefined): Map<number, number> {
  const found = new Map<number, number>();
  if (!dbName) return found;
  for (const { name } of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const title = Deno.readTextFileSync(`/proc/${name}/cmdline`);
      if (title.startsWith("postgres: ") && title.includes(` ${dbName} `)) {
        found.set(Number(name), cpuSeconds(Number(name)));
      }
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

/** Busy CPU time of the whole machine, all cores (first line of /proc/stat, minus idle). */
export function machineCpuSeconds(): number {
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = Deno.readTextFileSync(
    "/proc/stat",
  ).split("\n")[0].split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

// ---------------------------------------------------------------------------------------------
// Report.

/** `nproc`, the CPU model and the memory, as one line of a report. */
export async function machine(): Promise<{ nproc: number; line: string }> {
  const nproc = new TextDecoder().decode((await new Deno.Command("nproc").output()).stdout).trim();
  const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/^model name\s*:\s*(.*)$/m)?.[1];
  const memKb = Number(
    (await Deno.readTextFile("/proc/meminfo")).match(/^MemTotal:\s*(\d+)/m)?.[1],
  );
  return {
    nproc: Number(nproc),
    line: `\`nproc\` ${nproc}, ${cpu}, ${(memKb / 1024 / 1024).toFixed(1)} GiB RAM`,
  };
}

/**
 * Rewrites the section `heading` of docs/benchmarks.md as `intro` followed by one block per
 * database mode (`titles`, in that order): this run's block replaces its mode's, the other
 * mode's is kept, and so is every other section.
 */
export async function writeModeSection(
  heading: string,
  intro: string,
  titles: Record<string, string>,
  mode: string,
  block: string,
) {
  const doc = await Deno.readTextFile(DOC).catch(() => "# Benchmarks\n");
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const start = doc.search(new RegExp(`^${escaped}\\s*$`, "m"));
  const next = start < 0 ? -1 : doc.slice(start + heading.length).search(/^## /m);
  const end = start < 0 || next < 0 ? doc.length : start + heading.length + next;
  const old = start < 0 ? "" : doc.slice(start, end);
  const blocks: Record<string, string> = {};
  for (const [key, title] of Object.entries(titles)) {
    const at = old.indexOf(`${title}\n`);
    if (at < 0) continue;
    const rest = old.slice(at + title.length).search(/^#{2,3} /m);
    blocks[key] = old.slice(at, rest < 0 ? undefined : at + title.length + rest).trimEnd() + "\n";
  }
  blocks[mode] = block;
  const section = [intro, ...Object.keys(titles).flatMap((k) => blocks[k] ?? [])].join("\n");
  const before = start < 0 ? doc.trimEnd() + "\n\n" : doc.slice(0, start);
  const after = doc.slice(end);
  await Deno.writeTextFile(DOC, before + section + (after ? `\n${after}` : ""));
  // `deno task test` checks the formatting of every file, this one included.
  const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", DOC], cwd: ROOT })
    .output();
  if (!fmt.success) throw new Error(`deno fmt ${DOC} failed`);
}
