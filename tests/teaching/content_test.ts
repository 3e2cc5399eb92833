/** Teaching tools, modules and text lessons, without JavaScript: add, rename, move, delete. */
import assert from "node:assert/strict";
import type { TestDatabase } from "../support/database.ts";
import { cookieFor, count, courseByCode, get, idFrom, post, withTeachingApp } from "./helpers.ts";

const course = {
  code: "GEO-1",
  title: "Geography 1",
  subject: "geography",
  grade_level: "9",
  description: "",
  capacity: "30",
};

const modulesOf = (t: TestDatabase, courseId: string) =>
  t.owner.query<{ id: string; title: string; position: number }>(
    "select id, title, position from public.modules where course_id = $1 order by position",
    [courseId],
  );
const lessonsOf = (t: TestDatabase, moduleId: string) =>
  t.owner.query<{ id: string; title: string; position: number; body: string }>(
    "select id, title, position, body from public.lessons where module_id = $1 order by position",
    [moduleId],
  );

Deno.test("modules: add at the end, rename, move up and down, delete after confirming", async () => {
  await withTeachingApp(async (app, t) => {
    const teacher = await cookieFor(app, "teacher1");
    const id = idFrom(
      (await post(app, "/portal/teach/new", teacher, course)).headers.get("Location"),
    );
    const base = `/portal/teach/${id}`;

    const blank = await post(app, `${base}/modules`, teacher, { title: "  " });
    assert.equal(blank.status, 400);
    assert.match(await blank.text(), /data-field-error="title"[^>]*>Give a title\./);
    assert.equal((await modulesOf(t, id)).length, 0, "nothing added");

    for (const title of ["Maps", "Rivers", "Climate"]) {
      const added = await post(app, `${base}/modules`, teacher, { title });
      assert.equal(added.status, 303);
      assert.equal(added.headers.get("Location"), `${base}?done=module-added#modules`);
    }
    let modules = await modulesOf(t, id);
    assert.deepEqual(modules.map((m) => [m.title, m.position]), [
      ["Maps", 1],
      ["Rivers", 2],
      ["Climate", 3],
    ]);
    const editor = await (await get(app, base, teacher)).text();
    assert.match(editor, /aria-label="Move Maps down"/);
    assert.ok(!editor.includes('aria-label="Move Maps up"'), "the first has no Up");
    assert.ok(!editor.includes('aria-label="Move Climate down"'), "the last has no Down");

    const [maps, rivers, climate] = modules;
    assert.equal(
      (await post(app, `${base}/modules/${climate.id}/move`, teacher, { position: "1" })).status,
      303,
    );
    assert.equal(
      (await post(app, `${base}/modules/${maps.id}/move`, teacher, { position: "3" })).status,
      303,
    );
    modules = await modulesOf(t, id);
    assert.deepEqual(modules.map((m) => [m.title, m.position]), [
      ["Climate", 1],
      ["Rivers", 2],
      ["Maps", 3],
    ]);
    const badMove = await post(app, `${base}/modules/${maps.id}/move`, teacher, { position: "0" });
    assert.equal(badMove.status, 400);

    const rename = await post(app, `${base}/modules/${rivers.id}`, teacher, { title: "" });
    assert.equal(rename.status, 400);
    assert.match(await rename.text(), /Give a title\./);
    const renamed = await post(app, `${base}/modules/${rivers.id}`, teacher, {
      title: "Rivers and lakes",
    });
    assert.equal(renamed.status, 303);
    assert.equal((await modulesOf(t, id))[1].title, "Rivers and lakes");

    const confirm = await get(app, `${base}/modules/${rivers.id}/delete`, teacher);
    assert.equal(confirm.status, 200);
    const confirmHtml = await confirm.text();
    assert.match(confirmHtml, /Delete the module “Rivers and lakes”\?/);
    assert.ok(!/<script/i.test(confirmHtml));
    assert.equal((await modulesOf(t, id)).length, 3, "asking deletes nothing");
    const deleted = await post(app, `${base}/modules/${rivers.id}/delete`, teacher);
    assert.equal(deleted.status, 303);
    assert.deepEqual((await modulesOf(t, id)).map((m) => m.title), ["Climate", "Maps"]);

    // A module of another course, through this course's address: not found.
    const algebra = await courseByCode(t, "MATH-G10-ALG1");
    const [foreign] = await modulesOf(t, algebra.id);
    assert.equal(
      (await post(app, `${base}/modules/${foreign.id}/move`, teacher, { position: "1" })).status,
      404,
    );
    assert.equal((await get(app, `${base}/modules/${foreign.id}`, teacher)).status, 404);
    assert.equal((await get(app, `${base}/modules/nope`, teacher)).status, 404);

    // Another teacher, and another school, change nothing.
    const teacher2 = await cookieFor(app, "teacher2");
    const [algebraFirst] = await modulesOf(t, algebra.id);
    const path = `/portal/teach/${algebra.id}/modules/${algebraFirst.id}`;
    assert.equal((await post(app, `${path}/move`, teacher2, { position: "3" })).status, 403);
    assert.equal((await post(app, path, teacher2, { title: "Mine" })).status, 403);
    assert.equal((await post(app, `${path}/delete`, teacher2)).status, 403);
    const lagos = await cookieFor(app, "teacher1", "lagos");
    assert.equal((await post(app, `${path}/delete`, lagos)).status, 404);
    assert.equal((await modulesOf(t, algebra.id))[0].title, algebraFirst.title, "unchanged");
    assert.equal(await count(t, "select from public.modules where id = $1", [algebraFirst.id]), 1);
  });
});

Deno.test("text lessons: add, edit, reorder, delete; the last lesson of a published course stays", async () => {
  await withTeachingApp(async (app, t) => {
    const teacher = await cookieFor(app, "teacher1");
    const id = idFrom(
      (await post(app, "/portal/teach/new", teacher, course)).headers.get("Location"),
    );
    const base = `/portal/teach/${id}`;
    await post(app, `${base}/modules`, teacher, { title: "Maps" });
    const [module] = await modulesOf(t, id);
    const newLesson = `${base}/modules/${module.id}/lessons/new?kind=text`;

    const form = await get(app, newLesson, teacher);
    assert.equal(form.status, 200);
    assert.ok(!/<script/i.test(await form.text()), "the text form ships no script");

    const missing = await post(app, newLesson, teacher, {
      title: "Scale",
      duration_minutes: "ten",
      body: " ",
    });
    assert.equal(missing.status, 400);
    const missingHtml = await missing.text();
    assert.match(missingHtml, /data-field-error="body"[^>]*>Write the lesson's text\./);
    assert.match(missingHtml, /data-field-error="duration_minutes"/);
    assert.match(missingHtml, /value="Scale"/);
    assert.equal((await lessonsOf(t, module.id)).length, 0, "nothing added");

    for (const title of ["Scale", "Symbols"]) {
      const added = await post(app, newLesson, teacher, {
        title,
        duration_minutes: "15",
        body: `All about ${title.toLowerCase()}.`,
      });
      assert.equal(added.status, 303);
      assert.equal(
        added.headers.get("Location"),
        `${base}/modules/${module.id}?done=lesson-added`,
      );
    }
    let lessons = await lessonsOf(t, module.id);
    assert.deepEqual(lessons.map((l) => [l.title, l.position]), [["Scale", 1], ["Symbols", 2]]);
    const [{ duration_seconds }] = await t.owner.query<{ duration_seconds: number }>(
      "select duration_seconds from public.lessons where id = $1",
      [lessons[0].id],
    );
    assert.equal(duration_seconds, 900);

    const moved = await post(app, `${base}/lessons/${lessons[1].id}/move`, teacher, {
      position: "1",
    });
    assert.equal(
      moved.headers.get("Location"),
      `${base}/modules/${module.id}?done=lesson-moved#lessons`,
    );
    lessons = await lessonsOf(t, module.id);
    assert.deepEqual(lessons.map((l) => l.title), ["Symbols", "Scale"]);

    const edit = await get(app, `${base}/lessons/${lessons[1].id}`, teacher);
    assert.equal(edit.status, 200);
    assert.match(await edit.text(), /All about scale\./);
    const badEdit = await post(app, `${base}/lessons/${lessons[1].id}`, teacher, {
      title: "",
      duration_minutes: "5",
      body: "Changed.",
    });
    assert.equal(badEdit.status, 400);
    assert.equal((await lessonsOf(t, module.id))[1].body, "All about scale.", "nothing saved");
    const edited = await post(app, `${base}/lessons/${lessons[1].id}`, teacher, {
      title: "Map scale",
      duration_minutes: "5",
      body: "One centimetre is one kilometre.",
    });
    assert.equal(edited.status, 303);
    assert.deepEqual(
      (await lessonsOf(t, module.id)).map((l) => [l.title, l.body]),
      [["Symbols", "All about symbols."], ["Map scale", "One centimetre is one kilometre."]],
    );

    // Published, the course keeps its last lesson.
    assert.equal((await post(app, `${base}/status`, teacher, { status: "published" })).status, 303);
    assert.equal((await post(app, `${base}/lessons/${lessons[0].id}/delete`, teacher)).status, 303);
    const last = await post(app, `${base}/lessons/${lessons[1].id}/delete`, teacher);
    assert.equal(last.status, 409);
    assert.match(
      await last.text(),
      /A published course needs at least one lesson: add another lesson first, or unpublish the course\./,
    );
    assert.equal((await lessonsOf(t, module.id)).length, 1, "still there");
    const viaModule = await post(app, `${base}/modules/${module.id}/delete`, teacher);
    assert.equal(viaModule.status, 409);
    assert.equal((await modulesOf(t, id)).length, 1, "the module too");

    // Another teacher cannot add to or edit this course's lessons.
    const teacher2 = await cookieFor(app, "teacher2");
    assert.equal(
      (await post(app, newLesson, teacher2, { title: "x", duration_minutes: "1", body: "x" }))
        .status,
      403,
    );
    assert.equal(
      (await post(app, `${base}/lessons/${lessons[1].id}`, teacher2, {
        title: "x",
        duration_minutes: "1",
        body: "x",
      })).status,
      403,
    );
    assert.equal((await lessonsOf(t, module.id))[0].title, "Map scale");
  });
});

Deno.test("a lesson moves to another module of its course, to the end; both stay numbered", async () => {
  await withTeachingApp(async (app, t) => {
    const teacher = await cookieFor(app, "teacher1");
    const id = idFrom(
      (await post(app, "/portal/teach/new", teacher, course)).headers.get("Location"),
    );
    const base = `/portal/teach/${id}`;
    for (const title of ["Maps", "Rivers"]) await post(app, `${base}/modules`, teacher, { title });
    const [maps, rivers] = await modulesOf(t, id);
    const add = (moduleId: string, title: string) =>
      post(app, `${base}/modules/${moduleId}/lessons/new?kind=text`, teacher, {
        title,
        duration_minutes: "5",
        body: `${title}.`,
      });
    for (const title of ["Scale", "Legend", "Grid"]) await add(maps.id, title);
    await add(rivers.id, "Deltas");
    const [, legend] = await lessonsOf(t, maps.id);

    const editor = await (await get(app, `${base}/lessons/${legend.id}`, teacher)).text();
    assert.match(editor, /Move to another module/);
    assert.match(editor, new RegExp(`<option value="${rivers.id}">Rivers</option>`));
    assert.ok(!editor.includes(`<option value="${maps.id}">`), "not its own module");

    const moved = await post(app, `${base}/lessons/${legend.id}/module`, teacher, {
      module_id: rivers.id,
    });
    assert.equal(moved.status, 303);
    assert.equal(
      moved.headers.get("Location"),
      `${base}/modules/${rivers.id}?done=lesson-moved#lessons`,
    );
    assert.deepEqual((await lessonsOf(t, maps.id)).map((l) => [l.title, l.position]), [
      ["Scale", 1],
      ["Grid", 2],
    ]);
    assert.deepEqual((await lessonsOf(t, rivers.id)).map((l) => [l.title, l.position]), [
      ["Deltas", 1],
      ["Legend", 2],
    ]);

    // A module of another course, or no module: refused, nothing moves.
    const algebra = await courseByCode(t, "MATH-G10-ALG1");
    const [foreign] = await modulesOf(t, algebra.id);
    const elsewhere = await post(app, `${base}/lessons/${legend.id}/module`, teacher, {
      module_id: foreign.id,
    });
    assert.equal(elsewhere.status, 422);
    assert.match(await elsewhere.text(), /Choose a module of this course\./);
    const none = await post(app, `${base}/lessons/${legend.id}/module`, teacher, { module_id: "" });
    assert.equal(none.status, 400);
    assert.equal((await lessonsOf(t, rivers.id)).length, 2, "still in Rivers");

    // Another teacher does not even see this draft.
    const other = await cookieFor(app, "teacher2");
    const refused = await post(app, `${base}/lessons/${legend.id}/module`, other, {
      module_id: maps.id,
    });
    assert.equal(refused.status, 404);
    assert.equal((await lessonsOf(t, rivers.id)).length, 2, "still in Rivers");
  });
});
