/**
 * Bundles the client runtime and every island with esbuild at start-up, in memory.
 * Code splitting gives each island a tiny file and ONE shared chunk (preact, signals), so a
 * page downloads only the islands it uses. Names carry a content hash and are served
 * `immutable`: a deploy changes the URL, never the bytes behind one.
 */
import * as esbuild from "esbuild";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface IslandSource {
  name: string;
  file: string;
}

export interface IslandBundles {
  /** URL of the runtime that exports `boot`. */
  runtimeUrl: string;
  /** Island name → URL of its entry bundle. */
  islandUrls: Map<string, string>;
  /** File name under /_islands/ → contents (entries and shared chunks). */
  files: Map<string, Uint8Array>;
}

export const BUNDLE_PREFIX = "/_islands/";
const RUNTIME = fileURLToPath(new URL("./client_runtime.ts", import.meta.url));

// esbuild runs one child process per Deno process and stop() ends it; builds are chained so
// one app's stop() can never cut off another app's build (tests build several apps).
let queue: Promise<unknown> = Promise.resolve();

export function buildIslands(islands: IslandSource[]): Promise<IslandBundles> {
  const run = queue.then(() => build(islands));
  queue = run.catch(() => {});
  return run;
}

async function build(islands: IslandSource[]): Promise<IslandBundles> {
  const workDir = dirname(RUNTIME);
  const outdir = resolve(workDir, "_islands_out"); // never written: write: false
  try {
    const result = await esbuild.build({
      entryPoints: [
        { in: RUNTIME, out: "runtime" },
        ...islands.map((island) => ({ in: island.file, out: island.name })),
      ],
      absWorkingDir: workDir,
      outdir,
      write: false,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      // Syntax of ~2019 browsers (newer syntax is lowered). Browsers older than module
      // scripts get no JS at all, and every page works without it.
      target: "es2019",
      minify: true,
      jsx: "automatic",
      jsxImportSource: "preact",
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      metafile: true,
      logLevel: "silent",
    });
    const files = new Map<string, Uint8Array>();
    for (const out of result.outputFiles) files.set(basename(out.path), out.contents);
    const urlOf = new Map<string, string>(); // absolute entry file → URL
    for (const [outPath, meta] of Object.entries(result.metafile.outputs)) {
      if (meta.entryPoint) {
        urlOf.set(resolve(workDir, meta.entryPoint), BUNDLE_PREFIX + basename(outPath));
      }
    }
    const islandUrls = new Map(islands.map((i) => [i.name, urlOf.get(resolve(i.file))!]));
    return { runtimeUrl: urlOf.get(RUNTIME)!, islandUrls, files };
  } finally {
    await esbuild.stop();
  }
}
