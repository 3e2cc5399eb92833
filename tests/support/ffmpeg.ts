/**
 * Debian's ffmpeg for the video tests. Where it is missing the tests are skipped with a loud
 * banner — unless REQUIRE_FFMPEG=1 (CI), where that fails.
 */
import { join } from "node:path";
import { type FfmpegTools, findFfmpeg } from "../../lib/video/ffmpeg.ts";

export const FFMPEG = Deno.env.get("FFMPEG_PATH") || "ffmpeg";
export const REQUIRED = Deno.env.get("REQUIRE_FFMPEG") === "1";

export const tools: FfmpegTools | null = await findFfmpeg(FFMPEG);
if (!tools) {
  const line = "!".repeat(78);
  console.error(
    `\n${line}\n  VIDEO TESTS NOT RUN: no ffmpeg/ffprobe at ${FFMPEG} — install it with: ` +
      `apt-get install -y ffmpeg\n${line}\n`,
  );
}

/** Skipped without ffmpeg, except where it is required. */
export const skipWithoutFfmpeg = !tools && !REQUIRED;

export function requireTools(): FfmpegTools {
  if (!tools) throw new Error(`REQUIRE_FFMPEG=1 but no ffmpeg/ffprobe at ${FFMPEG}`);
  return tools;
}

export interface ClipOptions {
  width?: number;
  height?: number;
  seconds?: number;
  fps?: number;
  audio?: boolean;
}

const clips = new Map<string, Promise<string>>();

/**
 * A small H.264/AAC MP4 made by ffmpeg from its test pattern and a sine tone (made once per
 * run and options, in a temp dir removed at exit).
 */
export function testClip(options: ClipOptions = {}): Promise<string> {
  const { width = 640, height = 360, seconds = 3, fps = 15, audio = true } = options;
  const key = JSON.stringify({ width, height, seconds, fps, audio });
  let clip = clips.get(key);
  if (!clip) {
    clip = (async () => {
      const ffmpeg = requireTools().ffmpeg;
      const dir = await clipDir();
      const file = join(dir, `clip-${width}x${height}-${seconds}s-${fps}-${audio}.mp4`);
      const args = ["-hide_banner", "-loglevel", "error", "-y"];
      args.push("-f", "lavfi", "-i", `testsrc=size=${width}x${height}:rate=${fps}`);
      if (audio) args.push("-f", "lavfi", "-i", "sine=frequency=440");
      args.push("-t", String(seconds), "-c:v", "libx264", "-preset", "veryfast");
      args.push("-pix_fmt", "yuv420p");
      if (audio) args.push("-c:a", "aac", "-shortest");
      args.push(file);
      const { success, stderr } = await new Deno.Command(ffmpeg, { args, stdout: "null" }).output();
      if (!success) {
        throw new Error(`ffmpeg could not make a test clip: ${new TextDecoder().decode(stderr)}`);
      }
      return file;
    })();
    clips.set(key, clip);
  }
  return clip;
}

let dir: Promise<string> | undefined;
function clipDir(): Promise<string> {
  dir ??= Deno.makeTempDir({ prefix: "elymica-clips-" }).then((path) => {
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(path, { recursive: true });
      } catch { /* already gone */ }
    });
    return path;
  });
  return dir;
}
