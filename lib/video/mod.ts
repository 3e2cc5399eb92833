/**
 * Video for 3G: start-up decides whether lesson videos are transcoded into an HLS ladder (see
 * ./worker.ts). Without ffmpeg the app serves every video as its MP4 and says so once, clearly.
 */
import type { VideoConfig } from "../config.ts";
import type { Db } from "../db/types.ts";
import type { Logger } from "../log.ts";
import { findFfmpeg } from "./ffmpeg.ts";
import { startVideoWorker, type VideoStorage, type VideoWorker } from "./worker.ts";

export type { VideoStorage, VideoWorker } from "./worker.ts";
export { hlsPrefixColumn, hlsUrlFor, videoTtlSeconds } from "./renditions.ts";

/** VIDEO_TRANSCODE=on and no ffmpeg: start-up stops with this message. */
export class FfmpegMissingError extends Error {
  override name = "FfmpegMissingError";
}

/** The worker when transcoding is on and ffmpeg runs; null (logged) otherwise. */
export async function startVideoTranscoding(
  config: VideoConfig,
  deps: { db: Db; storage: VideoStorage; log: Logger },
): Promise<VideoWorker | null> {
  if (config.transcode === "off") {
    deps.log.info("video transcoding is off (VIDEO_TRANSCODE=off): lessons play their MP4");
    return null;
  }
  const tools = await findFfmpeg(config.ffmpegPath);
  if (!tools) {
    const why = `no ffmpeg/ffprobe at ${config.ffmpegPath} (install: apt-get install -y ffmpeg)`;
    if (config.transcode === "on") {
      throw new FfmpegMissingError(`VIDEO_TRANSCODE=on, but there is ${why}`);
    }
    deps.log.warn(`VIDEO TRANSCODING OFF: ${why}; lessons play their MP4 only`);
    return null;
  }
  deps.log.info("video transcoding on", { ffmpeg: tools.version, nice: tools.nice !== null });
  return startVideoWorker({ ...deps, tools, jobTimeoutMs: config.jobTimeoutMs });
}
