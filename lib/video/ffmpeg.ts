/**
 * ffmpeg and ffprobe as child processes: found once at start-up, run with an argument list
 * (Deno.Command, never a shell, so no file name is ever interpreted), killed when the job's
 * signal aborts. Their messages are cut to the last line and stripped of local paths before
 * anyone stores or logs them.
 */

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  /** e.g. "5.1.9-0+deb12u1", for the start-up log. */
  version: string;
  /** `nice` when present: transcoding yields the CPU to web requests on a small server. */
  nice: string | null;
}

/** The input cannot be transcoded however often it is tried: the job fails without retries. */
export class UnusableVideoError extends Error {
  override name = "UnusableVideoError";
}

/**
 * ffmpeg at `ffmpegPath` (a path, or a name looked up on PATH) and the ffprobe beside it; null
 * when either is missing or does not run.
 */
export async function findFfmpeg(ffmpegPath = "ffmpeg"): Promise<FfmpegTools | null> {
  const ffprobe = ffmpegPath.replace(/ffmpeg([^/]*)$/, "ffprobe$1");
  if (ffprobe === ffmpegPath) return null;
  const version = await versionOf(ffmpegPath);
  if (!version || !await versionOf(ffprobe)) return null;
  const nice = await runs("nice", ["true"]) ? "nice" : null;
  return { ffmpeg: ffmpegPath, ffprobe, version, nice };
}

async function versionOf(program: string): Promise<string | null> {
  try {
    const { success, stdout } = await new Deno.Command(program, {
      args: ["-hide_banner", "-version"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!success) return null;
    const first = new TextDecoder().decode(stdout).split("\n")[0];
    return first.match(/version (\S+)/)?.[1] ?? "unknown";
  } catch {
    return null;
  }
}

async function runs(program: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(program, { args, stdin: "null", stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

export interface RunResult {
  stdout: string;
}

/**
 * Runs a tool to completion. A failure throws an Error whose message is the tool's last
 * stderr line with `hidePaths` replaced by "…", so it can be stored and logged as it is.
 */
export async function runTool(
  tools: FfmpegTools,
  program: "ffmpeg" | "ffprobe",
  args: string[],
  options: { signal: AbortSignal; hidePaths: string[] },
): Promise<RunResult> {
  const [command, commandArgs] = tools.nice && program === "ffmpeg"
    ? [tools.nice, ["-n", "10", tools.ffmpeg, ...args]]
    : [tools[program], args];
  options.signal.throwIfAborted();
  const child = new Deno.Command(command, {
    args: commandArgs,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: options.signal,
  }).spawn();
  const { code, signal, stdout, stderr } = await child.output();
  options.signal.throwIfAborted();
  if (code !== 0) {
    const last = lastLine(new TextDecoder().decode(stderr), options.hidePaths);
    const how = signal ? `was stopped by ${signal}` : `exited with ${code}`;
    throw new Error(`${program} ${how}${last ? `: ${last}` : ""}`);
  }
  return { stdout: new TextDecoder().decode(stdout) };
}

/** The last non-empty line, local paths hidden, at most 300 characters. */
export function lastLine(text: string, hidePaths: string[]): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).at(-1) ?? "";
  return hideAll(line, hidePaths).slice(0, 300);
}

export function hideAll(text: string, paths: string[]): string {
  let out = text;
  for (const path of paths.filter(Boolean).sort((a, b) => b.length - a.length)) {
    out = out.replaceAll(path, "…");
  }
  return out;
}
