/**
 * `deno task bench:video`: how long the worker's transcode (lib/video/transcode.ts — ffprobe,
 * then the ffmpeg ladder under `nice`, then the playlist checks) takes on this machine, and how
 * big each rung comes out, for the demo lesson MP4 and a generated 60 s 720p clip. Three runs per
 * input (median reported); the result replaces the "bench:video" section of docs/benchmarks.md.
 *
 *   deno task bench:video [path/to/other.mp4 …]
 */
import { basename, join } from "node:path";
import { findFfmpeg } from "../lib/video/ffmpeg.ts";
import { probe, transcodeToHls } from "../lib/video/transcode.ts";
import { machine, machineCpuSeconds, ROOT, scratch, writeModeSection } from "./bench_support.ts";

const DEMO_MP4 = join(ROOT, "supabase/seed-media/sample.mp4");
const RUNS = 3;

const tools = await findFfmpeg(Deno.env.get("FFMPEG_PATH") || "ffmpeg");
if (!tools) {
  console.error("bench:video needs ffmpeg and ffprobe: apt-get install -y ffmpeg");
  Deno.exit(1);
}
const work = await scratch();
try {
  const generated = join(work.tmp, "generated-720p-60s.mp4");
  const made = await new Deno.Command(tools.ffmpeg, {
    args: [
      ...["-hide_banner", "-loglevel", "error", "-y"],
      ...["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25"],
      ...["-f", "lavfi", "-i", "sine=frequency=440"],
      ...["-t", "60", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"],
      ...["-c:a", "aac", "-b:a", "128k", "-shortest", generated],
    ],
  }).output();
  if (!made.success) throw new Error(new TextDecoder().decode(made.stderr));

  const inputs = [
    { label: "demo lesson MP4 (`supabase/seed-media/sample.mp4`)", file: DEMO_MP4 },
    { label: "generated 720p clip (ffmpeg `testsrc2` + `sine`, 60 s, 25 fps)", file: generated },
    ...Deno.args.map((file) => ({ label: `\`${basename(file)}\``, file })),
  ];
  const { nproc, line } = await machine();
  const sections: string[] = [];
  for (const input of inputs) {
    if (!await Deno.stat(input.file).then(() => true, () => false)) {
      console.error(`skipped, not found: ${input.file}`);
      continue;
    }
    const source = await probe(tools, input.file, new AbortController().signal);
    const sourceBytes = (await Deno.stat(input.file)).size;
    const times: number[] = [];
    const cpus: number[] = [];
    const loads: number[] = [];
    let rungs: { name: string; size: string; bytes: number; segments: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const out = await Deno.makeTempDir({ dir: work.tmp });
      const cpu0 = machineCpuSeconds();
      const children0 = childrenCpuSeconds();
      const started = performance.now();
      const result = await transcodeToHls(tools, input.file, out, new AbortController().signal);
      const seconds = (performance.now() - started) / 1000;
      times.push(seconds);
      cpus.push(childrenCpuSeconds() - children0);
      loads.push((machineCpuSeconds() - cpu0) / seconds);
      rungs = [];
      for (const variant of result.variants) {
        const files = result.files.filter((f) => f.startsWith(`${variant.name}/`));
        let bytes = 0;
        for (const f of files) bytes += (await Deno.stat(join(out, f))).size;
        rungs.push({
          name: variant.name,
          size: `${variant.width}x${variant.height}`,
          bytes,
          segments: files.filter((f) => f.endsWith(".m4s")).length,
        });
      }
      await Deno.remove(out, { recursive: true });
      console.error(`${basename(input.file)} run ${run + 1}: ${seconds.toFixed(2)} s`);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
    const kbps = (bytes: number) => Math.round((bytes * 8) / source.durationSeconds / 1000);
    sections.push(
      [
        `### ${input.label}`,
        "",
        `- Source: ${source.width}x${source.height}, ${source.fps} fps, ` +
        `${source.durationSeconds.toFixed(1)} s, ${(sourceBytes / 1024).toFixed(0)} KiB, ` +
        `${source.hasAudio ? "with" : "no"} audio`,
        `- Transcode (probe + ladder + checks), ${RUNS} runs: ` +
        `${times.map((t) => t.toFixed(2)).join(" s, ")} s — median **${median.toFixed(2)} s**, ` +
        `${(source.durationSeconds / median).toFixed(1)}× real time`,
        `- CPU time of ffprobe + ffmpeg per run: ${
          cpus.map((c) => c.toFixed(1)).join(" s, ")
        } s — on ${nproc} otherwise idle cores the floor is about ` +
        `**${(Math.min(...cpus) / nproc).toFixed(1)} s**`,
        `- Machine busy during the runs (all processes, 100 % = one core): ` +
        loads.map((l) => `${Math.round(l * 100)} %`).join(", "),
        "",
        "| Rung | Size | Segments | Bytes (playlist, init, segments) | Average kbit/s |",
        "| ---- | ---- | -------: | -------------------------------: | -------------: |",
        ...rungs.map((r) =>
          `| ${r.name} | ${r.size} | ${r.segments} | ${r.bytes.toLocaleString("en")} | ${
            kbps(r.bytes)
          } |`
        ),
        `| all | | ${rungs.reduce((n, r) => n + r.segments, 0)} | ${
          rungs.reduce((n, r) => n + r.bytes, 0).toLocaleString("en")
        } | |`,
        "",
      ].join("\n"),
    );
  }
  const block = [
    "### This machine",
    "",
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    "- Command: `deno task bench:video`",
    `- Machine: ${line}`,
    `- ffmpeg: ${tools.version} (Debian), libx264 \`-preset veryfast\`, ` +
    `${tools.nice ? "under `nice -n 10`" : "without nice"}`,
    "",
    ...sections,
  ].join("\n");
  const intro = [
    "## bench:video",
    "",
    "Written by `deno task bench:video` (scripts/bench_video.ts): the worker's transcode",
    "(`transcodeToHls`: ffprobe, the ffmpeg ladder, the playlist checks; not the storage upload) on",
    "local disk, three runs per input. The ladder never goes above the source's height, so the demo",
    "video (240p) gets one rung. Average kbit/s is a rung's bytes over the video's duration: what a",
    "viewer on that rung downloads, MPEG-TS overhead and audio included. The machine is shared and",
    "ffmpeg runs under `nice`, so wall time depends on what else runs; the CPU time of ffmpeg and",
    "ffprobe does not, and CPU time over the cores is what an idle machine would take.",
    "",
  ].join("\n");
  await writeModeSection("## bench:video", intro, { ffmpeg: "### This machine" }, "ffmpeg", block);
  console.log(block);
} finally {
  await work.dispose();
}

/** CPU seconds of this process's finished children (ffprobe, ffmpeg): /proc/self/stat cutime + cstime. */
function childrenCpuSeconds(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command name: state is field 3, cutime 16 and cstime 17 (1-based, man 5 proc).
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}
