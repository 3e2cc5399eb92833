/**
 * multipart/form-data read as it arrives (busboy), for uploads too large to hold in memory: text
 * fields are collected (few and small), and the one file part is handed to `onFile` as a web
 * stream while the request is still coming in — the file is never buffered whole.
 *
 * The form's text fields must come before its file (browsers send parts in the form's order),
 * so `onFile` already sees them and can refuse before storing anything.
 *
 * When `onFile` fails (a file of the wrong type or too large) the rest of the body is read and
 * dropped rather than left unread: a browser that is still sending when the answer comes back
 * shows a network error instead of our page. The route's own body limit bounds that reading.
 */
// @deno-types="@types/busboy"
import busboy from "busboy";
import { Readable } from "node:stream";
import { HttpError } from "../fresh/mod.ts";

export interface FilePart {
  /** The form field's name. */
  field: string;
  /** The name the browser gave the file; "" when the field was left empty. */
  filename: string;
  stream: ReadableStream<Uint8Array>;
  /** The text fields that came before the file. */
  fields: Record<string, string>;
}

export interface MultipartResult<T> {
  fields: Record<string, string>;
  /** What `onFile` returned, when the form had a file part. */
  file?: T;
}

const LIMITS = { fields: 20, fieldSize: 64 * 1024, fieldNameSize: 100, files: 1, parts: 25 };

export const NOT_MULTIPART = "Send the form as multipart/form-data.";

export async function readMultipart<T>(
  req: Request,
  onFile: (part: FilePart) => Promise<T>,
  /** Undoes a finished `onFile` when the form is refused after it (e.g. deletes the file). */
  discard: (result: T) => Promise<void> = () => Promise.resolve(),
): Promise<MultipartResult<T>> {
  const contentType = req.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !req.body) {
    throw new HttpError(415, NOT_MULTIPART);
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": contentType }, limits: LIMITS });
  } catch (cause) {
    throw new HttpError(400, "The form could not be read.", { cause });
  }

  const fields: Record<string, string> = {};
  let failure: unknown;
  /** The first refusal wins; the parser stops (the rest of the body is still read and dropped). */
  const fail = (error: unknown) => {
    if (failure) return;
    failure = error;
    queueMicrotask(() => parser.destroy());
  };
  let fileTask: Promise<void> | undefined;
  let file: { value: T } | undefined;

  parser.on("field", (name, value, info) => {
    if (info.valueTruncated || info.nameTruncated) {
      fail(new HttpError(413, `The field ${name} is too long.`));
    } else if (fileTask) {
      fail(new HttpError(400, "Put the form's fields before its file."));
    } else if (!(name in fields)) {
      fields[name] = value;
    }
  });
  parser.on("file", (field, stream, info) => {
    if (fileTask) return void stream.resume(); // one file per form (limits.files also says so)
    const web = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
    fileTask = onFile({ field, filename: info.filename ?? "", stream: web, fields: { ...fields } })
      .then((value) => void (file = { value }), (error) => {
        fail(error);
        stream.destroy();
      });
  });
  for (const limit of ["partsLimit", "fieldsLimit"] as const) {
    parser.on(limit, () => fail(new HttpError(413, "The form has too many fields.")));
  }
  const finished = new Promise<void>((resolve) => {
    parser.on("close", resolve);
    parser.on("error", (error) => {
      fail(new HttpError(400, "The form could not be read.", { cause: error }));
      resolve();
    });
  });

  const reader = req.body.getReader();
  let interrupted = false;
  try {
    while (true) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (cause) {
        interrupted = true;
        // A body-limit refusal arrives this way too: keep its 413.
        fail(
          cause instanceof HttpError ? cause : new HttpError(
            400,
            "The upload was interrupted before it finished; nothing was kept.",
            { cause },
          ),
        );
        parser.destroy();
        break;
      }
      if (next.done) {
        if (!failure) parser.end();
        break;
      }
      if (failure) continue; // refused already: read the rest, feed nothing
      if (!parser.write(next.value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            parser.off("drain", go);
            parser.off("close", go);
            resolve();
          };
          parser.on("drain", go);
          parser.on("close", go);
        });
      }
    }
    if (!interrupted) await finished;
    await fileTask;
  } finally {
    reader.releaseLock();
  }
  if (failure) {
    if (file) await discard(file.value);
    throw failure;
  }
  return { fields, file: file?.value };
}
