/**
 * The type of a file from its first bytes, never from its name: an upload called `notes.pdf`
 * that is really HTML must not be served as anything but refused.
 */

/** How many leading bytes `sniffContentType` wants to see (fewer only at the end of a file). */
export const SNIFF_BYTES = 64;

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));

/** `application/pdf`, `video/mp4`, `video/quicktime`, `video/webm`, or null when unknown. */
export function sniffContentType(head: Uint8Array): string | null {
  if (ascii(head, 0, 5) === "%PDF-") return "application/pdf";
  // ISO base media files (MP4, QuickTime) open with a box of type `ftyp`; its major brand follows.
  if (head.length >= 12 && ascii(head, 4, 8) === "ftyp") {
    return ascii(head, 8, 12) === "qt  " ? "video/quicktime" : "video/mp4";
  }
  // Matroska/WebM: the EBML magic, then a DocType element naming the flavour.
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return ascii(head, 4, SNIFF_BYTES).includes("webm") ? "video/webm" : null;
  }
  return null;
}

const NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "video/mp4": "MP4 video",
  "video/quicktime": "QuickTime video",
  "video/webm": "WebM video",
};

/** "PDF or MP4 video": what a 415 tells a person they may upload. */
export function describeTypes(types: readonly string[]): string {
  const names = types.map((t) => NAMES[t] ?? t);
  return names.length <= 1
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}
