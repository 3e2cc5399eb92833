/**
 * Turns the files under `routes/` into an ordered list of Hono patterns (Fresh's
 * file-system routing). Pure file listing: modules are imported by the app factory.
 *
 *   index.tsx             → the folder's own path
 *   courses/[id].tsx      → /courses/:id
 *   docs/[...rest].tsx    → /docs/:rest{.+}   (one or more segments)
 *   (group)/x.tsx         → /x                (groups organise files, not URLs)
 *   _middleware.ts        → runs for its folder and below, root first
 *   _app / _404 / _500    → document shell and error pages (root folder only)
 *   (_islands)/ …         → route-local islands; (_components)/ and other (_x)/ are skipped
 */
import { join, relative } from "node:path";

export interface ScannedRoute {
  file: string;
  /** Hono path pattern, e.g. `/courses/:courseId`. */
  pattern: string;
  /** Middleware files that wrap this route, outermost (root) first. */
  middlewares: string[];
  /** Per segment: 0 static, 1 dynamic, 2 catch-all. Lower sorts first. */
  rank: number[];
}

export interface ScannedRoutes {
  routes: ScannedRoute[];
  appFile?: string;
  notFoundFile?: string;
  errorFile?: string;
  /** The root folder's middleware only: also wraps requests that match no route. */
  rootMiddlewares: string[];
  /** Files found in `(_islands)` folders next to routes. */
  islandFiles: string[];
}

const MODULE = /\.tsx?$/;
const SKIP_FILE = /(_test\.tsx?|\.d\.ts)$/;
const PARAM = /^\[(\.\.\.)?([A-Za-z_$][\w$]*)\]$/; // [id] or [...rest]
// Characters Hono would read as pattern syntax must not hide in a static segment.
const STATIC = /^[\w.~!$&'+,;=@%-]+$/;

/** Converts one route path relative to `routes/` (no extension) into a pattern and rank. */
export function toPattern(relPath: string): { pattern: string; rank: number[] } {
  const segments = relPath.split("/").filter((s) => !/^\(.*\)$/.test(s));
  if (segments.at(-1) === "index") segments.pop();
  const parts = segments.map((segment): [string, number] => {
    const m = PARAM.exec(segment);
    if (m) return m[1] ? [`:${m[2]}{.+}`, 2] : [`:${m[2]}`, 1];
    if (STATIC.test(segment)) return [segment, 0];
    throw new Error(`routes/${relPath}: unsupported segment "${segment}"`);
  });
  return { pattern: "/" + parts.map((p) => p[0]).join("/"), rank: parts.map((p) => p[1]) };
}

/** Static beats dynamic beats catch-all, segment by segment; Hono tries routes in this order. */
export function compareRoutes(a: ScannedRoute, b: ScannedRoute): number {
  for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) {
    if (a.rank[i] !== b.rank[i]) return a.rank[i] - b.rank[i];
  }
  // Same shape so far: the longer (more specific) one first, then by name for a stable order.
  return b.rank.length - a.rank.length || (a.pattern < b.pattern ? -1 : 1);
}

export async function scanRoutes(routesDir: string): Promise<ScannedRoutes> {
  const out: ScannedRoutes = { routes: [], rootMiddlewares: [], islandFiles: [] };
  const seen = new Map<string, string>();

  async function walk(dir: string, middlewares: string[]): Promise<void> {
    const entries = await listDir(dir);
    const mw = entries.find((e) => e.isFile && /^_middleware\.tsx?$/.test(e.name));
    const chain = mw ? [...middlewares, join(dir, mw.name)] : middlewares;
    const isRoot = dir === routesDir;
    if (isRoot) out.rootMiddlewares = chain;

    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) {
        if (entry.name === "(_islands)") out.islandFiles.push(...await moduleFiles(path));
        if (entry.name.startsWith("_") || entry.name.startsWith("(_")) continue;
        await walk(path, chain);
        continue;
      }
      if (!entry.isFile || !MODULE.test(entry.name) || SKIP_FILE.test(entry.name)) continue;
      const stem = entry.name.replace(MODULE, "");
      if (stem.startsWith("_")) {
        if (isRoot && stem === "_app") out.appFile = path;
        else if (isRoot && stem === "_404") out.notFoundFile = path;
        else if (isRoot && stem === "_500") out.errorFile = path;
        continue;
      }
      const rel = relative(routesDir, path).replace(MODULE, "").split("\\").join("/");
      const { pattern, rank } = toPattern(rel);
      const clash = seen.get(pattern);
      if (clash) throw new Error(`routes: ${clash} and ${rel} both map to ${pattern}`);
      seen.set(pattern, rel);
      out.routes.push({ file: path, pattern, middlewares: chain, rank });
    }
  }

  await walk(routesDir, []);
  out.routes.sort(compareRoutes);
  return out;
}

/** `.ts`/`.tsx` files directly in `dir` (not tests), sorted; none if the folder is missing. */
export async function moduleFiles(dir: string): Promise<string[]> {
  return (await listDir(dir))
    .filter((e) => e.isFile && MODULE.test(e.name) && !SKIP_FILE.test(e.name))
    .map((e) => join(dir, e.name));
}

/** Entries of `dir` sorted by name (a stable route order); none if the folder is missing. */
export async function listDir(dir: string): Promise<Deno.DirEntry[]> {
  const entries = await Array.fromAsync(Deno.readDir(dir)).catch((err) => {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  });
  return entries.sort((a, b) => (a.name < b.name ? -1 : 1));
}
