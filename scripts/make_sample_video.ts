/**
 * Makes supabase/seed-media/sample.mp4, the demo video every demo video lesson plays: 12 s,
 * 426x240 (240p), H.264 baseline + AAC mono, moov atom first (+faststart) so a browser can start
 * playing before the whole file is in, about 250 KB. Needs ffmpeg (Debian: apt-get install
 * ffmpeg) and the DejaVu fonts. The file is committed; run this only to change it:
 *
 *   deno run -A scripts/make_sample_video.ts
 */
import { SAMPLE_VIDEO, SAMPLE_VIDEO_SECONDS } from "../lib/demo_media/mod.ts";

const font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
const text = (value: string, size: number, y: number) =>
  `drawtext=fontfile=${font}:text='${value}':fontcolor=white:fontsize=${size}:x=(w-text_w)/2:y=${y}`;
const seconds = SAMPLE_VIDEO_SECONDS;

const args = [
  ...["-hide_banner", "-loglevel", "error", "-y"],
  ...["-f", "lavfi", "-i", `testsrc2=size=426x240:rate=24:duration=${seconds}`],
  ...[
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:beep_factor=4:sample_rate=44100:duration=${seconds}`,
  ],
  "-vf",
  [
    "drawbox=x=0:y=80:w=iw:h=80:color=black@0.6:t=fill",
    text("Elymica sample lesson", 24, 92),
    text("%{pts\\:hms}", 18, 128),
  ].join(","),
  ...["-af", "volume=0.15"],
  ...["-c:v", "libx264", "-profile:v", "baseline", "-level", "3.0", "-pix_fmt", "yuv420p"],
  ...["-preset", "veryslow", "-crf", "34", "-g", "48"],
  ...["-c:a", "aac", "-b:a", "32k", "-ac", "1"],
  ...["-movflags", "+faststart", SAMPLE_VIDEO],
];

const { code, stderr } = await new Deno.Command("ffmpeg", { args, stderr: "piped" }).output();
if (code !== 0) {
  console.error(new TextDecoder().decode(stderr));
  Deno.exit(1);
}
console.log(`${SAMPLE_VIDEO}: ${(await Deno.stat(SAMPLE_VIDEO)).size} bytes`);
