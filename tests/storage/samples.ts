/** Tiny byte strings that begin like real files of each kind, for storage tests. */
const bytes = (text: string) => new TextEncoder().encode(text);

export const PDF_BYTES = bytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
export const MP4_BYTES = new Uint8Array([
  ...[0, 0, 0, 0x18],
  ...bytes("ftypisom"),
  ...[0, 0, 2, 0],
  ...bytes("isomiso2"),
  ...bytes("....mdat-and-more-bytes-to-stream"),
]);
export const QUICKTIME_BYTES = new Uint8Array([
  ...[0, 0, 0, 0x14],
  ...bytes("ftypqt  "),
  0,
  0,
  0,
  0,
]);
export const WEBM_BYTES = new Uint8Array([
  ...[0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01],
  ...[0x42, 0xf2, 0x81, 0x04, 0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84],
  ...bytes("webm"),
  ...[0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02],
]);
export const HTML_BYTES = bytes("<!doctype html><script>alert(1)</script>");

/** A stream of `data` in chunks of `chunkSize` bytes. */
export function streamOf(data: Uint8Array, chunkSize = 7): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** A stream that sends `data` and then fails, as a dropped connection does mid-upload. */
export function failingStream(data: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(new Error("connection reset by peer"));
      controller.enqueue(data);
      sent = true;
    },
  });
}

/** Every file under `dir`, relative, including hidden ones. */
export async function listAll(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await listAll(`${dir}/${entry.name}`, rel));
    else out.push(rel);
  }
  return out.sort();
}
