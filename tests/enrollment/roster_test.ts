/**
 * ENR-2 through the real app: GET /api/enrollment/roster/:courseId as JSON and as a CSV file,
 * and the roster page (no script, server-side search), for the course's instructor and the
 * school's admin only.
 */
import assert from "node:assert/strict";
import { call, withSeededApp } from "../support/app.ts";
import { parseCsv } from "../../lib/csv.ts";
import { BOM } from "../../lib/csv_write.ts";
import { api, claimsOf, createCourse, demo, login, person } from "./helpers.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import type { TestDatabase } from "../support/database.ts";

interface RosterStudent {
  id: string;
  name: string;
  email: string | null;
  parent: { name: string; phone: string | null; email: string | null } | null;
  guardians: { name: string; phone: string | null; email: string | null }[];
}

/** student1 (guardian parent1) and student5 (guardians parent3 and parent4), enrolled by the admin. */
async function courseWithStudents(t: TestDatabase) {
  const course = await createCourse(t, {
    code: "ROSTER-1",
    title: "Roster",
    instructors: ["teacher1"],
  });
  const admin = claimsOf(await person(t, demo("admin1")));
  for (const who of ["student1", "student5"]) {
    const student = await person(t, demo(who));
    await t.db.asUser(admin, (q) => q("select public.enroll($1, $2)", [course.id, student.id]));
  }
  return course;
}

Deno.test("the instructor and the admin get the roster with every guardian", async () => {
  await withSeededApp(async (app, t) => {
    const course = await courseWithStudents(t);
    for (const who of ["teacher1", "admin1"]) {
      const token = await login(app, demo(who));
      const roster = await api(app, token, `/api/enrollment/roster/${course.id}`);
      assert.equal(roster.status, 200, JSON.stringify(roster.body));
      const students = roster.body.students as RosterStudent[];
      assert.equal(students.length, 2);
      const byEmail = new Map(students.map((s) => [s.email, s]));
      const s1 = byEmail.get(demo("student1"))!;
      assert.equal(s1.guardians.length, 1);
      assert.deepEqual(s1.parent, s1.guardians[0]);
      assert.equal(s1.parent!.email, demo("parent1"));
      assert.equal(s1.parent!.phone, "+254700000131");
      const s5 = byEmail.get(demo("student5"))!;
      assert.deepEqual(
        s5.guardians.map((g) => g.email).sort(),
        [demo("parent3"), demo("parent4")].sort(),
      );
      assert.deepEqual(s5.parent, s5.guardians[0]);
    }
  });
});

Deno.test("another teacher and a student get 403; a foreign or unknown course 404", async () => {
  await withSeededApp(async (app, t) => {
    const course = await courseWithStudents(t);
    const foreign = await createCourse(t, { code: "LAGOS-R", school: "lagos" });
    const path = `/api/enrollment/roster/${course.id}`;
    for (const who of ["teacher2", "student1", "parent1"]) {
      const refused = await api(app, await login(app, demo(who)), path);
      assert.equal(refused.status, 403, who);
      assert.match(String(refused.body.error), /instructors/);
    }
    const admin = await login(app, demo("admin1"));
    for (const id of [foreign.id, crypto.randomUUID(), "nope"]) {
      const missing = await api(app, admin, `/api/enrollment/roster/${id}`);
      assert.equal(missing.status, 404, id);
      assert.equal(missing.body.error, "Course not found.");
    }
    assert.equal((await call(app, path)).status, 401);
  });
});

Deno.test("the roster as CSV: BOM, CRLF, header and rows, a named download, formulas defused", async () => {
  await withSeededApp(async (app, t) => {
    const course = await courseWithStudents(t);
    const [hostile] = await t.owner.query<{ id: string }>(
      `insert into public.people (tenant_id, full_name, email, role, status)
       select tenant_id, '=HYPERLINK("http://x")', 'hostile@nairobi.test', 'student', 'active'
       from public.courses where id = $1 returning id`,
      [course.id],
    );
    const admin = claimsOf(await person(t, demo("admin1")));
    await t.db.asUser(admin, (q) => q("select public.enroll($1, $2)", [course.id, hostile.id]));

    const token = await login(app, demo("teacher1"));
    const viaQuery = await call(app, `/api/enrollment/roster/${course.id}?format=csv`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(viaQuery.status, 200);
    assert.equal(viaQuery.headers.get("Content-Type"), "text/csv; charset=utf-8");
    assert.equal(
      viaQuery.headers.get("Content-Disposition"),
      'attachment; filename="roster-ROSTER-1.csv"',
    );
    const bytes = new Uint8Array(await viaQuery.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte-order mark");
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    assert.ok(text.startsWith(BOM));
    assert.ok(text.endsWith("\r\n"));
    assert.ok(!/[^\r]\n/.test(text.replace(/"[^"]*"/g, "")), "every line ends in CRLF");

    const rows = parseCsv(text);
    assert.deepEqual(rows[0], [
      "Student",
      "Student email",
      "Guardian 1",
      "Guardian 1 phone",
      "Guardian 1 email",
      "Guardian 2",
      "Guardian 2 phone",
      "Guardian 2 email",
    ]);
    assert.equal(rows.length, 4, "header and three students");
    assert.ok(rows.every((r) => r.length === 8), "every row as wide as the header");
    const byEmail = new Map(rows.slice(1).map((r) => [r[1], r]));
    assert.equal(byEmail.get("hostile@nairobi.test")![0], `'=HYPERLINK("http://x")`);
    const s1 = byEmail.get(demo("student1"))!;
    assert.equal(s1[3], "'+254700000131", "a phone number starting with + is defused too");
    assert.equal(s1[4], demo("parent1"));
    assert.deepEqual(s1.slice(5), ["", "", ""]);

    const viaAccept = await call(app, `/api/enrollment/roster/${course.id}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "text/csv" },
    });
    assert.equal(viaAccept.headers.get("Content-Type"), "text/csv; charset=utf-8");
    assert.equal(await viaAccept.text(), text.slice(1), "the same file (text() drops the BOM)");
  });
});

const get = (app: FreshApp, path: string, cookie: string) =>
  call(app, path, { headers: { Cookie: cookie }, redirect: "manual" });

async function cookieFor(app: FreshApp, who: string) {
  return `elymica_access=${await login(app, demo(who))}`;
}

Deno.test("the roster page: instructor sees students and guardians, searches, downloads; others 403", async () => {
  await withSeededApp(async (app, t) => {
    const course = await createCourse(t, {
      code: "ROSTER-P",
      title: "Roster page",
      instructors: ["teacher1"],
    });
    const admin = claimsOf(await person(t, demo("admin1")));
    for (const who of ["student1", "student5"]) {
      const s = await person(t, demo(who));
      await t.db.asUser(admin, (q) => q("select public.enroll($1, $2)", [course.id, s.id]));
    }
    const teacher = await cookieFor(app, "teacher1");
    const path = `/portal/courses/${course.id}/roster`;
    const all = await get(app, path, teacher);
    assert.equal(all.status, 200);
    const html = await all.text();
    assert.ok(!/<script/i.test(html));
    assert.match(html, /Brian Mwangi/);
    assert.ok(html.includes(demo("student5")));
    assert.ok(html.includes(demo("parent3")) && html.includes(demo("parent4")), "both guardians");
    assert.ok(html.includes(`href="/api/enrollment/roster/${course.id}?format=csv"`));
    assert.match(html, /<form[^>]*method="get"/);

    const found = await (await get(app, `${path}?q=BRIAN`, teacher)).text();
    assert.match(found, /Brian Mwangi/);
    assert.ok(!found.includes(demo("student5")));
    assert.match(found, /1 of 2 students match/);
    const byEmail = await (await get(app, `${path}?q=student5%40`, teacher)).text();
    assert.ok(byEmail.includes(demo("student5")));
    assert.ok(!byEmail.includes("Brian Mwangi"));

    for (const who of ["teacher2", "student1"]) {
      const refused = await get(app, path, await cookieFor(app, who));
      assert.equal(refused.status, 403, who);
      await refused.body?.cancel();
    }
    const missing = await get(app, `/portal/courses/${crypto.randomUUID()}/roster`, teacher);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  });
});
