/** A PDF lesson: the browser's own PDF viewer in a frame, and a download link that always works. */
export interface LessonPdfProps {
  src: string;
  downloadUrl: string;
  title: string;
  /** Bytes, shown with the download link so a learner on a bundle knows the cost. */
  byteSize: number;
  /** Low-data mode: no frame (it would fetch the file at once); open or download on demand. */
  lowData?: boolean;
}

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

export function LessonPdf({ src, downloadUrl, title, byteSize, lowData }: LessonPdfProps) {
  return (
    <div class="space-y-2">
      {!lowData && (
        <iframe
          src={src}
          title={title}
          data-testid="lesson-pdf"
          class="w-full h-[75vh] rounded border border-stone-300 bg-white"
        />
      )}
      <p class="flex flex-wrap gap-4">
        <a href={downloadUrl} class="font-semibold text-emerald-800 underline">
          Download the PDF ({size(byteSize)})
        </a>
        <a href={src} class="text-emerald-800 underline">Open it full screen</a>
      </p>
    </div>
  );
}
