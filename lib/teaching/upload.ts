/**
 * A lesson form with a file (PDF or video), read as it streams in: the text fields first
 * (checked before any byte is stored), then the file straight into storage under its limits
 * (type sniffed from the bytes → 415, size → 413, an interrupted upload → nothing kept). The
 * lesson row is written only after the file is stored, by the caller; if that write is refused
 * the caller deletes the file again (see `discardUpload`).
 */
import { HttpError } from "../fresh/mod.ts";
import { fieldErrors } from "../http/field_errors.ts";
import { FieldProblem, type FormFailure, formFailure, FormRefusal } from "../http/form_failure.ts";
import { readMultipart } from "../http/multipart.ts";
import type { UploadLimits } from "../config.ts";
import type { FileStorage, StoredFile } from "../storage/types.ts";
import { type LessonInput, LessonInput as LessonSchema } from "./input.ts";
import { type FileKind, lessonFilePath, putLimits } from "./upload_limits.ts";

export interface LessonUpload {
  ok: true;
  input: LessonInput;
  /** The stored file; absent when the form left the file empty (allowed when editing). */
  file?: StoredFile;
  /** The text fields as sent, to show the form again after a refusal. */
  values: Record<string, string>;
}

export const LESSON_FILE_FIELDS = ["title", "duration_minutes"] as const;

const KIND_NAME: Record<FileKind, string> = { pdf: "PDF", video: "video" };

export interface RefusedUpload {
  ok: false;
  failure: FormFailure;
  values: Record<string, string>;
}

/**
 * Reads the form and stores its file; a refusal (per field, e.g. `file` for 413/415, or the
 * form as a whole) comes back with nothing stored. Anything else (5xx, bugs) is thrown.
 */
export async function receiveLessonUpload(
  req: Request,
  options: {
    storage: FileStorage;
    limits: UploadLimits;
    kind: FileKind;
    courseId: string;
    /** A new lesson needs its file; an edited one keeps its own when none is sent. */
    fileRequired: boolean;
  },
): Promise<LessonUpload | RefusedUpload> {
  const { storage, kind } = options;
  let values: Record<string, string> = {};
  try {
    const { fields, file } = await readMultipart(req, async (part) => {
      values = pick(part.fields);
      if (part.field !== "file" || part.filename === "") {
        // Not our file field, or no file chosen: read past it.
        for await (const _ of part.stream) { /* dropped */ }
        return undefined;
      }
      const parsed = LessonSchema.safeParse(values);
      if (!parsed.success) throw new FormRefusal(400, fieldErrors(parsed.error));
      try {
        return await storage.put(
          lessonFilePath(options.courseId, kind),
          part.stream,
          putLimits(kind, options.limits),
        );
      } catch (error) {
        if (error instanceof HttpError && error.status < 500) {
          throw new FieldProblem(error.status, "file", error.message);
        }
        throw error;
      }
    }, (stored) => discardUpload(storage, stored));
    values = pick(fields);
    const parsed = LessonSchema.safeParse(values);
    if (!parsed.success) {
      await discardUpload(storage, file);
      throw new FormRefusal(400, fieldErrors(parsed.error));
    }
    if (!file && options.fileRequired) {
      throw new FieldProblem(400, "file", `Choose the ${KIND_NAME[kind]} file to upload.`);
    }
    return { ok: true, input: parsed.data, file, values };
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) {
      // The form itself could not be read (not multipart, interrupted, too large as a whole).
      return { ok: false, failure: { status: error.status, error: error.message }, values };
    }
    return { ok: false, failure: formFailure(error, []), values };
  }
}

/** Removes a stored file whose lesson row was not written. */
export async function discardUpload(storage: FileStorage, file: StoredFile | undefined) {
  if (file) await storage.delete(file.path);
}

function pick(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(LESSON_FILE_FIELDS.map((name) => [name, fields[name] ?? ""]));
}
