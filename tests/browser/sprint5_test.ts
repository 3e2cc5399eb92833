/**
 * Sprint 5's demo scenarios in a real browser on the demo school of Nairobi: a student filters
 * the catalog by subject and enrols (confirming in the dialog); a parent enrols two children
 * in different courses; the teacher opens the class roster with the parents' contacts and
 * downloads it as CSV.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launch, signInAs, skipWithoutBrowser, watch } from "../support/browser.ts";
import { openTestDatabase } from "../support/database.ts";
import { quietLog, testJwtSecret } from "../support/app.ts";
import { createElymicaApp } from "../../lib/app.ts";

const email = (who: string) => `${who}@nairobi.demo.elymica.test`;

/** Enrols through the island: "Enrol" opens the dialog, "Yes, enrol" sends the form. */
async function enrolConfirming(page: Page, expectedQuestion: RegExp) {
  await page.locator('[data-testid="enrol-form"][data-hydrated="true"]').waitFor();
  await page.click('[data-testid="enrol-form"] button[type="submit"]');
  const dialog = page.locator("dialog[open]");
  assert.match(await dialog.innerText(), expectedQuestion);
  await dialog.locator('button:has-text("Yes, enrol")').click();
  await page.waitForURL(/\?enrolled=1$/);
}

Deno.test({
  name: "browser: Sprint 5 — filter and enrol, a parent enrols two children, the roster as CSV",
  ignore: skipWithoutBrowser,
  async fn() {
    const t = await openTestDatabase({ seed: true });
    const app = await createElymicaApp({ db: t.db, jwtSecret: testJwtSecret, log: quietLog() });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    let browser: Browser | undefined;
    try {
      browser = await launch();

      // 1-2. student5 (who withdrew from the Python lab group) filters by subject and takes
      // the group's last seat; cancelling the dialog first enrols nobody.
      const student = await (await browser.newContext()).newPage();
      const studentProblems = watch(student);
      await signInAs(student, base, email("student5"), "/portal/courses");
      await student.fill('input[name="subject"]', "computer studies");
      await student.click('button:has-text("Show courses")');
      await student.waitForURL(/subject=computer\+studies/);
      const titles = await student.locator("main h2").allInnerTexts();
      assert.deepEqual(titles, ["Computer Studies: Programming in Python (lab group)"]);
      await student.click("text=Computer Studies: Programming in Python (lab group)");
      await student.locator('[data-testid="enrol-form"][data-hydrated="true"]').waitFor();
      await student.click('[data-testid="enrol-form"] button[type="submit"]');
      await student.locator('dialog[open] button:has-text("Cancel")').click();
      assert.equal(await student.locator("dialog[open]").count(), 0);
      assert.match(
        await student.locator('[data-testid="enrollment"]').innerText(),
        /You withdrew from this course\./,
        "cancelling enrols nobody",
      );
      await enrolConfirming(student, /Enrol in Computer Studies: Programming in Python/);
      assert.match(
        await student.locator('[data-testid="enrollment"]').innerText(),
        /You are enrolled\./,
      );
      await student.goto(`${base}/portal/my-courses`);
      assert.match(await student.locator("main").innerText(), /Programming in Python/);
      assert.deepEqual(studentProblems, []);

      // 4. parent1 enrols each of their two children in a different course.
      const parent = await (await browser.newContext()).newPage();
      const parentProblems = watch(parent);
      await signInAs(parent, base, email("parent1"), "/portal/courses");
      const children = await t.owner.query<{ full_name: string }>(
        `select s.full_name from public.guardian_links g
           join public.people s on s.id = g.student_id
           join public.people p on p.id = g.parent_id
          where p.email = $1 order by s.full_name`,
        [email("parent1")],
      );
      assert.equal(children.length, 2);
      const courses = [
        "English: Integrated Skills and Set Books",
        "Kiswahili: Sarufi, Ufahamu na Fasihi",
      ];
      for (const [i, child] of children.entries()) {
        await parent.goto(`${base}/portal/courses?q=${encodeURIComponent(courses[i].slice(0, 7))}`);
        await parent.click(`text=${courses[i]}`);
        await parent.locator('[data-testid="enrol-form"][data-hydrated="true"]').waitFor();
        await parent.selectOption('select[name="studentId"]', { label: child.full_name });
        await enrolConfirming(parent, new RegExp(`Enrol ${child.full_name} in ${courses[i]}\\?`));
      }
      await parent.goto(`${base}/portal/my-courses`);
      const progress = await parent.locator("main").innerText();
      for (const [i, child] of children.entries()) {
        assert.match(
          progress,
          new RegExp(`${child.full_name}[\\s\\S]*${courses[i].split(":")[0]}`),
        );
      }
      const enrolled = await t.owner.query<{ full_name: string; title: string; by: string }>(
        `select s.full_name, c.title, b.email as by from public.enrollments e
           join public.people s on s.id = e.student_id
           join public.people b on b.id = e.enrolled_by
           join public.courses c on c.id = e.course_id
          where c.title = any($1) and b.email = $2 order by s.full_name`,
        [courses, email("parent1")],
      );
      assert.deepEqual(
        enrolled.map((e) => [e.full_name, e.title, e.by]),
        children.map((c, i) => [c.full_name, courses[i], email("parent1")]),
      );
      assert.deepEqual(parentProblems, []);

      // 5. teacher1 opens the lab group's roster (student5 is on it now, with their parents'
      // contacts) and downloads it.
      const teacherContext = await browser.newContext({ acceptDownloads: true });
      const teacher = await teacherContext.newPage();
      const teacherProblems = watch(teacher);
      await signInAs(teacher, base, email("teacher1"), "/portal/courses?mine=true");
      await teacher.click("text=Computer Studies: Programming in Python (lab group)");
      await teacher.click("text=Class roster");
      await teacher.waitForURL(/\/roster$/);
      const student5 = await t.owner.query<{ full_name: string; parent_email: string }>(
        `select s.full_name, p.email as parent_email from public.people s
           join public.guardian_links g on g.student_id = s.id
           join public.people p on p.id = g.parent_id
          where s.email = $1`,
        [email("student5")],
      );
      assert.ok(student5.length > 0, "student5 has a parent in the demo data");
      const table = await teacher.locator("table").innerText();
      assert.ok(table.includes(student5[0].full_name), table);
      assert.ok(table.includes(student5[0].parent_email), table);

      const [download] = await Promise.all([
        teacher.waitForEvent("download"),
        teacher.click("text=Download CSV"),
      ]);
      assert.equal(download.suggestedFilename(), "roster-COMP-F3-LAB.csv");
      const path = await download.path();
      const csv = await Deno.readFile(path!);
      assert.deepEqual([...csv.slice(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 with BOM for Excel");
      const text = new TextDecoder().decode(csv.slice(3));
      const rows = text.trimEnd().split("\r\n");
      assert.equal(rows.length, 1 + 6, "a header and the six students of the full lab group");
      assert.ok(
        rows.some((r) => r.includes(student5[0].full_name) && r.includes(student5[0].parent_email)),
      );
      assert.deepEqual(teacherProblems, []);
    } finally {
      await browser?.close();
      await server.shutdown();
      await t.close();
    }
  },
});
