/** Reading part of a file as a stream, a chunk at a time: a 200 MB video is never in memory. */

const CHUNK = 64 * 1024;

/** Bytes `start`..`end` (inclusive) of `path`; the file is closed when read or cancelled. */
export async function fileRangeStream(
  path: string,
  start: number,
  end: number,
): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  try {
    if (start > 0) await file.seek(start, Deno.SeekMode.Start);
  } catch (error) {
    file.close();
    throw error;
  }
  let remaining = end - start + 1;
  let closed = false;
  const close = () => {
    if (!closed) file.close();
    closed = true;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (remaining <= 0) {
          close();
          return controller.close();
        }
        const buffer = new Uint8Array(Math.min(CHUNK, remaining));
        const read = await file.read(buffer);
        if (read === null) { // the file shrank under us: end early rather than hang
          close();
          return controller.close();
        }
        remaining -= read;
        controller.enqueue(buffer.subarray(0, read));
      } catch (error) {
        close();
        controller.error(error);
      }
    },
    cancel: close,
  });
}
