/**
 * `deno task start` as a new user runs it: no variables, an empty data folder. The server
 * migrates, seeds, serves the landing page and health, and a second start reuses the data.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { readMigrations } from "../lib/db/migrate.ts";

const mainTs = fileURLToPath(new URL("../main.ts", import.meta.url));
const migrations = (await readMigrations()).length;

/** The environment of a fresh clone: only what a shell has, none of our variables. */
function cleanEnv(dataDir: string, extra: Record<string, string> = {}) {
  const { PATH = "", HOME = "", DENO_DIR } = Deno.env.toObject();
  return { PATH, HOME, ...(DENO_DIR ? { DENO_DIR } : {}), DATA_DIR: dataDir, PORT: "0", ...extra };
}

interface Started {
  url: string;
  output: () => string;
  stop(): Promise<Deno.CommandStatus>;
}

async function startServer(env: Record<string, string>): Promise<Started> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", mainTs],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  while (!/running at (\S+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server stopped before serving:\n${text}\n${await stderr}`);
    text += value;
  }
  const url = /running at (\S+)/.exec(text)![1];
  const drain = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += value;
    }
  })();
  return {
    url,
    output: () => text,
    async stop() {
      child.kill("SIGTERM");
      const status = await child.status;
      await drain;
      await stderr;
      return status;
    },
  };
}

Deno.test("a fresh start migrates, seeds, serves; a second start reuses the data", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "elymica-start-" });
  try {
    const first = await startServer(cleanEnv(dataDir));
    try {
      const home = await fetch(first.url);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /Elymica/);
      const health = await fetch(new URL("/api/health", first.url));
      assert.deepEqual(await health.json(), { status: "ok", db: "embedded", migrations });
      assert.match(first.output(), /admin1@nairobi\.demo\.elymica\.test/);
      assert.match(first.output(), /Elymica-Demo-2026/);
      assert.match(first.output(), /"seeded":true/);
      // ffmpeg is on a fresh clone's PATH where it is installed (tests/video prove the rest).
      assert.match(first.output(), /"video transcoding on"|VIDEO TRANSCODING OFF: no ffmpeg/);
    } finally {
      assert.equal((await first.stop()).code, 0, "SIGTERM stops the server cleanly");
    }
    const second = await startServer(cleanEnv(dataDir));
    try {
      assert.equal((await fetch(new URL("/api/health", second.url))).status, 200);
      assert.match(second.output(), /"newlyApplied":\[\],"seeded":false/);
    } finally {
      await second.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a malformed variable stops start-up with a message naming it and no stack trace", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "elymica-start-" });
  try {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", mainTs],
      env: cleanEnv(dataDir, { PORT: "eighty" }),
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    }).output();
    const message = new TextDecoder().decode(stderr);
    assert.equal(code, 1);
    assert.match(message, /PORT/);
    assert.doesNotMatch(message, /\bat .*\.ts:\d+/, "no stack trace");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
