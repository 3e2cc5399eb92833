/**
 * The HLS ladder for 3G (decisions: "Video for 3G"): what to make of a source, and the ffmpeg
 * arguments that make it. Pure functions, so the choices are tested without running ffmpeg.
 *
 * - Capped quality, not a fixed bitrate: x264 at CRF 23 (its default quality) with a peak cap per
 *   rung — 240p at most 240k video (≈ 300 kbit/s with the sound) for a weak 3G signal, 360p 500k
 *   for ordinary 3G, 720p 1500k for HSPA+ or Wi-Fi. A slide or a talking head costs far less than
 *   the cap; nothing costs more. A source that is already lean caps every rung at 1.2× its own
 *   bitrate: re-encoding cannot add detail, only bytes.
 * - Never above the source's size: a 480p upload gets 240p and 360p only; a source under 240p
 *   gets one rung at its own size.
 * - H.264 baseline for 240p (the oldest phones' decoders), main above; AAC-LC at 64k (or the
 *   source's lower rate, never under 32k), the source's channels up to stereo, in every rung, so
 *   switching rungs never changes the sound.
 * - A keyframe every 4 s exactly (`-force_key_frames`, scene cuts off): 4-second segments
 *   that start on keyframes, so the player can switch rungs at any segment boundary.
 * - fMP4 segments, not MPEG-TS: at 240p TS framing costs ~13 % more bytes, and hls.js would
 *   have to transmux every TS segment in JavaScript on the phone; fMP4 goes to the decoder as is.
 * - Frame rates above 30 are halved (60 → 30, 50 → 25): half the bits at the same quality.
 */

export interface SourceVideo {
  /** Displayed size: rotation and non-square pixels already applied. */
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  hasAudio: boolean;
  /** The source's own bitrates and channels, where the container says. */
  videoKbps?: number;
  audioKbps?: number;
  audioChannels?: number;
}

export interface Rung {
  name: string;
  width: number;
  height: number;
  videoKbps: number;
  profile: "baseline" | "main";
  level: string;
}

/** One variant as recorded in public.lesson_renditions.variants. */
export interface Variant {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
}

export const SEGMENT_SECONDS = 4;
export const AUDIO_KBPS = 64;
export const CRF = 23;
/** No rung is capped below this, however lean the source. */
const MIN_VIDEO_KBPS = 64;

const LADDER: readonly Omit<Rung, "width">[] = [
  { name: "240p", height: 240, videoKbps: 240, profile: "baseline", level: "3.0" },
  { name: "360p", height: 360, videoKbps: 500, profile: "main", level: "3.0" },
  { name: "720p", height: 720, videoKbps: 1500, profile: "main", level: "3.1" },
];

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * The rungs to make of `source`, lowest first. A rung's name is its shorter side, as players
 * label them: a portrait phone video's "240p" is 240 wide.
 */
export function planLadder(source: SourceVideo): Rung[] {
  const portrait = source.height > source.width;
  const short = portrait ? source.width : source.height;
  const long = portrait ? source.height : source.width;
  const leanCap = source.videoKbps
    ? Math.max(MIN_VIDEO_KBPS, Math.round(source.videoKbps * 1.2))
    : Infinity;
  const sized = (rung: Omit<Rung, "width">, side: number): Rung => {
    const other = even((long * side) / short);
    const videoKbps = Math.min(rung.videoKbps, leanCap);
    return portrait
      ? { ...rung, videoKbps, width: side, height: other }
      : { ...rung, videoKbps, width: other, height: side };
  };
  const fitting = LADDER.filter((rung) => rung.height <= short);
  if (fitting.length > 0) return fitting.map((rung) => sized(rung, rung.height));
  const side = even(short);
  return [sized({ ...LADDER[0], name: `${side}p` }, side)];
}

/** The frame rate to encode at: the source's, halved while above 30. */
export function targetFps(fps: number): number {
  let out = fps > 0 && Number.isFinite(fps) ? fps : 25;
  while (out > 30.5) out /= 2;
  return Math.round(out * 1000) / 1000;
}

/**
 * ffmpeg's arguments: `input` → `<outDir>/master.m3u8` and `<outDir>/<rung>/index.m3u8` with
 * its init segment (`init.mp4`, or `init_<n>.mp4` with several rungs) and `seg_000.m4s`, … beside
 * each.
 */
export function hlsArgs(
  input: string,
  outDir: string,
  source: SourceVideo,
  rungs: Rung[],
): string[] {
  const fps = targetFps(source.fps);
  const fpsFilter = fps < source.fps ? `,fps=${fps}` : "";
  const split = rungs.length > 1
    ? `[0:v:0]split=${rungs.length}${rungs.map((_, i) => `[s${i}]`).join("")};`
    : "";
  const scales = rungs.map((rung, i) =>
    `${rungs.length > 1 ? `[s${i}]` : "[0:v:0]"}scale=${rung.width}:${rung.height}` +
    `${fpsFilter},setsar=1[v${i}]`
  );
  const args = [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-y",
    "-i",
    input,
    "-filter_complex",
    split + scales.join(";"),
  ];
  rungs.forEach((rung, i) => {
    args.push(
      "-map",
      `[v${i}]`,
      `-c:v:${i}`,
      "libx264",
      `-profile:v:${i}`,
      rung.profile,
      `-level:v:${i}`,
      rung.level,
      `-maxrate:v:${i}`,
      `${rung.videoKbps}k`,
      `-bufsize:v:${i}`,
      `${rung.videoKbps * 2}k`,
    );
  });
  args.push("-crf", String(CRF));
  if (source.hasAudio) {
    for (let i = 0; i < rungs.length; i++) args.push("-map", "0:a:0");
    const { kbps, channels } = audioOf(source);
    args.push("-c:a", "aac", "-b:a", `${kbps}k`, "-ac", String(channels));
  }
  const streamMap = rungs
    .map((rung, i) => `v:${i}${source.hasAudio ? `,a:${i}` : ""},name:${rung.name}`)
    .join(" ");
  args.push(
    "-preset",
    "veryfast",
    "-pix_fmt",
    "yuv420p",
    "-force_key_frames",
    `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
    "-sc_threshold",
    "0",
    "-f",
    "hls",
    "-hls_time",
    String(SEGMENT_SECONDS),
    "-hls_playlist_type",
    "vod",
    "-hls_flags",
    "independent_segments",
    "-hls_segment_type",
    "fmp4",
    "-hls_fmp4_init_filename",
    "init.mp4",
    "-hls_segment_filename",
    `${outDir}/%v/seg_%03d.m4s`,
    "-master_pl_name",
    "master.m3u8",
    "-var_stream_map",
    streamMap,
    `${outDir}/%v/index.m3u8`,
  );
  return args;
}

/** The sound every rung carries: 64k, or the source's own lower rate (at least 32k). */
export function audioOf(source: SourceVideo): { kbps: number; channels: number } {
  const kbps = source.audioKbps
    ? Math.min(AUDIO_KBPS, Math.max(32, Math.round(source.audioKbps)))
    : AUDIO_KBPS;
  return { kbps, channels: Math.min(2, Math.max(1, source.audioChannels ?? 2)) };
}

/**
 * The variants a master playlist lists, in its order, checked against the rungs that were
 * asked for: the source of truth for BANDWIDTH is what ffmpeg wrote.
 */
export function parseMaster(text: string, rungs: Rung[]): Variant[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  if (lines[0] !== "#EXTM3U") throw new Error("master.m3u8 is not a playlist");
  const variants: Variant[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith("#EXT-X-STREAM-INF:")) continue;
    const bandwidth = Number(lines[i].match(/[:,]BANDWIDTH=(\d+)/)?.[1]);
    const uri = lines[i + 1] ?? "";
    const rung = rungs.find((r) => uri === `${r.name}/index.m3u8`);
    if (!rung || !(bandwidth > 0)) {
      throw new Error(`master.m3u8 lists an unexpected variant ${uri}`);
    }
    variants.push({ name: rung.name, width: rung.width, height: rung.height, bandwidth });
  }
  if (variants.length !== rungs.length) {
    throw new Error(`master.m3u8 lists ${variants.length} variants, not ${rungs.length}`);
  }
  return variants;
}

/**
 * The files a variant playlist names — its init segment, then its media segments — checked: a
 * playlist that is unfinished (no ENDLIST), empty, or names anything else throws.
 */
export function parseVariant(text: string): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines[0] !== "#EXTM3U" || !lines.includes("#EXT-X-ENDLIST")) {
    throw new Error("a variant playlist is incomplete");
  }
  const init = lines.map((line) => line.match(/^#EXT-X-MAP:URI="([^"]*)"$/)?.[1]).filter(Boolean);
  if (init.length !== 1 || !/^init(_\d+)?\.mp4$/.test(init[0]!)) {
    throw new Error("a variant playlist has no init segment, or an unexpected one");
  }
  const segments = lines.filter((line) => !line.startsWith("#"));
  if (segments.length === 0 || segments.some((s) => !/^seg_\d{3,}\.m4s$/.test(s))) {
    throw new Error("a variant playlist lists no segments, or unexpected ones");
  }
  return [init[0]!, ...segments];
}
