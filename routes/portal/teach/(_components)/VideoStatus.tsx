import type { VideoStatus } from "../../../../lib/teaching/content.ts";
import { quietButtonClass } from "./Fields.tsx";

/** Where a video lesson's streaming versions (the HLS ladder for slow links) have got to. */
export function VideoStatusNote(
  { video, retryAction }: { video: VideoStatus | null; retryAction: string },
) {
  if (!video) return null;
  const why = video.last_error ? ` (${video.last_error})` : "";
  const text = {
    queued: "Waiting for the video worker.",
    running: `Being prepared (attempt ${video.attempts}).`,
    done: "Ready: students on slow connections get a lighter version.",
    failed:
      `This file could not be prepared${why}. Students get the original file; upload another file to try again.`,
    dead:
      `The video worker gave up after ${video.attempts} attempts${why}. Students get the original file.`,
  }[video.status];
  return (
    <div class="space-y-2 rounded border p-4" data-testid="video-status" data-status={video.status}>
      <p>
        <span class="font-semibold">Streaming versions:</span> {text}
      </p>
      {video.status === "dead" && (
        <form method="post" action={retryAction}>
          <button type="submit" class={quietButtonClass}>Try again</button>
        </form>
      )}
    </div>
  );
}
