import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

export interface LessonUploadFormProps {
  /** Where the form posts (multipart/form-data); the server answers JSON when asked. */
  action: string;
  kind: "pdf" | "video";
  /** The file picker's hint (the server sniffs the bytes anyway). */
  accept: string;
  maxBytes: number;
  /** A new lesson needs its file; an edited one may keep its own. */
  fileRequired: boolean;
  submitLabel: string;
  values: Record<string, string>;
  fieldErrors: Record<string, string[]>;
  error?: string;
  /** "PDF · 350 KB" for the file the lesson has now. */
  currentFile?: string;
}

const input = "block w-full rounded border border-stone-400 px-3 py-2";
const KIND_NAME = { pdf: "PDF", video: "video (MP4 or WebM)" } as const;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * The form of a PDF or video lesson. Without JavaScript it is a plain multipart form: the
 * browser posts it and the server answers with the next page (or this form and its problems).
 * Hydrated, it sends the same form with XMLHttpRequest so it can show a progress bar and offer
 * Cancel; a file over the limit is refused before a byte is sent, and the server's problems
 * (JSON) are shown next to their fields. Every state's markup (progress, problems) is in the
 * server HTML, hidden until used, so its classes get CSS.
 */
export default function LessonUploadForm(props: LessonUploadFormProps) {
  const fieldErrors = useSignal(props.fieldErrors);
  const error = useSignal(props.error ?? "");
  const phase = useSignal<"idle" | "uploading" | "saving">("idle");
  const loaded = useSignal(0);
  const total = useSignal(0);
  const enhanced = useSignal(false);
  const request = useRef<XMLHttpRequest | null>(null);
  useEffect(() => {
    enhanced.value = true;
  }, []);

  const percent = total.value > 0 ? Math.floor((loaded.value / total.value) * 100) : 0;
  const busy = phase.value !== "idle";

  function problems(name: string) {
    const list = fieldErrors.value[name] ?? [];
    return (
      <span
        id={`${name}-problem`}
        class="block text-sm text-red-800"
        data-field-error={name}
        hidden={list.length === 0}
      >
        {list.join(" ")}
      </span>
    );
  }

  function finish(message: string, fields: Record<string, string[]> = {}) {
    request.current = null;
    phase.value = "idle";
    error.value = message;
    fieldErrors.value = fields;
  }

  function onSubmit(event: Event) {
    const form = event.currentTarget as HTMLFormElement;
    const file = (form.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    if (file && file.size > props.maxBytes) {
      event.preventDefault();
      return finish("", {
        file: [`The file is too large: the limit is ${formatBytes(props.maxBytes)}.`],
      });
    }
    event.preventDefault();
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    error.value = "";
    fieldErrors.value = {};
    loaded.value = 0;
    total.value = file?.size ?? 0;
    phase.value = "uploading";
    xhr.open("POST", props.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      loaded.value = e.loaded;
      total.value = e.total;
    };
    xhr.upload.onload = () => {
      loaded.value = total.value = Math.max(total.value, loaded.value, 1);
      phase.value = "saving";
    };
    xhr.onload = () => {
      let body: { location?: string; error?: string; fields?: Record<string, string[]> } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's error page; said below
      }
      if (xhr.status < 300 && body.location) return location.assign(body.location);
      finish(
        body.error ?? `The server answered ${xhr.status}; nothing was saved. Please try again.`,
        body.fields ?? {},
      );
    };
    xhr.onerror = () =>
      finish("The upload stopped: check your connection and try again. Nothing was saved.");
    xhr.onabort = () => finish("Upload cancelled. Nothing was saved.");
    xhr.send(new FormData(form));
  }

  const value = (name: string) => props.values[name] ?? "";
  return (
    <form
      method="post"
      action={props.action}
      enctype="multipart/form-data"
      class="space-y-3"
      onSubmit={onSubmit}
      data-enhanced={String(enhanced.value)}
    >
      <p
        role="alert"
        hidden={!error.value}
        class="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-800"
      >
        {error.value}
      </p>
      <label class="block space-y-1">
        <span class="font-semibold">Title</span>
        <input
          name="title"
          id="title"
          required
          maxLength={200}
          value={value("title")}
          class={input}
        />
        {problems("title")}
      </label>
      <label class="block space-y-1">
        <span class="font-semibold">Length in minutes</span>
        <input
          name="duration_minutes"
          id="duration_minutes"
          type="number"
          min={0}
          max={1440}
          value={value("duration_minutes") || "0"}
          class={input}
        />
        {problems("duration_minutes")}
      </label>
      <label class="block space-y-1">
        <span class="font-semibold">
          {props.currentFile
            ? `Replace the ${KIND_NAME[props.kind]}`
            : `The ${KIND_NAME[props.kind]}`}
        </span>
        <span class="block text-sm text-stone-600">
          {props.currentFile && <>Now: {props.currentFile}. Leave empty to keep it.</>}
          Up to {formatBytes(props.maxBytes)}.
        </span>
        <input
          name="file"
          id="file"
          type="file"
          accept={props.accept}
          required={props.fileRequired}
          class={input}
        />
        {problems("file")}
      </label>
      <div hidden={!busy} class="space-y-1" data-testid="upload-status">
        <progress
          class="block w-full"
          max={100}
          value={percent}
          data-testid="upload-progress"
          data-percent={String(percent)}
          aria-label="Upload progress"
        >
          {percent}%
        </progress>
        <p class="text-sm text-stone-700" aria-live="polite">
          {phase.value === "saving"
            ? "Uploaded; saving the lesson…"
            : `${formatBytes(loaded.value)} of ${formatBytes(total.value)} (${percent}%)`}
        </p>
        <button
          type="button"
          class="rounded border border-stone-400 px-3 py-1 text-sm font-semibold"
          onClick={() => request.current?.abort()}
          disabled={phase.value !== "uploading"}
        >
          Cancel upload
        </button>
      </div>
      <button
        type="submit"
        class="rounded bg-emerald-800 px-4 py-2 font-semibold text-white"
        disabled={busy}
      >
        {props.submitLabel}
      </button>
    </form>
  );
}
