/**
 * Reading an upload's stream under its limits: the first bytes decide the type (415 before
 * anything is written), every chunk is counted (413 as soon as the limit is passed), and a
 * stream that errors half-way is an interrupted upload (400). Both backends receive into a temp
 * file (receiveToFile) and throw it away when this throws.
 */
import { HttpError } from "../fresh/mod.ts";
import { describeTypes, SNIFF_BYTES, sniffContentType } from "./sniff.ts";
import type { PutLimits } from "./types.ts";

export interface Received {
  contentType: string;
  byteSize: number;
}

/** Reads `body` to its end through `write`; throws HttpError 400/413/415 on refusal. */
export async function receiveUpload(
  body: ReadableStream<Uint8Array>,
  limits: PutLimits,
  sink: { start(contentType: string): Promise<void>; write(chunk: Uint8Array): Promise<void> },
): Promise<Received> {
  const reader = body.getReader();
  const read = async () => {
    try {
      return await reader.read();
    } catch (cause) {
      throw new HttpError(400, "The upload was interrupted before it finished; nothing was kept.", {
        cause,
      });
    }
  };
  let byteSize = 0;
  const count = (chunk: Uint8Array) => {
    byteSize += chunk.byteLength;
    if (byteSize > limits.maxBytes) {
      throw new HttpError(
        413,
        `The file is too large: the limit is ${formatBytes(limits.maxBytes)}.`,
      );
    }
  };
  try {
    // Collect just enough leading bytes to recognise the type.
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let done = false;
    while (headBytes < SNIFF_BYTES) {
      const next = await read();
      if (next.done) {
        done = true;
        break;
      }
      count(next.value);
      head.push(next.value);
      headBytes += next.value.byteLength;
    }
    const first = concat(head, headBytes);
    const contentType = sniffContentType(first);
    if (!contentType || !limits.allowedTypes.includes(contentType)) {
      throw new HttpError(
        415,
        `Only ${describeTypes(limits.allowedTypes)} files are accepted; ` +
          (contentType ? `this one is ${describeTypes([contentType])}.` : "this one is not."),
      );
    }
    await sink.start(contentType);
    for (const chunk of head) await sink.write(chunk);
    while (!done) {
      const next = await read();
      if (next.done) break;
      count(next.value);
      await sink.write(next.value);
    }
    return { contentType, byteSize };
  } catch (error) {
    // Tell the sender to stop; a stream that already failed rejects this too.
    await reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Receives `body` into a new file at `file` (created when the type has been accepted), flushed
 * to disk and closed. The file is left for the caller to move, send on or remove — also when
 * this throws.
 */
export async function receiveToFile(
  body: ReadableStream<Uint8Array>,
  limits: PutLimits,
  file: string,
): Promise<Received> {
  let out: Deno.FsFile | undefined;
  try {
    const received = await receiveUpload(body, limits, {
      async start() {
        out = await Deno.open(file, { write: true, createNew: true });
      },
      async write(chunk) {
        let written = 0;
        while (written < chunk.byteLength) {
          written += await out!.write(chunk.subarray(written));
        }
      },
    });
    await out?.sync();
    return received;
  } finally {
    out?.close();
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
