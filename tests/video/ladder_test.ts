/** The ladder's choices, without running ffmpeg: rungs, sizes, frame rates, arguments, playlists. */
import assert from "node:assert/strict";
import {
  hlsArgs,
  parseMaster,
  parseVariant,
  planLadder,
  targetFps,
} from "../../lib/video/ladder.ts";
import { videoTtlSeconds } from "../../lib/video/renditions.ts";

const source = (width: number, height: number, extra = {}) => ({
  width,
  height,
  fps: 25,
  durationSeconds: 60,
  hasAudio: true,
  ...extra,
});
const sizes = (w: number, h: number) =>
  planLadder(source(w, h)).map((r) =>
    `${r.name} ${r.width}x${r.height} ${r.videoKbps}k ${r.profile}`
  );

Deno.test("the ladder never goes above the source, and a tiny source gets one rung of its own size", () => {
  assert.deepEqual(sizes(1920, 1080), [
    "240p 426x240 240k baseline",
    "360p 640x360 500k main",
    "720p 1280x720 1500k main",
  ]);
  assert.deepEqual(sizes(854, 480), ["240p 428x240 240k baseline", "360p 640x360 500k main"]);
  assert.deepEqual(sizes(640, 360), ["240p 426x240 240k baseline", "360p 640x360 500k main"]);
  assert.deepEqual(sizes(480, 360), ["240p 320x240 240k baseline", "360p 480x360 500k main"]);
  assert.deepEqual(sizes(320, 180), ["180p 320x180 240k baseline"]);
  assert.deepEqual(sizes(175, 99), ["100p 176x100 240k baseline"]);
});

Deno.test("a lean source caps every rung at 1.2× its own bitrate; its sound is kept as lean", () => {
  const lean = source(854, 480, { videoKbps: 150, audioKbps: 32.5, audioChannels: 1 });
  assert.deepEqual(planLadder(lean).map((r) => r.videoKbps), [180, 180]);
  assert.deepEqual(planLadder({ ...lean, videoKbps: 20 }).map((r) => r.videoKbps), [64, 64]);
  assert.deepEqual(planLadder({ ...lean, videoKbps: 300 }).map((r) => r.videoKbps), [240, 360]);
  const args = hlsArgs("/in", "/out", lean, planLadder(lean));
  assert.equal(args[args.indexOf("-b:a") + 1], "33k");
  assert.equal(args[args.indexOf("-ac") + 1], "1");
  const quiet = hlsArgs("/in", "/out", { ...lean, audioKbps: 8 }, planLadder(lean));
  assert.equal(quiet[quiet.indexOf("-b:a") + 1], "32k", "never under 32k");
});

Deno.test("a portrait phone video is laddered by its shorter side", () => {
  assert.deepEqual(sizes(720, 1280), [
    "240p 240x426 240k baseline",
    "360p 360x640 500k main",
    "720p 720x1280 1500k main",
  ]);
});

Deno.test("frame rates above 30 are halved, others kept", () => {
  assert.deepEqual([60, 59.94, 50, 48, 30, 29.97, 25, 15, 0, NaN].map(targetFps), [
    30,
    29.97,
    25,
    24,
    30,
    29.97,
    25,
    15,
    25,
    25,
  ]);
});

Deno.test("ffmpeg's arguments: one split, per-rung H.264, AAC only when there is sound, 4 s keyframes", () => {
  const src = source(1280, 720, { fps: 50 });
  const args = hlsArgs("/tmp/in", "/tmp/out", src, planLadder(src));
  const at = (flag: string) => args[args.indexOf(flag) + 1];
  assert.equal(
    at("-filter_complex"),
    "[0:v:0]split=3[s0][s1][s2];[s0]scale=426:240,fps=25,setsar=1[v0];" +
      "[s1]scale=640:360,fps=25,setsar=1[v1];[s2]scale=1280:720,fps=25,setsar=1[v2]",
  );
  assert.equal(at("-profile:v:0"), "baseline");
  assert.equal(at("-profile:v:2"), "main");
  assert.equal(at("-crf"), "23");
  assert.equal(at("-maxrate:v:0"), "240k");
  assert.equal(at("-bufsize:v:0"), "480k");
  assert.equal(at("-maxrate:v:2"), "1500k");
  assert.equal(at("-b:a"), "64k");
  assert.equal(at("-ac"), "2");
  assert.equal(at("-force_key_frames"), "expr:gte(t,n_forced*4)");
  assert.equal(at("-hls_playlist_type"), "vod");
  assert.equal(at("-var_stream_map"), "v:0,a:0,name:240p v:1,a:1,name:360p v:2,a:2,name:720p");
  assert.equal(args.filter((a) => a === "0:a:0").length, 3);
  assert.equal(args.at(-1), "/tmp/out/%v/index.m3u8");

  const silent = source(320, 180, { hasAudio: false });
  const silentArgs = hlsArgs("/tmp/in", "/tmp/out", silent, planLadder(silent));
  assert.ok(!silentArgs.includes("-c:a"), "no audio encoder without sound");
  assert.equal(
    silentArgs[silentArgs.indexOf("-filter_complex") + 1],
    "[0:v:0]scale=320:180,setsar=1[v0]",
  );
  assert.equal(silentArgs[silentArgs.indexOf("-var_stream_map") + 1], "v:0,name:180p");
});

Deno.test("the master must list exactly the rungs asked for; variants must be finished", () => {
  const rungs = planLadder(source(640, 360));
  const master = "#EXTM3U\n#EXT-X-VERSION:6\n" +
    '#EXT-X-STREAM-INF:BANDWIDTH=334400,RESOLUTION=426x240,CODECS="avc1.42c01e,mp4a.40.2"\n' +
    "240p/index.m3u8\n\n" +
    '#EXT-X-STREAM-INF:BANDWIDTH=620400,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"\n' +
    "360p/index.m3u8\n";
  assert.deepEqual(parseMaster(master, rungs), [
    { name: "240p", width: 426, height: 240, bandwidth: 334400 },
    { name: "360p", width: 640, height: 360, bandwidth: 620400 },
  ]);
  assert.throws(() => parseMaster(master.split("\n\n")[0], rungs), /lists 1 variants, not 2/);
  assert.throws(
    () => parseMaster(master.replace("360p/index", "../x"), rungs),
    /unexpected variant/,
  );
  assert.throws(() => parseMaster("<html>", rungs), /not a playlist/);

  const variant =
    '#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI="init_1.mp4"\n#EXTINF:4.0,\nseg_000.m4s\n' +
    "#EXTINF:2.0,\nseg_001.m4s\n" +
    "#EXT-X-ENDLIST\n";
  assert.deepEqual(parseVariant(variant), ["init_1.mp4", "seg_000.m4s", "seg_001.m4s"]);
  assert.throws(() => parseVariant(variant.replace("#EXT-X-ENDLIST\n", "")), /incomplete/);
  assert.throws(
    () => parseVariant('#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXT-X-ENDLIST\n'),
    /no segments/,
  );
  assert.throws(() => parseVariant(variant.replace("seg_001.m4s", "/etc/passwd")), /unexpected/);
  assert.throws(() => parseVariant(variant.replace("init_1.mp4", "../init.mp4")), /init segment/);
  assert.throws(() => parseVariant(variant.replace(/#EXT-X-MAP.*\n/, "")), /no init segment/);
});

Deno.test("the ladder's URL lives twice the lesson plus 15 minutes, at most 6 hours", () => {
  assert.deepEqual([0, 12, 3600, 86400, NaN].map(videoTtlSeconds), [900, 924, 8100, 21600, 900]);
});
