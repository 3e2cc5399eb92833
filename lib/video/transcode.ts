/**
 * One transcode on local disk: probe the source (refusing what is not a readable video), make
 * the ladder with ffmpeg, then check what it wrote — a master listing every rung, each rung a
 * finished playlist whose segments exist — before anything is uploaded.
 */
import { join } from "node:path";
import { type FfmpegTools, runTool, UnusableVideoError } from "./ffmpeg.ts";
import {
  hlsArgs,
  parseMaster,
  parseVariant,
  planLadder,
  type SourceVideo,
  type Variant,
} from "./ladder.ts";

export interface HlsOutput {
  variants: Variant[];
  /** Every file written, relative to the output folder ("master.m3u8", "240p/seg_000.m4s", …). */
  files: string[];
}

interface ProbeJson {
  streams?: {
    codec_type?: string;
    width?: number;
    height?: number;
    r_frame_rate?: string;
    avg_frame_rate?: string;
    sample_aspect_ratio?: string;
    duration?: string;
    bit_rate?: string;
    channels?: number;
    disposition?: { attached_pic?: number };
    tags?: { rotate?: string };
    side_data_list?: { rotation?: number }[];
  }[];
  format?: { duration?: string };
}

/** What the source is. Not a video, or not readable → UnusableVideoError (no retry helps). */
export async function probe(
  tools: FfmpegTools,
  file: string,
  signal: AbortSignal,
): Promise<SourceVideo> {
  let json: ProbeJson;
  try {
    const { stdout } = await runTool(
      tools,
      "ffprobe",
      ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", file],
      { signal, hidePaths: [file] },
    );
    json = JSON.parse(stdout);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new UnusableVideoError(
      `The file is not a video ffmpeg can read (${(error as Error).message})`,
    );
  }
  const video = json.streams?.find((s) =>
    s.codec_type === "video" && !s.disposition?.attached_pic && s.width && s.height
  );
  if (!video) throw new UnusableVideoError("The file has no video track");
  const duration = Number(video.duration ?? json.format?.duration);
  if (!(duration > 0)) throw new UnusableVideoError("The video has no length");

  const [sarNum, sarDen] = (video.sample_aspect_ratio ?? "1:1").split(":").map(Number);
  const sar = sarNum > 0 && sarDen > 0 ? sarNum / sarDen : 1;
  const rotation = Number(
    video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ??
      video.tags?.rotate ?? 0,
  );
  const sideways = Math.abs(rotation) % 180 === 90;
  const displayWidth = Math.round(video.width! * sar);
  const fps = rate(video.avg_frame_rate) || rate(video.r_frame_rate) || 25;
  const audio = json.streams!.find((s) => s.codec_type === "audio");
  const kbps = (bitRate: string | undefined) =>
    Number(bitRate) > 0 ? Number(bitRate) / 1000 : undefined;
  return {
    width: sideways ? video.height! : displayWidth,
    height: sideways ? displayWidth : video.height!,
    fps,
    durationSeconds: duration,
    hasAudio: audio !== undefined,
    videoKbps: kbps(video.bit_rate),
    audioKbps: kbps(audio?.bit_rate),
    audioChannels: audio?.channels,
  };
}

function rate(text: string | undefined): number {
  const [num, den] = (text ?? "").split("/").map(Number);
  return num > 0 && den > 0 ? num / den : 0;
}

/** Transcodes `input` into `outDir` (empty, existing) and returns what was made. */
export async function transcodeToHls(
  tools: FfmpegTools,
  input: string,
  outDir: string,
  signal: AbortSignal,
): Promise<HlsOutput> {
  const source = await probe(tools, input, signal);
  const rungs = planLadder(source);
  for (const rung of rungs) await Deno.mkdir(join(outDir, rung.name));
  await runTool(tools, "ffmpeg", hlsArgs(input, outDir, source, rungs), {
    signal,
    hidePaths: [input, outDir],
  });

  const variants = parseMaster(await Deno.readTextFile(join(outDir, "master.m3u8")), rungs);
  const files = ["master.m3u8"];
  for (const rung of rungs) {
    const playlist = `${rung.name}/index.m3u8`;
    const segments = parseVariant(await Deno.readTextFile(join(outDir, playlist)));
    for (const segment of segments) {
      const size = (await Deno.stat(join(outDir, rung.name, segment))).size;
      if (size === 0) throw new Error(`ffmpeg wrote an empty segment ${rung.name}/${segment}`);
    }
    files.push(playlist, ...segments.map((segment) => `${rung.name}/${segment}`));
  }
  return { variants, files };
}

/** The type storage serves each output with. */
export function contentTypeOf(file: string): string {
  if (file.endsWith(".m3u8")) return "application/vnd.apple.mpegurl";
  return file.endsWith(".m4s") ? "video/iso.segment" : "video/mp4";
}
