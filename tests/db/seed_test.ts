/** The demo data: three schools with the people the README and the start-up banner promise. */
import assert from "node:assert/strict";
import { openTestDatabase } from "../support/database.ts";
import { DEMO_PASSWORD, DEMO_SCHOOLS, demoEmails } from "../../lib/demo.ts";
import { seedIfEmpty } from "../../lib/db/seed.ts";

Deno.test("the seed creates the three demo schools, their people and links, once", async () => {
  const t = await openTestDatabase({ seed: true });
  try {
    const schools = await t.owner.query(
      "select slug, country, currency, timezone from public.tenants order by slug",
    );
    assert.deepEqual(schools, [
      { slug: "johannesburg", country: "ZA", currency: "ZAR", timezone: "Africa/Johannesburg" },
      { slug: "lagos", country: "NG", currency: "NGN", timezone: "Africa/Lagos" },
      { slug: "nairobi", country: "KE", currency: "KES", timezone: "Africa/Nairobi" },
    ]);
    for (const school of DEMO_SCHOOLS) {
      const people = await t.owner.query<{ email: string }>(
        `select p.email from public.people p join public.tenants t on t.id = p.tenant_id
          where t.slug = $1 and p.status = 'active' order by p.email`,
        [school],
      );
      assert.deepEqual(people.map((p) => p.email), demoEmails(school).sort());
      const [parent1] = await t.owner.query<{ children: number }>(
        `select count(*)::int as children from public.guardian_links g
           join public.people p on p.id = g.parent_id
          where p.email = $1`,
        [`parent1@${school}.demo.elymica.test`],
      );
      assert.equal(parent1.children, 2, `${school}: parent1 has two children`);
      const [unlinked] = await t.owner.query<{ parents: number }>(
        `select count(*)::int as parents from public.people p join public.tenants t
           on t.id = p.tenant_id
          where t.slug = $1 and p.role = 'parent'
            and not exists (select from public.guardian_links g where g.parent_id = p.id)`,
        [school],
      );
      assert.equal(unlinked.parents, 0, `${school}: every parent has a child`);
    }
    const [hashes] = await t.owner.query<{ total: number; matching: number; cost10: number }>(
      `select count(*)::int as total,
              count(*) filter (where password_hash = extensions.crypt($1, password_hash))::int
                as matching,
              count(*) filter (where password_hash like '$2_$10$%')::int as cost10
         from private.passwords`,
      [DEMO_PASSWORD],
    );
    assert.deepEqual(hashes, { total: 39, matching: 39, cost10: 39 });
    assert.equal(await seedIfEmpty(t.owner), false, "a second start keeps the data");
  } finally {
    await t.close();
  }
});

Deno.test("the seed gives each demo school a course catalog that keeps enroll()'s rules", async () => {
  const t = await openTestDatabase({ seed: true });
  const q = <T>(sql: string, params: unknown[]) => t.owner.query<T>(sql, params);
  try {
    for (const school of DEMO_SCHOOLS) {
      const [tenant] = await q<{ id: string }>("select id from public.tenants where slug = $1", [
        school,
      ]);
      const tid = tenant.id;
      const [courses] = await q<
        { published: number; draft: number; subjects: number; grades: number }
      >(
        `select count(*) filter (where status = 'published')::int as published,
                count(*) filter (where status = 'draft')::int as draft,
                count(distinct subject)::int as subjects, count(distinct grade_level)::int as grades
           from public.courses where tenant_id = $1`,
        [tid],
      );
      assert.ok(courses.published >= 12, `${school}: ${courses.published} published courses`);
      assert.equal(courses.draft, 1, `${school}: one draft`);
      assert.ok(
        courses.subjects >= 8 && courses.grades >= 3,
        `${school}: subjects and grades vary`,
      );

      const [prereqs] = await q<{ pairs: number }>(
        "select count(*)::int as pairs from public.course_prerequisites where tenant_id = $1",
        [tid],
      );
      assert.ok(prereqs.pairs >= 1, `${school}: a prerequisite pair`);
      const [algebra] = await q<{ n: number }>(
        `select count(*)::int as n from public.course_prerequisites cp
           join public.courses c on c.id = cp.course_id
           join public.courses p on p.id = cp.prerequisite_id
          where cp.tenant_id = $1 and c.title like '%Algebra II%' and p.title like '%Algebra I'`,
        [tid],
      );
      assert.equal(algebra.n, 1, `${school}: Algebra II requires Algebra I`);

      // Seats: none over capacity, and a nearly full course with one or two seats left.
      const seats = await q<{ code: string; capacity: number; taken: number }>(
        `select c.code, c.capacity, count(e.id) filter (where e.status <> 'withdrawn')::int as taken
           from public.courses c left join public.enrollments e on e.course_id = c.id
          where c.tenant_id = $1 group by c.id order by c.code`,
        [tid],
      );
      for (const s of seats) assert.ok(s.taken <= s.capacity, `${school} ${s.code}: over capacity`);
      assert.ok(
        seats.some((s) => s.taken > 0 && s.capacity - s.taken >= 1 && s.capacity - s.taken <= 2),
        `${school}: a nearly full course`,
      );

      const [teacher1] = await q<{ courses: number }>(
        `select count(*)::int as courses from public.course_instructors ci
           join public.people p on p.id = ci.teacher_id where p.email = $1`,
        [`teacher1@${school}.demo.elymica.test`],
      );
      assert.ok(teacher1.courses >= 2, `${school}: teacher1 teaches ${teacher1.courses}`);
      const [untaught] = await q<{ n: number }>(
        `select count(*)::int as n from public.courses c where c.tenant_id = $1
            and not exists (select from public.course_instructors ci where ci.course_id = c.id)`,
        [tid],
      );
      assert.equal(untaught.n, 0, `${school}: every course has an instructor`);

      const students = await q<{ email: string; enrolments: number }>(
        `select p.email, count(e.id) filter (where e.status <> 'withdrawn')::int as enrolments
           from public.people p left join public.enrollments e on e.student_id = p.id
          where p.tenant_id = $1 and p.role = 'student' group by p.id order by p.email`,
        [tid],
      );
      assert.equal(students.length, 6);
      for (const s of students) assert.ok(s.enrolments >= 1, `${s.email} has an enrolment`);

      // Only students, only published courses, enrolled by themselves, a parent of theirs or an
      // admin, and every prerequisite completed first.
      const [bad] = await q<{ role: number; draft: number; by: number; prereq: number }>(
        `select
           count(*) filter (where s.role <> 'student')::int as role,
           count(*) filter (where c.status <> 'published')::int as draft,
           count(*) filter (where not (b.id = s.id or b.role = 'admin' or exists (
             select from public.guardian_links gl where gl.parent_id = b.id and gl.student_id = s.id
           )))::int as by,
           count(*) filter (where exists (
             select from public.course_prerequisites cp where cp.course_id = e.course_id
               and not exists (
                 select from public.enrollments pe where pe.course_id = cp.prerequisite_id
                   and pe.student_id = e.student_id and pe.status = 'completed')
           ))::int as prereq
         from public.enrollments e
         join public.people s on s.id = e.student_id
         join public.people b on b.id = e.enrolled_by
         join public.courses c on c.id = e.course_id
        where e.tenant_id = $1`,
        [tid],
      );
      assert.deepEqual(bad, { role: 0, draft: 0, by: 0, prereq: 0 }, `${school}: enrolment rules`);
      const [prereqUsed] = await q<{ n: number }>(
        `select count(*)::int as n from public.enrollments e
           join public.course_prerequisites cp on cp.course_id = e.course_id
          where e.tenant_id = $1 and e.status <> 'withdrawn'`,
        [tid],
      );
      assert.ok(prereqUsed.n >= 1, `${school}: someone took a course after its prerequisite`);

      // Modules numbered 1..n, every module has lessons numbered 1..n, some video and PDF.
      const [content] = await q<
        { modules: number; gaps: number; empty: number; lessons: number; media: number }
      >(
        `select (select count(*)::int from public.modules where tenant_id = $1) as modules,
                (select count(*)::int from (
                   select position <> row_number() over (partition by course_id order by position) as gap
                     from public.modules where tenant_id = $1
                   union all
                   select position <> row_number() over (partition by module_id order by position)
                     from public.lessons where tenant_id = $1) x where gap) as gaps,
                (select count(*)::int from public.modules m where m.tenant_id = $1
                   and not exists (select from public.lessons l where l.module_id = m.id)) as empty,
                (select count(*)::int from public.lessons where tenant_id = $1) as lessons,
                (select count(*)::int from public.lessons where tenant_id = $1
                   and kind in ('video', 'pdf')) as media`,
        [tid],
      );
      assert.equal(content.gaps, 0, `${school}: modules and lessons in order`);
      assert.equal(content.empty, 0, `${school}: no module without lessons`);
      assert.ok(
        content.modules >= 13 && content.lessons >= 3 * content.modules,
        `${school}: content`,
      );
      assert.ok(content.media >= 2, `${school}: some video and PDF lessons`);

      // Completions: only by students enrolled in the course; a completed enrolment has every
      // lesson completed, an enrolled one not all (as complete_lesson() would have left them).
      const [progress] = await q<{ stray: number; wrong: number; started: number }>(
        `select (select count(*)::int from public.lesson_completions x where x.tenant_id = $1
                   and not exists (select from public.enrollments e where e.course_id = x.course_id
                     and e.student_id = x.student_id)) as stray,
                count(*) filter (where (e.status = 'completed') <> (done = total)
                                   and e.status <> 'withdrawn')::int as wrong,
                count(*) filter (where e.status = 'enrolled' and done > 0)::int as started
           from public.enrollments e
           cross join lateral (
             select (select count(*) from public.lessons l where l.course_id = e.course_id) as total,
                    (select count(*) from public.lesson_completions x
                      where x.course_id = e.course_id and x.student_id = e.student_id) as done
           ) n
          where e.tenant_id = $1`,
        [tid],
      );
      assert.deepEqual(progress.stray, 0, `${school}: completions belong to enrolments`);
      assert.equal(progress.wrong, 0, `${school}: completed means every lesson done`);
      assert.ok(progress.started >= 1, `${school}: some students are part-way through`);
    }
    // Deterministic ids the other tests can use.
    const [algebra1] = await t.owner.query<{ id: string }>(
      "select id from public.courses where code = 'MATH-G10-ALG1'",
    );
    const [expected] = await t.owner.query<{ id: string }>(
      `select overlay(overlay(md5('course:nairobi:MATH-G10-ALG1') placing '8' from 13 for 1)
         placing '8' from 17 for 1)::uuid as id`,
    );
    assert.equal(algebra1.id, expected.id);
  } finally {
    await t.close();
  }
});
