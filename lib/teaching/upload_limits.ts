/**
 * What a lesson file may be, by kind: the types sniffed from its bytes (lib/storage/sniff.ts)
 * and the size limits from configuration. One place for both, used by the upload form (its
 * `accept` and the size it checks before sending), the route's body limit and storage.put().
 */
import type { UploadLimits } from "../config.ts";
import type { PutLimits } from "../storage/types.ts";

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  pdfMaxBytes: 20 * 1024 * 1024,
  videoMaxBytes: 500 * 1024 * 1024,
};

export type FileKind = "pdf" | "video";

/** MP4 and WebM play in every browser we serve; QuickTime (.mov) is refused: export as MP4. */
const TYPES: Record<FileKind, readonly string[]> = {
  pdf: ["application/pdf"],
  video: ["video/mp4", "video/webm"],
};

export function isFileKind(value: unknown): value is FileKind {
  return value === "pdf" || value === "video";
}

export function putLimits(kind: FileKind, limits: UploadLimits): PutLimits {
  return {
    maxBytes: kind === "pdf" ? limits.pdfMaxBytes : limits.videoMaxBytes,
    allowedTypes: TYPES[kind],
  };
}

/** The form's `accept` attribute: a hint for the file picker; the bytes still decide. */
export function acceptAttribute(kind: FileKind): string {
  return kind === "pdf" ? "application/pdf,.pdf" : "video/mp4,video/webm,.mp4,.webm";
}

/** Room for the form's other fields and the multipart framing around the file. */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

/** A new stored file's path: courses/<course>/lessons/<random>.<pdf|video>, never a user's name. */
export function lessonFilePath(courseId: string, kind: FileKind): string {
  return `courses/${courseId}/lessons/${crypto.randomUUID()}.${kind === "pdf" ? "pdf" : "video"}`;
}
