import type HlsJs from "hls.js";
import { useEffect, useRef } from "preact/hooks";

export interface VideoPlayerProps {
  /** The lesson's MP4 (signed URL): what plays without JavaScript, and the fallback. */
  src: string;
  /** The signed URL of the HLS master playlist (the lesson's ladder). */
  hlsUrl: string;
  /** The lesson's title: the player's accessible name. */
  title: string;
  /** Low-data mode: start at the lowest rung, buffer less, fetch nothing before play. */
  lowData?: boolean;
}

const HLS_TYPE = "application/vnd.apple.mpegurl";
/** What the ladder is encoded as (H.264 baseline + AAC-LC): MSE must play it for hls.js. */
const LADDER_CODECS = 'video/mp4; codecs="avc1.42c01e,mp4a.40.2"';

/**
 * The lesson video of a lesson with an HLS ladder (components/LessonVideo.tsx renders it then).
 * The server renders the same plain `<video controls src=mp4>` as LessonVideo, which is all a
 * browser without JavaScript gets, and it plays. Hydrated:
 *
 * - a browser that plays HLS itself (Safari, iOS, recent Chrome) is given the master playlist;
 * - otherwise, where Media Source Extensions play H.264, hls.js (the light build, ~118 KB gzip)
 *   is loaded — by a dynamic import, so pages without a video, and browsers that play HLS
 *   natively, never download it — with adaptive bitrate on, starting at the lowest rung in
 *   low-data mode and never picking a rung larger than the player;
 * - any fatal error (master missing, expired URL, network down for good, codec refused) puts
 *   the MP4 back at the same position.
 *
 * `data-player` on the element says which path is playing (mp4, native-hls, hls.js, fallback)
 * and `data-hls-level` the rung hls.js chose: for people debugging on a phone, and for tests.
 */
export default function VideoPlayer({ src, hlsUrl, title, lowData = false }: VideoPlayerProps) {
  const ref = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    let cancelled = false;
    let destroyHls: (() => void) | null = null;

    /** Back to the MP4, where the viewer was. */
    const fallBack = () => {
      if (video.dataset.player === "fallback") return;
      destroyHls?.();
      destroyHls = null;
      const at = video.currentTime;
      const playing = !video.paused;
      video.dataset.player = "fallback";
      video.src = src;
      if (at > 0) {
        video.addEventListener("loadedmetadata", () => video.currentTime = at, { once: true });
      }
      if (playing) video.play().catch(() => {});
    };

    if (video.canPlayType(HLS_TYPE)) {
      video.dataset.player = "native-hls";
      video.addEventListener("error", fallBack, { once: true });
      video.src = hlsUrl;
      return () => video.removeEventListener("error", fallBack);
    }
    const mse = globalThis.MediaSource ??
      (globalThis as { ManagedMediaSource?: typeof MediaSource }).ManagedMediaSource;
    if (!mse?.isTypeSupported?.(LADDER_CODECS)) return; // the MP4 it is

    // The light build has no types of its own; it is the full build minus features we do not use.
    (import("hls.js/light") as Promise<{ default: typeof HlsJs }>).then(({ default: Hls }) => {
      if (cancelled || !Hls.isSupported()) return;
      const hls = new Hls({
        // Low-data: play the lowest rung's first segment rather than fetch it as a throwaway
        // bandwidth test and then start on a higher rung; ABR may still step up later.
        startLevel: lowData ? 0 : -1,
        testBandwidth: !lowData,
        capLevelToPlayerSize: true,
        maxBufferLength: lowData ? 15 : 30,
        // The page's CSP allows no blob: workers; the main thread is fast enough for this ladder.
        enableWorker: false,
      });
      destroyHls = () => hls.destroy();
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) fallBack();
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
        video.dataset.hlsLevel = String(data.level);
      });
      const playing = !video.paused;
      video.dataset.player = "hls.js";
      hls.loadSource(hlsUrl);
      hls.attachMedia(video);
      if (playing) video.play().catch(() => {});
    }).catch(() => {
      // The chunk did not load (offline, blocked): the MP4 keeps playing as it is.
    });

    return () => {
      cancelled = true;
      destroyHls?.();
      video.removeEventListener("error", fallBack);
    };
  }, [src, hlsUrl, lowData]);

  return (
    <video
      ref={ref}
      controls
      playsInline
      preload={lowData ? "none" : "metadata"}
      src={src}
      aria-label={title}
      data-testid="lesson-video"
      data-player="mp4"
      class="w-full rounded bg-black aspect-video"
    >
      <p>
        Your browser cannot play this video here. <a href={src}>Open the video</a>.
      </p>
    </video>
  );
}
