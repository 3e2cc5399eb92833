import VideoPlayer from "../islands/VideoPlayer.tsx";

/**
 * A video lesson as a plain `<video>`: plays the signed MP4 with range requests, no JavaScript
 * needed. When the lesson has an HLS ladder (lib/video), the same markup comes from the
 * VideoPlayer island, which streams the ladder with adaptive bitrate once hydrated and falls
 * back to `src`; pages without a ladder ship no script for it.
 */
export interface LessonVideoProps {
  /** The signed MP4 URL (expires after 15 minutes; a reload signs a new one). */
  src: string;
  title: string;
  /** Low-data mode: nothing is fetched until the learner presses play. */
  lowData?: boolean;
  /** The signed HLS master playlist, when the lesson has been transcoded. */
  hlsUrl?: string | null;
}

export function LessonVideo({ src, title, lowData, hlsUrl }: LessonVideoProps) {
  if (hlsUrl) return <VideoPlayer src={src} hlsUrl={hlsUrl} title={title} lowData={lowData} />;
  return (
    <video
      controls
      playsInline
      preload={lowData ? "none" : "metadata"}
      src={src}
      aria-label={title}
      data-testid="lesson-video"
      class="w-full rounded bg-black aspect-video"
    >
      <p>
        Your browser cannot play this video here. <a href={src}>Open the video</a>.
      </p>
    </video>
  );
}
