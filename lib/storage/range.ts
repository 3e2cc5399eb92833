/**
 * The `Range` header of a GET (RFC 9110 §14): one byte range, as video players and PDF viewers
 * send them. Several ranges are answered with the whole file, which the RFC allows.
 */

export type RangeRequest =
  | { kind: "whole" }
  | { kind: "range"; start: number; end: number } // inclusive, as in Content-Range
  | { kind: "unsatisfiable" };

export function parseRange(header: string | null, size: number): RangeRequest {
  if (!header) return { kind: "whole" };
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim());
  // A malformed header, another unit or a multi-range set: ignored, the whole file is sent.
  if (!match || (match[1] === "" && match[2] === "")) return { kind: "whole" };
  if (match[1] === "") {
    // bytes=-N: the last N bytes
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== "" && Number(match[2]) < start) return { kind: "whole" }; // invalid: ignore
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "range", start, end };
}
