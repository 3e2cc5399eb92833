/**
 * PDF and video lessons: the file streams into storage under its limits, the lesson row is
 * written only after it is stored, and every refusal (413, 415, a bad form, an interrupted
 * upload, someone else's course) leaves neither a row nor a file.
 */
import assert from "node:assert/strict";
import { call, type TestStorage } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { listAll, MP4_BYTES, PDF_BYTES, WEBM_BYTES } from "../storage/samples.ts";
import { cookieFor, idFrom, ORIGIN, post, upload, withTeachingApp } from "./helpers.ts";

const LIMITS = { pdfMaxBytes: 4096, videoMaxBytes: 8192 };
const PNG_BYTES = new Uint8Array([
  0x89,
  ...new TextEncoder().encode("PNG\r\n\x1a\n"),
  ...new Uint8Array(120),
]);

/** A course of teacher1 with one module; the URL that adds lessons to it. */
async function setUp(app: FreshApp, t: TestDatabase) {
  const teacher = await cookieFor(app, "teacher1");
  const created = await post(app, "/portal/teach/new", teacher, {
    code: "UP-1",
    title: "Uploads",
    subject: "science",
    grade_level: "9",
    description: "",
    capacity: "10",
  });
  const courseId = idFrom(created.headers.get("Location"));
  await post(app, `/portal/teach/${courseId}/modules`, teacher, { title: "Files" });
  const [{ id: moduleId }] = await t.owner.query<{ id: string }>(
    "select id from public.modules where course_id = $1",
    [courseId],
  );
  const adds = (kind: string) =>
    `/portal/teach/${courseId}/modules/${moduleId}/lessons/new?kind=${kind}`;
  return { teacher, courseId, moduleId, adds };
}

const lessonsIn = (t: TestDatabase, moduleId: string) =>
  t.owner.query<
    {
      id: string;
      title: string;
      kind: string;
      storage_path: string;
      content_type: string;
      byte_size: string;
    }
  >(
    `select id, title, kind::text as kind, storage_path, content_type, byte_size::text as byte_size
       from public.lessons where module_id = $1 order by position`,
    [moduleId],
  );

const stored = (files: TestStorage) => listAll(files.dir).catch(() => [] as string[]);

Deno.test("a PDF lesson is stored, then its row written; the island gets JSON", async () => {
  await withTeachingApp(async (app, t, files) => {
    const { teacher, moduleId, adds, courseId } = await setUp(app, t);
    const form = await call(app, adds("pdf"), { headers: { Cookie: teacher } });
    const formHtml = await form.text();
    assert.match(formHtml, /enctype="multipart\/form-data"/);
    assert.match(formHtml, /data-island="LessonUploadForm"/, "enhanced by the upload island");
    assert.match(formHtml, /<progress[^>]*data-testid="upload-progress"/);
    assert.match(formHtml, /Up to 4 KB\./);

    const plain = await upload(app, adds("pdf"), teacher, {
      title: "Worksheet",
      duration_minutes: "10",
    }, { bytes: PDF_BYTES, name: "worksheet.pdf", type: "application/pdf" });
    assert.equal(plain.status, 303);
    assert.equal(
      plain.headers.get("Location"),
      `/portal/teach/${courseId}/modules/${moduleId}?done=lesson-added`,
    );
    const [lesson] = await lessonsIn(t, moduleId);
    assert.equal(lesson.kind, "pdf");
    assert.equal(lesson.content_type, "application/pdf");
    assert.equal(lesson.byte_size, String(PDF_BYTES.length));
    assert.match(
      lesson.storage_path,
      new RegExp(`^courses/${courseId}/lessons/[0-9a-f-]{36}\\.pdf$`),
    );
    assert.deepEqual(
      await Deno.readFile(`${files.dir}/${lesson.storage_path}`),
      PDF_BYTES,
      "the bytes sent are the bytes stored",
    );

    const json = await upload(
      app,
      adds("video"),
      teacher,
      {
        title: "Experiment",
        duration_minutes: "3",
      },
      { bytes: MP4_BYTES, name: "experiment.mp4", type: "video/mp4" },
      { json: true },
    );
    assert.equal(json.status, 200);
    assert.deepEqual(await json.json(), {
      location: `/portal/teach/${courseId}/modules/${moduleId}?done=lesson-added`,
    });
    const [, video] = await lessonsIn(t, moduleId);
    assert.deepEqual([video.kind, video.content_type], ["video", "video/mp4"]);

    const webm = await upload(
      app,
      adds("video"),
      teacher,
      { title: "Clip", duration_minutes: "1" },
      {
        bytes: WEBM_BYTES,
        name: "clip.webm",
      },
    );
    assert.equal(webm.status, 303);
    assert.equal((await lessonsIn(t, moduleId)).length, 3);
  }, { uploads: LIMITS });
});

Deno.test("too large (413), not what it says (415), a bad form or no file: nothing stored", async () => {
  await withTeachingApp(async (app, t, files) => {
    const { teacher, moduleId, adds } = await setUp(app, t);
    const fields = { title: "Worksheet", duration_minutes: "10" };

    // Over the PDF limit, within the form's: storage counts it and refuses at the limit.
    const bigPdf = new Uint8Array(LIMITS.pdfMaxBytes + 500);
    bigPdf.set(PDF_BYTES);
    const tooLarge = await upload(app, adds("pdf"), teacher, fields, {
      bytes: bigPdf,
      name: "big.pdf",
      type: "application/pdf",
    });
    assert.equal(tooLarge.status, 413);
    const tooLargeHtml = await tooLarge.text();
    assert.match(
      tooLargeHtml,
      /data-field-error="file"[^>]*>The file is too large: the limit is 4 KB\./,
    );
    assert.match(tooLargeHtml, /value="Worksheet"/, "the fields come back");

    // Far over: the declared length is refused before anything is read.
    const huge = new Uint8Array(200 * 1024);
    huge.set(PDF_BYTES);
    const declared = await upload(app, adds("pdf"), teacher, fields, {
      bytes: huge,
      name: "huge.pdf",
    }, { json: true });
    assert.equal(declared.status, 413);
    assert.match((await declared.json()).error, /too large/);

    // A PNG named .pdf and labelled application/pdf is still a PNG.
    const png = await upload(app, adds("pdf"), teacher, fields, {
      bytes: PNG_BYTES,
      name: "scan.pdf",
      type: "application/pdf",
    }, { json: true });
    assert.equal(png.status, 415);
    assert.deepEqual(await png.json(), {
      error: "Some fields need attention.",
      fields: { file: ["Only PDF files are accepted; this one is not."] },
    });
    const pdfAsVideo = await upload(app, adds("video"), teacher, fields, {
      bytes: PDF_BYTES,
      name: "clip.mp4",
      type: "video/mp4",
    });
    assert.equal(pdfAsVideo.status, 415);
    assert.match(
      await pdfAsVideo.text(),
      /Only MP4 video or WebM video files are accepted; this one is PDF\./,
    );

    const noTitle = await upload(app, adds("pdf"), teacher, { title: "", duration_minutes: "1" }, {
      bytes: PDF_BYTES,
      name: "a.pdf",
    });
    assert.equal(noTitle.status, 400);
    assert.match(await noTitle.text(), /data-field-error="title"[^>]*>Give a title\./);

    const noFile = await upload(app, adds("pdf"), teacher, fields, {
      bytes: new Uint8Array(),
      name: "",
    });
    assert.equal(noFile.status, 400);
    assert.match(
      await noFile.text(),
      /data-field-error="file"[^>]*>Choose the PDF file to upload\./,
    );

    const notMultipart = await post(app, adds("pdf"), teacher, fields);
    assert.equal(notMultipart.status, 415);

    assert.deepEqual(await lessonsIn(t, moduleId), [], "no lesson row");
    assert.deepEqual(await stored(files), [], "no file, no temp file left");
  }, { uploads: LIMITS });
});

/** A multipart body written by hand, sent as a stream that can fail half-way. */
function multipartStream(parts: Uint8Array[], failAfter?: number) {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && i === failAfter) {
        return controller.error(new Error("connection reset by peer"));
      }
      if (i === parts.length) return controller.close();
      controller.enqueue(parts[i++]);
    },
  });
}

Deno.test("an interrupted upload, or fields sent after the file, leave nothing behind", async () => {
  await withTeachingApp(async (app, t, files) => {
    const { teacher, moduleId, adds } = await setUp(app, t);
    const boundary = "----elymica-test-boundary";
    const text = (s: string) => new TextEncoder().encode(s);
    const field = (name: string, value: string) =>
      text(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    const fileHead = text(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n` +
        "Content-Type: application/pdf\r\n\r\n",
    );
    const send = (body: ReadableStream<Uint8Array>) =>
      call(app, adds("pdf"), {
        method: "POST",
        headers: {
          Origin: ORIGIN,
          Cookie: teacher,
          "Content-Type": `multipart/form-data; boundary=${boundary}`,
        },
        body,
        duplex: "half",
      } as RequestInit);

    // The connection drops after part of the file.
    const dropped = await send(multipartStream([
      field("title", "Half"),
      field("duration_minutes", "1"),
      fileHead,
      PDF_BYTES,
      new Uint8Array(1000),
    ], 5));
    assert.equal(dropped.status, 400);
    assert.match(
      await dropped.text(),
      /The upload was interrupted before it finished; nothing was kept\./,
    );
    assert.deepEqual(await lessonsIn(t, moduleId), []);
    assert.deepEqual(await stored(files), [], "the half file is gone");

    // A complete file, then a field: refused, and the stored file removed again.
    const late = await send(multipartStream([
      field("title", "Late"),
      fileHead,
      PDF_BYTES,
      text("\r\n"),
      field("duration_minutes", "1"),
      text(`--${boundary}--\r\n`),
    ]));
    assert.equal(late.status, 400);
    assert.match(await late.text(), /Put the form's fields before its file\./);
    assert.deepEqual(await lessonsIn(t, moduleId), []);
    assert.deepEqual(await stored(files), []);

    // The same stream, well-formed, is accepted (the test can fail the other way too).
    const complete = await send(multipartStream([
      field("title", "Whole"),
      field("duration_minutes", "1"),
      fileHead,
      PDF_BYTES,
      text(`\r\n--${boundary}--\r\n`),
    ]));
    assert.equal(complete.status, 303);
    assert.equal((await lessonsIn(t, moduleId)).length, 1);
    assert.equal((await stored(files)).filter((f) => f.endsWith(".pdf")).length, 1);
  }, { uploads: LIMITS });
});

Deno.test("replacing a file stores the new one, then deletes the old; keeping it is the default", async () => {
  await withTeachingApp(async (app, t, files) => {
    const { teacher, moduleId, adds, courseId } = await setUp(app, t);
    await upload(app, adds("pdf"), teacher, { title: "Sheet", duration_minutes: "2" }, {
      bytes: PDF_BYTES,
      name: "one.pdf",
    });
    const [before] = await lessonsIn(t, moduleId);
    const edit = `/portal/teach/${courseId}/lessons/${before.id}?kind=pdf`;

    const page = await (await call(app, edit, { headers: { Cookie: teacher } })).text();
    assert.match(page, /Now: PDF · /);
    assert.match(page, /href="\/files\/[^"]+"[^>]*>Open the current file</, "a signed link");

    const renamed = await upload(app, edit, teacher, { title: "Sheet 1", duration_minutes: "2" }, {
      bytes: new Uint8Array(),
      name: "",
    });
    assert.equal(renamed.status, 303);
    const [kept] = await lessonsIn(t, moduleId);
    assert.deepEqual([kept.title, kept.storage_path], ["Sheet 1", before.storage_path]);

    const refused = await upload(app, edit, teacher, { title: "Sheet 2", duration_minutes: "2" }, {
      bytes: PNG_BYTES,
      name: "two.pdf",
    });
    assert.equal(refused.status, 415);
    assert.deepEqual(await lessonsIn(t, moduleId), [kept], "a refused replacement changes nothing");

    const second = new Uint8Array([...PDF_BYTES, ...new TextEncoder().encode("% second\n")]);
    const replaced = await upload(app, edit, teacher, { title: "Sheet 2", duration_minutes: "2" }, {
      bytes: second,
      name: "two.pdf",
    });
    assert.equal(replaced.status, 303);
    const [after] = await lessonsIn(t, moduleId);
    assert.equal(after.title, "Sheet 2");
    assert.notEqual(after.storage_path, before.storage_path);
    assert.equal(after.byte_size, String(second.length));
    const left = await stored(files);
    assert.ok(left.includes(after.storage_path), "the new file is there");
    assert.ok(
      !left.some((f) => f.includes(before.storage_path.split("/").pop()!)),
      "the old one is gone",
    );

    const removed = await post(
      app,
      `/portal/teach/${courseId}/lessons/${after.id}/delete`,
      teacher,
    );
    assert.equal(removed.status, 303);
    assert.deepEqual(await stored(files), [], "deleting the lesson deletes its file");
  }, { uploads: LIMITS });
});

Deno.test("uploads to someone else's course are refused before a byte is stored", async () => {
  await withTeachingApp(async (app, t, files) => {
    const { moduleId, adds } = await setUp(app, t);
    const fields = { title: "Mine now", duration_minutes: "1" };
    const file = { bytes: PDF_BYTES, name: "a.pdf" };
    const teacher2 = await upload(app, adds("pdf"), await cookieFor(app, "teacher2"), fields, file);
    assert.equal(teacher2.status, 404, "a draft another teacher cannot see");
    const lagos = await upload(
      app,
      adds("pdf"),
      await cookieFor(app, "admin1", "lagos"),
      fields,
      file,
    );
    assert.equal(lagos.status, 404);
    const student = await upload(app, adds("pdf"), await cookieFor(app, "student1"), fields, file);
    assert.equal(student.status, 403);
    assert.deepEqual(await lessonsIn(t, moduleId), []);
    assert.deepEqual(await stored(files), []);

    const admin = await upload(app, adds("pdf"), await cookieFor(app, "admin1"), fields, file);
    assert.equal(admin.status, 303, "the school's admin may");
  }, { uploads: LIMITS });
});
