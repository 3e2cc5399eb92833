/**
 * A video lesson as a plain `<video>`: plays the signed MP4 with range requests, no JavaScript
 * needed. The video work enhances exactly this component (an hls.js island with adaptive
 * bitrate, falling back to `src`), so pages keep using it as is.
 */
export interface LessonVideoProps {
  /** The signed MP4 URL (expires after 15 minutes; a reload signs a new one). */
  src: string;
  title: string;
  /** Low-data mode: nothing is fetched until the learner presses play. */
  lowData?: boolean;
}

export function LessonVideo({ src, title, lowData }: LessonVideoProps) {
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
