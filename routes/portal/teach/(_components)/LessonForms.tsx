import { Messages } from "../../../../components/Messages.tsx";
import LessonUploadForm from "../(_islands)/LessonUploadForm.tsx";
import { buttonClass, Field, type FormState } from "./Fields.tsx";
import type { LessonKind } from "../../../../lib/teaching/input.ts";
import type { UploadLimits } from "../../../../lib/config.ts";
import { acceptAttribute, isFileKind, putLimits } from "../../../../lib/teaching/upload_limits.ts";

export const KIND_TITLE: Record<LessonKind, string> = {
  text: "text lesson",
  pdf: "PDF lesson",
  video: "video lesson",
};

export interface LessonFormProps {
  kind: LessonKind;
  action: string;
  submitLabel: string;
  form: FormState;
  error?: string;
  /** File lessons: the upload limit and the file picker's hint. */
  upload?: { maxBytes: number; accept: string };
  /** Editing a file lesson: what it has now. */
  currentFile?: string;
  /** Editing: the lesson's values. */
  lesson?: { title: string; duration_minutes: number; body?: string | null };
}

/** A text lesson's plain form, or a file lesson's upload form (an island with a progress bar). */
export function LessonForm(props: LessonFormProps) {
  const values = {
    title: props.lesson?.title ?? "",
    duration_minutes: String(props.lesson?.duration_minutes ?? 0),
    ...props.form.values,
  };
  if (props.kind !== "text" && props.upload) {
    return (
      <LessonUploadForm
        action={props.action}
        kind={props.kind}
        accept={props.upload.accept}
        maxBytes={props.upload.maxBytes}
        fileRequired={!props.currentFile}
        submitLabel={props.submitLabel}
        values={values}
        fieldErrors={props.form.fieldErrors ?? {}}
        error={props.error}
        currentFile={props.currentFile}
      />
    );
  }
  const form = { ...props.form, values };
  return (
    <form method="post" action={props.action} class="space-y-3">
      <Messages error={props.error} />
      <Field name="title" label="Title" form={form} required maxLength={200} />
      <Field
        name="duration_minutes"
        label="Length in minutes"
        form={form}
        type="number"
        min={0}
        max={1440}
      />
      <Field
        name="body"
        label="The lesson's text"
        form={form}
        value={props.lesson?.body ?? ""}
        multiline
        rows={14}
        required
      />
      <button type="submit" class={buttonClass}>{props.submitLabel}</button>
    </form>
  );
}

/** A file lesson's upload limit and picker hint, for the form. */
export function uploadOf(state: { uploads: UploadLimits }, kind: LessonKind) {
  if (!isFileKind(kind)) return undefined;
  return { maxBytes: putLimits(kind, state.uploads).maxBytes, accept: acceptAttribute(kind) };
}
